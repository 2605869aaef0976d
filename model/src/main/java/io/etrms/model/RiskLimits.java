package io.etrms.model;

/**
 * Circuit-breaker limits: topic {@code risk-limits} (compacted), key account or {@code *} for the
 * default of every account. A null field takes the default; a value of 0 or less switches that
 * condition off.
 */
public record RiskLimits(
        Double maxDrawdownPct,
        Double dailyLossLimit,
        Double maxLeverage,
        Double maxGrossExposure,
        Double maxPositionNotional,
        Double volatilityMovePct,
        Long volatilityWindowSeconds,
        Long stalePriceSeconds,
        Long cooldownSeconds) {
}
