package io.etrms.model;

/** An action for execution systems: topic {@code risk-commands}, key account. */
public record RiskCommand(
        String commandId,
        String account,
        String action,
        String exchange,
        String symbol,
        String reason,
        Long alertId,
        Long timestamp) {
}
