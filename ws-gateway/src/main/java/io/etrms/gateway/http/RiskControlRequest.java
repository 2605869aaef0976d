package io.etrms.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.etrms.model.Json;
import io.etrms.model.RiskControl;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The body of {@code POST /api/v1/accounts/{account}/risk-control}, checked so a 400 can say
 * exactly what is wrong:
 * <pre>
 * {"action": "reset", "condition_name": "max_drawdown", "reason": "reviewed"}   // re-arm one breaker (or all: no condition_name)
 * {"action": "set_state", "state": "HALTED", "reason": "manual stop"}         // force ACTIVE | REDUCE_ONLY | HALTED
 * {"action": "halt", "reason": "desk incident"}                              // the kill switch: set_state HALTED
 * </pre>
 * The record's own rules ({@link RiskControl#problems()}) decide what a valid control is; this
 * class adds what only an HTTP body can get wrong: not JSON, not an object, a non-string field,
 * an unknown field (a misspelt {@code condition_name} must not reset every breaker), an
 * {@code account} that differs from the path, an over-long {@code reason}.
 */
final class RiskControlRequest {

    private static final Set<String> FIELDS = Set.of("account", "action", "condition_name", "state", "reason");
    private static final int MAX_REASON = 500;

    private RiskControlRequest() {
    }

    /**
     * @throws IllegalArgumentException with the reason for the 400
     */
    static RiskControl parse(String account, String body, String requestedBy, long nowMillis) {
        return parse(account, false, body, requestedBy, nowMillis);
    }

    /**
     * The body of {@code POST /api/v1/groups/{group}/risk-control}: the same rules, no {@code account}
     * (the record returned has account {@code *}; the caller sends a copy to each member).
     *
     * @throws IllegalArgumentException with the reason for the 400
     */
    static RiskControl parseForGroup(String body, String requestedBy, long nowMillis) {
        return parse(Caller.ALL_ACCOUNTS, true, body, requestedBy, nowMillis);
    }

    private static RiskControl parse(String account, boolean group, String body, String requestedBy, long nowMillis) {
        JsonNode tree;
        try {
            tree = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("body is not valid JSON: " + Json.reason(e));
        }
        if (tree == null || !tree.isObject()) {
            throw new IllegalArgumentException("body must be a JSON object");
        }
        for (Iterator<String> names = tree.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new IllegalArgumentException("unknown field " + name + " (allowed: action, condition_name, state, reason, account)");
            }
        }
        String bodyAccount = text(tree, "account");
        if (group && bodyAccount != null) {
            throw new IllegalArgumentException("account does not apply to a group's risk-control (it goes to every member)");
        }
        if (bodyAccount != null && !bodyAccount.equals(account)) {
            throw new IllegalArgumentException("account in the body (" + bodyAccount + ") differs from the path (" + account + ")");
        }
        String reason = text(tree, "reason");
        if (reason != null && reason.length() > MAX_REASON) {
            throw new IllegalArgumentException("reason longer than " + MAX_REASON + " characters");
        }
        String action = text(tree, "action");
        String state = text(tree, "state");
        if (RiskControl.SET_STATE.equals(action) && state == null) {
            // model's TradingState.isValid(null) throws (List.of(...).contains(null)); see notes/gateway-requests.md
            throw new IllegalArgumentException("set_state needs state ACTIVE, REDUCE_ONLY or HALTED, was 'null'");
        }
        RiskControl control = new RiskControl(account, action, text(tree, "condition_name"), state, reason, requestedBy, nowMillis);
        List<String> problems = control.problems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return control;
    }

    private static String text(JsonNode tree, String field) {
        JsonNode node = tree.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string");
        }
        return node.asText();
    }
}
