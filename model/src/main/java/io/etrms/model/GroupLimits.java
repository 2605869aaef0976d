package io.etrms.model;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.List;

/**
 * Limits of a group of accounts on its aggregated figures: topic {@code group-limits}
 * (compacted), key the group path (see {@link AccountGroup}). A null field or a value of 0 or less
 * switches that condition off for the group. A breach acts on every account of the group.
 *
 * @param maxGrossExposure    reduce-only when the group's Σ total_exposure is above it (quote currency)
 * @param maxNetExposure      reduce-only when abs(Σ net_exposure) is above it (quote currency)
 * @param dailyLossLimit      halt when the group's Σ daily_pnl is below its negative (quote currency)
 * @param maxDrawdownPct      halt when the drawdown of the group's Σ total_equity from its peak is above it (percent)
 * @param maxConcentrationPct reduce-only a symbol when its share of the group's gross exposure is above it (percent)
 * @param warningPct          warn at this share of each limit (percent; null: the deployment's default)
 * @param cooldownSeconds     least time between a trip and its automatic re-arm (null: the deployment's default)
 */
public record GroupLimits(
        @JsonDeserialize(using = RiskLimits.BoundedDecimal.class) Double maxGrossExposure,
        @JsonDeserialize(using = RiskLimits.BoundedDecimal.class) Double maxNetExposure,
        @JsonDeserialize(using = RiskLimits.BoundedDecimal.class) Double dailyLossLimit,
        @JsonDeserialize(using = RiskLimits.BoundedDecimal.class) Double maxDrawdownPct,
        @JsonDeserialize(using = RiskLimits.BoundedDecimal.class) Double maxConcentrationPct,
        @JsonDeserialize(using = RiskLimits.BoundedDecimal.class) Double warningPct,
        Long cooldownSeconds) {

    /** Every rule this record breaks; empty when it is valid. */
    public List<String> problems() {
        return new Validation()
                .check(warningPct == null || (warningPct > 0 && warningPct < 100), "warning_pct must be above 0 and below 100, was " + warningPct)
                .check(cooldownSeconds == null || cooldownSeconds <= RiskLimits.MAX_SECONDS,
                        "cooldown_seconds out of range (at most " + RiskLimits.MAX_SECONDS + "): " + cooldownSeconds)
                .problems();
    }
}
