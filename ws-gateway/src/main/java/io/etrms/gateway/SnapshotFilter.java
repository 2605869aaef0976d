package io.etrms.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.etrms.model.Alert;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code exchange} and {@code symbol} query filters of a subscription, applied to one message.
 * <ul>
 *   <li>positions: only the matching exchanges and positions; every total
 *       ({@code total_position_value}, {@code total_unrealized_pnl}, {@code total_realized_pnl}) is
 *       the sum over what is shown;</li>
 *   <li>accounts: only the matching exchanges ({@code symbol} does not apply);</li>
 *   <li>risk-metrics: only the matching entries of {@code exchange_metrics} and
 *       {@code symbol_metrics}; account-wide figures stay the account's;</li>
 *   <li>alerts: alerts of the matching exchange/symbol plus account-wide ones ({@code "*"});
 *       other alerts are not sent.</li>
 * </ul>
 * Filtered views are new JSON documents; an empty filter passes the topic value unchanged.
 */
public record SnapshotFilter(String exchange, String symbol) {

    public static final SnapshotFilter NONE = new SnapshotFilter(null, null);

    public boolean isEmpty() {
        return exchange == null && symbol == null;
    }

    /** The filtered message, or empty when nothing of it is for this subscription (alerts only). */
    Optional<JsonNode> apply(Channel channel, JsonNode value) {
        if (isEmpty()) {
            return Optional.of(value);
        }
        return switch (channel) {
            case ALERTS -> admitsAlert(value.path("exchange").asText(null), value.path("symbol").asText(null))
                    ? Optional.of(value) : Optional.empty();
            case POSITIONS -> Optional.of(positions(value.deepCopy()));
            case ACCOUNTS -> Optional.of(keepKeys(value.deepCopy(), "accounts", exchange));
            case RISK_METRICS -> {
                ObjectNode copy = value.deepCopy();
                if (copy.get("risk_metrics") instanceof ObjectNode metrics) {
                    keepKeys(metrics, "exchange_metrics", exchange);
                    keepKeys(metrics, "symbol_metrics", symbol);
                }
                yield Optional.of(copy);
            }
        };
    }

    /** Whether an alert of {@code alertExchange}/{@code alertSymbol} ({@code "*"}: account-wide) is for this subscription. */
    boolean admitsAlert(String alertExchange, String alertSymbol) {
        return matches(alertExchange, exchange) && matches(alertSymbol, symbol);
    }

    private static boolean matches(String actual, String wanted) {
        return wanted == null || wanted.equals(actual) || Alert.ANY.equals(actual);
    }

    private static ObjectNode keepKeys(ObjectNode parent, String field, String wanted) {
        if (wanted != null && parent.get(field) instanceof ObjectNode map) {
            map.retain(wanted);
        }
        return parent;
    }

    private ObjectNode positions(ObjectNode copy) {
        if (!(copy.get("exchanges") instanceof ObjectNode exchanges)) {
            return copy;
        }
        if (exchange != null) {
            exchanges.retain(exchange);
        }
        BigDecimal value = BigDecimal.ZERO;
        BigDecimal unrealized = BigDecimal.ZERO;
        BigDecimal realized = BigDecimal.ZERO;
        for (Iterator<Map.Entry<String, JsonNode>> it = exchanges.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!(entry.getValue() instanceof ObjectNode ex)) {
                continue;
            }
            if (symbol != null) {
                ArrayNode kept = ex.arrayNode();
                ex.path("positions").forEach(p -> {
                    if (symbol.equals(p.path("symbol").asText(null))) {
                        kept.add(p);
                    }
                });
                if (kept.isEmpty()) {
                    it.remove();
                    continue;
                }
                ex.set("positions", kept);
                ex.put("total_position_value", sum(kept, "notional"));
                ex.put("total_unrealized_pnl", sum(kept, "unrealized_pnl"));
                ex.put("total_realized_pnl", sum(kept, "realized_pnl"));
            }
            value = value.add(decimal(ex.get("total_position_value")));
            unrealized = unrealized.add(decimal(ex.get("total_unrealized_pnl")));
            realized = realized.add(decimal(ex.get("total_realized_pnl")));
        }
        copy.put("total_position_value", value);
        copy.put("total_unrealized_pnl", unrealized);
        copy.put("total_realized_pnl", realized);
        return copy;
    }

    private static BigDecimal sum(ArrayNode positions, String field) {
        BigDecimal total = BigDecimal.ZERO;
        for (JsonNode p : positions) {
            total = total.add(decimal(p.get(field)));
        }
        return total;
    }

    private static BigDecimal decimal(JsonNode node) {
        return node == null || !node.isNumber() ? BigDecimal.ZERO : node.decimalValue();
    }
}
