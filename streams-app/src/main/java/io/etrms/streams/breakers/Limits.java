package io.etrms.streams.breakers;

import io.etrms.model.GroupLimits;
import io.etrms.model.RiskLimits;
import java.util.List;
import java.util.function.Function;

/**
 * The limits in force for one account: each field of the account's {@code risk-limits} record,
 * else of the {@code *} record, else the configured default. The session rules and the drawdown
 * basis may also come from the account's groups' {@code group-limits} records, between the two
 * (see {@link #merge(RiskLimits, List, RiskLimits)}). A limit of 0 or less switches its
 * condition off (see {@link #enabled(Double)}).
 */
public record Limits(
        double maxDrawdownPct,
        double dailyLossLimit,
        double maxLeverage,
        double maxGrossExposure,
        double maxPositionNotional,
        double volatilityMovePct,
        long volatilityWindowSeconds,
        long stalePriceSeconds,
        long cooldownSeconds,
        double warningPct,
        SessionCalendar session,
        DrawdownBasis drawdownBasis,
        double reconciliationTolerance,
        long reconciliationGraceSeconds) {

    /** A non-halting breaker re-arms at or below this share of its limit (and a warning at this share of its level). */
    public static final java.math.BigDecimal REARM = new java.math.BigDecimal("0.9");
    /** The default warning level: 80 % of each limit. */
    public static final double DEFAULT_WARNING_PCT = 80;
    /** The built-in reconciliation tolerance: a difference of more than 0.00000001 (10⁻⁸) units trips. */
    public static final double DEFAULT_RECONCILIATION_TOLERANCE = 0.00000001;
    /** The built-in grace period of a size difference, in seconds of event time. */
    public static final long DEFAULT_RECONCILIATION_GRACE_SECONDS = 30;

    /** The nine limits of the first version, with the default warning level, sessions from 00:00 UTC and the built-in reconciliation. */
    public Limits(double maxDrawdownPct, double dailyLossLimit, double maxLeverage, double maxGrossExposure, double maxPositionNotional,
                  double volatilityMovePct, long volatilityWindowSeconds, long stalePriceSeconds, long cooldownSeconds) {
        this(maxDrawdownPct, dailyLossLimit, maxLeverage, maxGrossExposure, maxPositionNotional, volatilityMovePct, volatilityWindowSeconds,
                stalePriceSeconds, cooldownSeconds, DEFAULT_WARNING_PCT, SessionCalendar.UTC_MIDNIGHT, DrawdownBasis.EQUITY,
                DEFAULT_RECONCILIATION_TOLERANCE, DEFAULT_RECONCILIATION_GRACE_SECONDS);
    }

    /**
     * The built-in defaults (each overridable by configuration, {@code etrms.limits.*}): sized for
     * the local simulator's accounts of 100 000 per exchange, whose scenarios trip each condition.
     */
    public static final Limits DEFAULTS = new Limits(20, 50_000, 5, 1_000_000, 200_000, 10, 60, 30, 60);

    /** Field by field: {@code account} over {@code fallback} over these limits; null records are skipped. */
    public Limits merge(RiskLimits account, RiskLimits fallback) {
        return merge(account, List.of(), fallback);
    }

    /**
     * The same, but the session rules and the drawdown basis (each on its own) come from
     * {@code account}, else from {@code groups} in their order (the account's group first, then
     * each group above it), else from {@code fallback}, else from these limits. The other limits
     * ignore the groups: a group's limits are on its summed figures, not on an account's.
     */
    public Limits merge(RiskLimits account, List<GroupLimits> groups, RiskLimits fallback) {
        return new Limits(
                pick(account == null ? null : account.maxDrawdownPct(), fallback == null ? null : fallback.maxDrawdownPct(), maxDrawdownPct),
                pick(account == null ? null : account.dailyLossLimit(), fallback == null ? null : fallback.dailyLossLimit(), dailyLossLimit),
                pick(account == null ? null : account.maxLeverage(), fallback == null ? null : fallback.maxLeverage(), maxLeverage),
                pick(account == null ? null : account.maxGrossExposure(), fallback == null ? null : fallback.maxGrossExposure(), maxGrossExposure),
                pick(account == null ? null : account.maxPositionNotional(), fallback == null ? null : fallback.maxPositionNotional(), maxPositionNotional),
                pick(account == null ? null : account.volatilityMovePct(), fallback == null ? null : fallback.volatilityMovePct(), volatilityMovePct),
                // one volatility window per deployment: only the default record may move it (see RiskLimits)
                positiveOr(fallback == null ? null : fallback.volatilityWindowSeconds(), volatilityWindowSeconds),
                pick(account == null ? null : account.stalePriceSeconds(), fallback == null ? null : fallback.stalePriceSeconds(), stalePriceSeconds),
                pick(account == null ? null : account.cooldownSeconds(), fallback == null ? null : fallback.cooldownSeconds(), cooldownSeconds),
                pick(account == null ? null : account.warningPct(), fallback == null ? null : fallback.warningPct(), warningPct),
                sessionOf(account, groups, fallback),
                basisOf(account, groups, fallback),
                pick(account == null ? null : account.reconciliationTolerance(), fallback == null ? null : fallback.reconciliationTolerance(),
                        reconciliationTolerance),
                pick(account == null ? null : account.reconciliationGraceSeconds(),
                        fallback == null ? null : fallback.reconciliationGraceSeconds(), reconciliationGraceSeconds));
    }

    private DrawdownBasis basisOf(RiskLimits account, List<GroupLimits> groups, RiskLimits fallback) {
        String basis = rule(account, groups, fallback, RiskLimits::drawdownBasis, GroupLimits::drawdownBasis);
        return basis == null ? drawdownBasis : DrawdownBasis.parse(basis);
    }

    /** The same with another warning level, session rules and drawdown basis. */
    public Limits withRules(double warning, SessionCalendar sessions, DrawdownBasis basis) {
        return new Limits(maxDrawdownPct, dailyLossLimit, maxLeverage, maxGrossExposure, maxPositionNotional, volatilityMovePct,
                volatilityWindowSeconds, stalePriceSeconds, cooldownSeconds, warning, sessions, basis, reconciliationTolerance,
                reconciliationGraceSeconds);
    }

    /** The same with another reconciliation tolerance and grace period. */
    public Limits withReconciliation(double tolerance, long graceSeconds) {
        return new Limits(maxDrawdownPct, dailyLossLimit, maxLeverage, maxGrossExposure, maxPositionNotional, volatilityMovePct,
                volatilityWindowSeconds, stalePriceSeconds, cooldownSeconds, warningPct, session, drawdownBasis, tolerance, graceSeconds);
    }

    /** The session rules, field by field like the limits. */
    private SessionCalendar sessionOf(RiskLimits account, List<GroupLimits> groups, RiskLimits fallback) {
        String start = rule(account, groups, fallback, RiskLimits::sessionStart, GroupLimits::sessionStart);
        String zone = rule(account, groups, fallback, RiskLimits::sessionTimeZone, GroupLimits::sessionTimeZone);
        Boolean lock = rule(account, groups, fallback, RiskLimits::lockUntilNextSession, GroupLimits::lockUntilNextSession);
        if (start == null && zone == null && lock == null) {
            return session;
        }
        return SessionCalendar.of(start == null ? session.startText() : start, zone == null ? session.zone().getId() : zone,
                lock == null ? session.lockUntilNextSession() : lock);
    }

    /** The warning level of every limit as a fraction of it (0.8), or null when warnings are off. */
    public Double warningFraction() {
        return warningPct > 0 && warningPct < 100 ? warningPct / 100.0 : null;
    }

    /** The limit of {@code condition}, or null when the condition is switched off. */
    public Double limitOf(Condition condition) {
        double value = switch (condition) {
            case MAX_DRAWDOWN -> maxDrawdownPct;
            case DAILY_LOSS -> dailyLossLimit;
            case MAX_LEVERAGE -> maxLeverage;
            case MAX_GROSS_EXPOSURE -> maxGrossExposure;
            case MAX_POSITION_NOTIONAL -> maxPositionNotional;
            case VOLATILITY -> volatilityMovePct;
            case STALE_PRICE -> stalePriceSeconds;
            case RECONCILIATION -> reconciliationTolerance;
            case MANUAL -> 0;
            // judged on the group's figures by stage 3, not on the account's
            case GROUP_MAX_DRAWDOWN, GROUP_DAILY_LOSS, GROUP_MAX_GROSS_EXPOSURE, GROUP_MAX_NET_EXPOSURE, GROUP_CONCENTRATION -> 0;
        };
        return enabled(value) ? value : null;
    }

    public long cooldownMs() {
        return Math.max(0, cooldownSeconds) * 1000L;
    }

    /** The cooldown of {@code condition}'s breakers: {@link #cooldownMs()}, or 0 for one that does not cool down. */
    public long cooldownMs(Condition condition) {
        return condition.coolsDown() ? cooldownMs() : 0;
    }

    /** How long a size difference must last before the reconciliation breaker trips (0 or less: at once). */
    public long reconciliationGraceMs() {
        return Math.max(0, reconciliationGraceSeconds) * 1000L;
    }

    static boolean enabled(Double limit) {
        return limit != null && limit > 0 && !limit.isInfinite();
    }

    /** One rule of the account's breakers: the first record that sets it, the groups' between the account's and the default; null if none. */
    private static <T> T rule(RiskLimits account, List<GroupLimits> groups, RiskLimits fallback, Function<RiskLimits, T> own,
                              Function<GroupLimits, T> group) {
        T value = account == null ? null : own.apply(account);
        for (int i = 0; value == null && i < groups.size(); i++) {
            value = group.apply(groups.get(i));
        }
        return value != null || fallback == null ? value : own.apply(fallback);
    }

    private static double pick(Double first, Double second, double fallback) {
        return first != null ? first : second != null ? second : fallback;
    }

    private static long pick(Long first, Long second, long fallback) {
        return first != null ? first : second != null ? second : fallback;
    }

    private static long positiveOr(Long value, long fallback) {
        return value != null && value > 0 ? value : fallback;
    }
}
