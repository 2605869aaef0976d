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
    /** exchange/symbol of an account-wide breaker. */
    public static final String ANY = "*";
}
