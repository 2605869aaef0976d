package io.etrms.model;

import java.math.BigDecimal;
import java.util.Map;

/**
 * What stage 3 (partitioned by group) tells each member account of a group, on the internal topic
 * {@code group-actions} (key account), when a group breaker trips or re-arms: stage 2 applies it
 * as a breaker of the account, with the account's own alert and risk command. A {@link #warning()}
 * (the group's value crossed the condition's warning level) changes no breaker: stage 2 publishes
 * it as the account's {@code circuit_breaker_warning} alert. Binary
 * ({@link InternalCodecs#GROUP_ACTION}); not a public contract.
 *
 * @param account       the member account (the record's key)
 * @param group         the group whose breaker this is
 * @param conditionName {@code group_max_gross_exposure}, {@code group_max_net_exposure},
 *                      {@code group_daily_loss}, {@code group_max_drawdown}, {@code group_concentration}
 * @param exchange      {@code *}
 * @param symbol        {@code *}, or the symbol for {@code group_concentration} (on every exchange)
 * @param state         what the group imposes on the scope: HALTED or REDUCE_ONLY when it trips, ACTIVE when it re-arms
 *                      (ACTIVE for a warning: it imposes nothing)
 * @param description   the alert's description
 * @param figures       the alert's context: value, threshold, rearm_threshold, limit and the group's figures behind them
 * @param timestamp     event time of the trip, re-arm or warning (epoch ms)
 * @param warning       the group's value crossed the warning level of the condition (no trip, no re-arm)
 */
public record GroupAction(String account, String group, String conditionName, String exchange, String symbol, String state,
                          String description, Map<String, BigDecimal> figures, long timestamp, boolean warning) {

    /** A trip or re-arm. */
    public GroupAction(String account, String group, String conditionName, String exchange, String symbol, String state,
                       String description, Map<String, BigDecimal> figures, long timestamp) {
        this(account, group, conditionName, exchange, symbol, state, description, figures, timestamp, false);
    }

    /** Whether the group's breaker tripped (else it re-armed, or this is a warning). */
    public boolean tripped() {
        return !warning && !TradingState.ACTIVE.equals(state);
    }
}
