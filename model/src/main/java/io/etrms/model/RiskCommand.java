package io.etrms.model;

/**
 * An action for execution systems: topic {@code risk-commands}, key account. {@code action} is
 * {@code halt} (no new orders), {@code reduce_only} (only orders that shrink a position) or
 * {@code resume} (lift the restriction of this scope); {@code exchange}/{@code symbol} are
 * {@code "*"} for the whole account, else the one instrument. An execution system applies the
 * strictest of the account's and the instrument's latest command. {@code alert_id} is the alert
 * that published it.
 */
public record RiskCommand(
        String commandId,
        String account,
        String action,
        String exchange,
        String symbol,
        String reason,
        Long alertId,
        Long timestamp) {

    public static final String HALT = "halt";
    public static final String REDUCE_ONLY = "reduce_only";
    public static final String RESUME = "resume";
}
