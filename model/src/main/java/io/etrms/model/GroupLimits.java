package io.etrms.model;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.List;

/**
 * Limits of a group of accounts on its aggregated figures: topic {@code group-limits}
 * (compacted), key the group path (see {@link AccountGroup}). A null field or a value of 0 or less
 * switches that condition off for the group. A breach acts on every account of the group.
 *
 * <p>The last four fields are not limits on the group's figures but rules of its members' own
 * breakers, as in {@link RiskLimits}: for each of them an account follows its own
 * {@code risk-limits} record, else its groups' records from the deepest up ({@code acme/desk-1}
 * before {@code acme}), else the {@code *} record, else the configuration. See
 * docs/circuit-breakers.md, "Trading sessions".
 *
 * @param maxGrossExposure    reduce-only when the group's Σ total_exposure is above it (quote currency)
 * @param maxNetExposure      reduce-only when abs(Σ net_exposure) is above it (quote currency)
 * @param dailyLossLimit      halt when the group's Σ daily_pnl is below its negative (quote currency)
 * @param maxDrawdownPct      halt when the drawdown of the group's Σ total_equity from its peak is above it (percent)
 * @param maxConcentrationPct reduce-only a symbol when its share of the group's gross exposure is above it (percent)
 * @param warningPct          warn at this share of each limit (percent, below 100; 0 or less: no warnings for this group; null: the deployment's default)
 * @param cooldownSeconds     least time between a trip and its automatic re-arm (null: the deployment's default)
 * @param sessionStart        members' local time {@code HH:mm} at which the daily session (daily_pnl, daily loss) starts
 * @param sessionTimeZone     the time zone of {@code sessionStart}, e.g. {@code America/New_York}
 * @param lockUntilNextSession a member's tripped daily loss keeps it HALTED until the next session starts, then re-arms by itself
 * @param drawdownBasis       what members' max_drawdown high-water mark is measured on: {@code equity} or {@code closed}
 */
public record GroupLimits(
        @JsonDeserialize(using = RiskLimits.BoundedDecimal.class) Double maxGrossExposure,
        @JsonDeserialize(using = RiskLimits.BoundedDecimal.class) Double maxNetExposure,
        @JsonDeserialize(using = RiskLimits.BoundedDecimal.class) Double dailyLossLimit,
        @JsonDeserialize(using = RiskLimits.BoundedDecimal.class) Double maxDrawdownPct,
        @JsonDeserialize(using = RiskLimits.BoundedDecimal.class) Double maxConcentrationPct,
        @JsonDeserialize(using = RiskLimits.BoundedDecimal.class) Double warningPct,
        Long cooldownSeconds,
        String sessionStart,
        String sessionTimeZone,
        Boolean lockUntilNextSession,
        String drawdownBasis) {

    private static final java.time.format.DateTimeFormatter HH_MM = java.time.format.DateTimeFormatter.ofPattern("HH:mm");

    /** The seven limits of the first version, without the members' session rules and drawdown basis. */
    public GroupLimits(Double maxGrossExposure, Double maxNetExposure, Double dailyLossLimit, Double maxDrawdownPct,
                       Double maxConcentrationPct, Double warningPct, Long cooldownSeconds) {
        this(maxGrossExposure, maxNetExposure, dailyLossLimit, maxDrawdownPct, maxConcentrationPct, warningPct, cooldownSeconds,
                null, null, null, null);
    }

    /** Whether it sets one of its members' rules (session start, time zone, lock, drawdown basis). */
    public boolean setsMemberRules() {
        return sessionStart != null || sessionTimeZone != null || lockUntilNextSession != null || drawdownBasis != null;
    }

    /** Every rule this record breaks; empty when it is valid. */
    public List<String> problems() {
        return new Validation()
                .check(warningPct == null || warningPct < 100, "warning_pct must be below 100 (0 or less: no warnings), was " + warningPct)
                .check(cooldownSeconds == null || cooldownSeconds <= RiskLimits.MAX_SECONDS,
                        "cooldown_seconds out of range (at most " + RiskLimits.MAX_SECONDS + "): " + cooldownSeconds)
                .check(sessionStart == null || isTime(sessionStart),
                        "session_start must be HH:mm (00:00 to 23:59), was '" + Validation.echo(sessionStart) + "'")
                .check(sessionTimeZone == null || isZone(sessionTimeZone), "session_time_zone must be a time-zone id such as America/New_York, was '"
                        + Validation.echo(sessionTimeZone) + "'")
                .check(drawdownBasis == null || "equity".equals(drawdownBasis) || "closed".equals(drawdownBasis),
                        "drawdown_basis must be equity or closed, was '" + Validation.echo(drawdownBasis) + "'")
                .problems();
    }

    private static boolean isTime(String text) {
        try {
            java.time.LocalTime.parse(text, HH_MM);
            return true;
        } catch (java.time.format.DateTimeParseException e) {
            return false;
        }
    }

    private static boolean isZone(String text) {
        try {
            java.time.ZoneId.of(text);
            return true;
        } catch (java.time.DateTimeException e) {
            return false;
        }
    }
}
