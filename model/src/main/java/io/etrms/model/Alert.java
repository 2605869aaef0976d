package io.etrms.model;

import java.util.Map;

/**
 * A circuit-breaker transition: topic {@code alerts}, key account. {@code triggered_at} is in
 * epoch SECONDS (the seed clients read it so); {@code timestamp} is epoch millis.
 */
public record Alert(
        String type,
        Long alertId,
        String account,
        String conditionName,
        String description,
        String exchange,
        String symbol,
        String severity,
        Long triggeredAt,
        Map<String, Object> context,
        String action,
        String actionResult,
        Long timestamp) {

    public static final String TRIPPED = "circuit_breaker";
    public static final String CLEARED = "circuit_breaker_cleared";
    /** A breaker's value crossed its warning level (by default 80 % of the limit): severity warning, no action. */
    public static final String WARNED = "circuit_breaker_warning";
    /** exchange/symbol of an account-wide breaker. */
    public static final String ANY = "*";

    /** {@code condition_name}s of docs/circuit-breakers.md, "The conditions". */
    public static final String MAX_DRAWDOWN = "max_drawdown";
    public static final String DAILY_LOSS = "daily_loss";
    public static final String MAX_LEVERAGE = "max_leverage";
    public static final String MAX_GROSS_EXPOSURE = "max_gross_exposure";
    public static final String MAX_POSITION_NOTIONAL = "max_position_notional";
    public static final String VOLATILITY = "volatility";
    public static final String STALE_PRICE = "stale_price";
    /** Our size of an instrument differs from the exchange's {@link PositionSnapshot} beyond the tolerance. */
    public static final String RECONCILIATION = "reconciliation";
    /** A trading state forced by a {@link RiskControl} {@code set_state} record. */
    public static final String MANUAL = "manual";
    /** The breaker conditions (without {@link #MANUAL}). */
    public static final java.util.List<String> CONDITIONS = java.util.List.of(MAX_DRAWDOWN, DAILY_LOSS, MAX_LEVERAGE,
            MAX_GROSS_EXPOSURE, MAX_POSITION_NOTIONAL, VOLATILITY, STALE_PRICE, RECONCILIATION);

    /** {@code condition_name}s of the group limits ({@link GroupLimits}): a breach of a group acts on each of its accounts. */
    public static final String GROUP_MAX_GROSS_EXPOSURE = "group_max_gross_exposure";
    public static final String GROUP_MAX_NET_EXPOSURE = "group_max_net_exposure";
    public static final String GROUP_DAILY_LOSS = "group_daily_loss";
    public static final String GROUP_MAX_DRAWDOWN = "group_max_drawdown";
    public static final String GROUP_CONCENTRATION = "group_concentration";
    /** The five group conditions. */
    public static final java.util.List<String> GROUP_CONDITIONS = java.util.List.of(GROUP_MAX_DRAWDOWN, GROUP_DAILY_LOSS,
            GROUP_MAX_GROSS_EXPOSURE, GROUP_MAX_NET_EXPOSURE, GROUP_CONCENTRATION);

    /** {@code action} of a tripped breaker; a cleared one carries the command it published, or {@link #ACTION_NONE}. */
    public static final String ACTION_HALT = "halt";
    public static final String ACTION_REDUCE_ONLY = "reduce_only";
    public static final String ACTION_ALERT_ONLY = "alert_only";
    public static final String ACTION_RESUME = "resume";
    public static final String ACTION_NONE = "none";

    /** {@code severity}: halting breakers are critical, restricting ones warnings, clearings info. */
    public static final String CRITICAL = "critical";
    public static final String WARNING = "warning";
    public static final String INFO = "info";
}
