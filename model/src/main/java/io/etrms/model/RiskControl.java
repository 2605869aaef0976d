package io.etrms.model;

import java.util.List;

/**
 * A manual change of an account's risk state: topic {@code risk-control}, key account.
 * {@code action} is {@code reset} (re-arm breakers, optionally only {@code condition_name}),
 * {@code set_state} (force {@code state}: ACTIVE, REDUCE_ONLY or HALTED) or {@code halt} (the
 * operator's kill switch: the same as {@code set_state HALTED}, neither {@code state} nor
 * {@code condition_name}).
 */
public record RiskControl(
        String account,
        String action,
        String conditionName,
        String state,
        String reason,
        String requestedBy,
        Long timestamp) {

    public static final String RESET = "reset";
    public static final String SET_STATE = "set_state";
    /** The kill switch: HALTED until a reset or another set_state. */
    public static final String HALT = "halt";

    /** Every rule this record breaks; empty when it is valid. */
    public List<String> problems() {
        Validation v = new Validation()
                .id("account", account)
                .required("action", action)
                .check(action == null || RESET.equals(action) || SET_STATE.equals(action) || HALT.equals(action),
                        "unknown action '" + Validation.echo(action) + "' (reset, set_state or halt)")
                .optionalText("reason", reason, Validation.MAX_REASON_LENGTH)
                .optionalText("requested_by", requestedBy, Validation.MAX_ID_LENGTH);
        if (RESET.equals(action)) {
            v.check(state == null, "state applies to set_state only")
                    .check(conditionName == null || Alert.CONDITIONS.contains(conditionName) || Alert.MANUAL.equals(conditionName)
                                    || Alert.GROUP_CONDITIONS.contains(conditionName),
                            "unknown condition_name '" + Validation.echo(conditionName) + "'");
        } else if (SET_STATE.equals(action)) {
            v.check(TradingState.isValid(state), "set_state needs state ACTIVE, REDUCE_ONLY or HALTED, was '" + Validation.echo(state) + "'")
                    .check(conditionName == null, "condition_name applies to reset only");
        } else if (HALT.equals(action)) {
            v.check(state == null, "state applies to set_state only")
                    .check(conditionName == null, "condition_name applies to reset only");
        }
        if (timestamp != null) {
            v.timestamp("timestamp", timestamp);
        }
        return v.problems();
    }
}
