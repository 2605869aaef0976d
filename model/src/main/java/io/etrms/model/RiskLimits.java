package io.etrms.model;

/**
 * Circuit-breaker limits: topic {@code risk-limits} (compacted), key account or {@code *} for the
 * default of every account. A null field takes the default; a value of 0 or less switches that
 * condition off. Each field is merged on its own: the account's record, else the {@code *}
 * record, else the service configuration ({@code etrms.limits.*}). See docs/circuit-breakers.md.
 *
 * @param maxDrawdownPct          halt when current_drawdown (percent) is above it
 * @param dailyLossLimit          halt when daily_pnl is below its negative (quote currency)
 * @param maxLeverage             reduce-only when total leverage is above it
 * @param maxGrossExposure        reduce-only when total_exposure is above it (quote currency)
 * @param maxPositionNotional     reduce-only the instrument when its notional is above it
 * @param volatilityMovePct       reduce-only the instrument when abs(price_move_pct) is above it
 * @param volatilityWindowSeconds the window of price_move_pct; one per deployment, so only the
 *                                {@code *} record's value is used (0 or less: the configured one)
 * @param stalePriceSeconds       alert when a held instrument has had no tick for longer (wall clock)
 * @param cooldownSeconds         least time between a breaker's trip and its automatic re-arm (0 or less: none)
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
