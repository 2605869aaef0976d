package io.etrms.streams.account;

import io.etrms.model.EtrmsConfig;
import io.etrms.streams.breakers.DrawdownBasis;
import io.etrms.streams.breakers.Limits;
import io.etrms.streams.breakers.SessionCalendar;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The settings of stage 2, built once from {@link EtrmsConfig} and used alike by
 * {@code StreamsApp}, the reference run of the crash loop and the tests.
 *
 * @param dedupRetention       how long a transfer id is remembered to drop re-sent transfers
 * @param defaultLimits        the limits where neither the account's nor the {@code *} risk-limits record sets one
 * @param punctuation          interval of the breakers' wall-clock checks (stale prices, limit changes, idle re-arms)
 * @param snapshotInterval     least wall-clock time between two snapshots of one account after a fill,
 *                             transfer or breaker change (the latest goes out); zero: every record's
 * @param markSnapshotInterval least wall-clock time between two snapshots of one account that only
 *                             price moves changed; zero: every mark's
 * @param everyMark            evaluate every holder of an instrument on every mark (no filter): the
 *                             reference the filtered evaluation is tested against; off in production
 */
public record AccountSettings(
        Duration dedupRetention,
        Limits defaultLimits,
        Duration punctuation,
        Duration snapshotInterval,
        Duration markSnapshotInterval,
        boolean everyMark) {

    public static final String DEDUP_RETENTION_HOURS = "etrms.dedup.retention.hours";
    /** Limits where neither the account's nor the {@code *} risk-limits record sets one (0 or less: off). */
    public static final String LIMIT_MAX_DRAWDOWN_PCT = "etrms.limits.max.drawdown.pct";
    public static final String LIMIT_DAILY_LOSS = "etrms.limits.daily.loss.limit";
    public static final String LIMIT_MAX_LEVERAGE = "etrms.limits.max.leverage";
    public static final String LIMIT_MAX_GROSS_EXPOSURE = "etrms.limits.max.gross.exposure";
    public static final String LIMIT_MAX_POSITION_NOTIONAL = "etrms.limits.max.position.notional";
    public static final String LIMIT_VOLATILITY_MOVE_PCT = "etrms.limits.volatility.move.pct";
    public static final String LIMIT_STALE_PRICE_SECONDS = "etrms.limits.stale.price.seconds";
    public static final String LIMIT_COOLDOWN_SECONDS = "etrms.limits.cooldown.seconds";
    /** Warning level of every limit, percent of the limit (0 or less: no warnings). */
    public static final String LIMIT_WARNING_PCT = "etrms.limits.warning.pct";
    /** When the daily session starts ({@code HH:mm}), in which zone, and whether a daily loss locks until the next. */
    public static final String SESSION_START = "etrms.session.start";
    public static final String SESSION_TIME_ZONE = "etrms.session.time.zone";
    public static final String SESSION_LOCK_UNTIL_NEXT = "etrms.session.lock.until.next";
    /** What max_drawdown's high-water mark is measured on: {@code equity} (live) or {@code closed} (closed-trade equity). */
    public static final String LIMIT_DRAWDOWN_BASIS = "etrms.limits.drawdown.basis";
    /** Largest size difference from an exchange's position snapshot that still agrees (0 or less: reconciliation off). */
    public static final String LIMIT_RECONCILIATION_TOLERANCE = "etrms.limits.reconciliation.tolerance";
    /** How long (event time) a size difference must last before it trips. */
    public static final String LIMIT_RECONCILIATION_GRACE_SECONDS = "etrms.limits.reconciliation.grace.seconds";
    /** The volatility window (shared with stage 1: one per deployment). */
    public static final String VOLATILITY_WINDOW_SECONDS = "etrms.volatility.window.seconds";
    public static final String BREAKER_PUNCTUATION_MS = "etrms.breakers.punctuation.ms";
    public static final String SNAPSHOT_INTERVAL_MS = "etrms.snapshot.interval.ms";
    public static final String MARK_SNAPSHOT_INTERVAL_MS = "etrms.snapshot.mark.interval.ms";

    /** The defaults of every key above. */
    public static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(DEDUP_RETENTION_HOURS, "168");
        Limits l = Limits.DEFAULTS;
        d.put(LIMIT_MAX_DRAWDOWN_PCT, number(l.maxDrawdownPct()));
        d.put(LIMIT_DAILY_LOSS, number(l.dailyLossLimit()));
        d.put(LIMIT_MAX_LEVERAGE, number(l.maxLeverage()));
        d.put(LIMIT_MAX_GROSS_EXPOSURE, number(l.maxGrossExposure()));
        d.put(LIMIT_MAX_POSITION_NOTIONAL, number(l.maxPositionNotional()));
        d.put(LIMIT_VOLATILITY_MOVE_PCT, number(l.volatilityMovePct()));
        d.put(LIMIT_STALE_PRICE_SECONDS, Long.toString(l.stalePriceSeconds()));
        d.put(LIMIT_COOLDOWN_SECONDS, Long.toString(l.cooldownSeconds()));
        d.put(LIMIT_RECONCILIATION_TOLERANCE, number(l.reconciliationTolerance()));
        d.put(LIMIT_RECONCILIATION_GRACE_SECONDS, Long.toString(l.reconciliationGraceSeconds()));
        d.put(VOLATILITY_WINDOW_SECONDS, Long.toString(l.volatilityWindowSeconds()));
        d.put(LIMIT_WARNING_PCT, number(l.warningPct()));
        d.put(SESSION_START, l.session().startText());
        d.put(SESSION_TIME_ZONE, l.session().zone().getId());
        d.put(SESSION_LOCK_UNTIL_NEXT, Boolean.toString(l.session().lockUntilNextSession()));
        d.put(LIMIT_DRAWDOWN_BASIS, l.drawdownBasis().text());
        d.put(BREAKER_PUNCTUATION_MS, "1000");
        d.put(SNAPSHOT_INTERVAL_MS, "20");
        d.put(MARK_SNAPSHOT_INTERVAL_MS, "1000");
        return d;
    }

    /** From configuration; unset keys take {@link #defaults()}. */
    public static AccountSettings from(EtrmsConfig settings) {
        EtrmsConfig config = settings.withDefaults(defaults());
        Limits limits = new Limits(config.getDouble(LIMIT_MAX_DRAWDOWN_PCT), config.getDouble(LIMIT_DAILY_LOSS),
                config.getDouble(LIMIT_MAX_LEVERAGE), config.getDouble(LIMIT_MAX_GROSS_EXPOSURE),
                config.getDouble(LIMIT_MAX_POSITION_NOTIONAL), config.getDouble(LIMIT_VOLATILITY_MOVE_PCT),
                config.getLong(VOLATILITY_WINDOW_SECONDS), config.getLong(LIMIT_STALE_PRICE_SECONDS),
                config.getLong(LIMIT_COOLDOWN_SECONDS), config.getDouble(LIMIT_WARNING_PCT),
                new SessionCalendar(SessionCalendar.parseStart(config.get(SESSION_START)), SessionCalendar.parseZone(config.get(SESSION_TIME_ZONE)),
                        config.getBoolean(SESSION_LOCK_UNTIL_NEXT)), DrawdownBasis.parse(config.get(LIMIT_DRAWDOWN_BASIS)),
                config.getDouble(LIMIT_RECONCILIATION_TOLERANCE), config.getLong(LIMIT_RECONCILIATION_GRACE_SECONDS));
        return new AccountSettings(Duration.ofHours(config.getLong(DEDUP_RETENTION_HOURS)), limits,
                Duration.ofMillis(config.getLong(BREAKER_PUNCTUATION_MS)),
                Duration.ofMillis(Math.max(0, config.getLong(SNAPSHOT_INTERVAL_MS))),
                Duration.ofMillis(Math.max(0, config.getLong(MARK_SNAPSHOT_INTERVAL_MS))), false);
    }

    /** The same with other limits. */
    public AccountSettings withLimits(Limits limits) {
        return new AccountSettings(dedupRetention, limits, punctuation, snapshotInterval, markSnapshotInterval, everyMark);
    }

    /** The same with other snapshot intervals (zero: every record's snapshots go out at once). */
    public AccountSettings withSnapshotIntervals(Duration afterRecord, Duration afterMark) {
        return new AccountSettings(dedupRetention, defaultLimits, punctuation, afterRecord, afterMark, everyMark);
    }

    /** The same evaluating every holder on every mark (true) or only those a mark may change (false). */
    public AccountSettings withEveryMark(boolean value) {
        return new AccountSettings(dedupRetention, defaultLimits, punctuation, snapshotInterval, markSnapshotInterval, value);
    }

    private static String number(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
