package io.etrms.model;

/**
 * A manual change of an account's risk state: topic {@code risk-control}, key account.
 * {@code action} is {@code reset} (re-arm breakers, optionally only {@code condition_name}) or
 * {@code set_state} (force {@code state}: ACTIVE, REDUCE_ONLY or HALTED).
 */
public record RiskControl(
        String account,
        String action,
        String conditionName,
        String state,
        String reason,
        String requestedBy,
        Long timestamp) {
}
