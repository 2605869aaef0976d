package io.etrms.gateway.fanout;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.etrms.model.Alert;
import io.etrms.model.FirmOverview;
import io.etrms.model.Json;
import io.etrms.model.PortfolioFilter;
import io.etrms.model.PortfolioSnapshot;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code exchange} and {@code symbol} query filters of a subscription, and the accounts a
 * token may read for the overview, applied to one message.
 * <ul>
 *   <li>positions: only the matching exchanges and positions; every total is the sum over what is
 *       shown ({@link PortfolioFilter});</li>
 *   <li>accounts: only the matching exchanges ({@code symbol} does not apply);</li>
 *   <li>risk-metrics: only the matching entries of {@code exchange_metrics},
 *       {@code symbol_metrics} and {@code position_limits}; account-wide figures stay the
 *       account's;</li>
 *   <li>alerts: alerts of the matching exchange/symbol plus account-wide ones ({@code "*"});
 *       other alerts are not sent;</li>
 *   <li>overview: only the rows of {@code accounts} (null: every account), with their own totals.</li>
 * </ul>
 * Filtered views are new JSON documents; an empty filter passes the message unchanged.
 *
 * @param accounts the accounts an overview subscriber may see; null for every account
 */
public record SnapshotFilter(String exchange, String symbol, Set<String> accounts) {

    public static final SnapshotFilter NONE = new SnapshotFilter(null, null, null);
    private static final ObjectWriter WRITER = Json.MAPPER.writer().with(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

    public SnapshotFilter(String exchange, String symbol) {
        this(exchange, symbol, null);
    }

    public SnapshotFilter {
        accounts = accounts == null ? null : Set.copyOf(accounts);
    }

    public boolean isEmpty() {
        return exchange == null && symbol == null && accounts == null;
    }

    /** This filter for a subscriber who may see only {@code readable} accounts (null: every account). */
    public SnapshotFilter withAccounts(Set<String> readable) {
        return new SnapshotFilter(exchange, symbol, readable);
    }

    /** The view of a state message's {@code value} for this filter (never empty for state channels). */
    Optional<String> render(Channel channel, JsonNode value) {
        return switch (channel) {
            case POSITIONS -> Optional.of(Json.write(PortfolioFilter.apply(portfolio(value), exchange, symbol)));
            case ACCOUNTS -> Optional.of(write(keepKeys(value.deepCopy(), "accounts", exchange)));
            case RISK_METRICS -> {
                ObjectNode copy = value.deepCopy();
                if (copy.get("risk_metrics") instanceof ObjectNode metrics) {
                    keepKeys(metrics, "exchange_metrics", exchange);
                    keepKeys(metrics, "symbol_metrics", symbol);
                    keepKeys(metrics, "position_limits", exchange);
                    if (symbol != null && metrics.get("position_limits") instanceof ObjectNode byExchange) {
                        byExchange.forEach(symbols -> {
                            if (symbols instanceof ObjectNode bySymbol) {
                                bySymbol.retain(symbol);
                            }
                        });
                    }
                }
                yield Optional.of(write(copy));
            }
            case ALERTS, OVERVIEW -> throw new IllegalArgumentException(channel + " has no tree view");
        };
    }

    /** The overview for this filter's accounts. */
    String render(FirmOverview overview) {
        return Json.write(accounts == null ? overview : overview.scopedTo(accounts::contains));
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

    private static PortfolioSnapshot portfolio(JsonNode value) {
        try {
            return Json.MAPPER.treeToValue(value, PortfolioSnapshot.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a portfolio snapshot: " + Json.reason(e), e);
        }
    }

    private static String write(JsonNode view) {
        try {
            return WRITER.writeValueAsString(view);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a filtered view", e);
        }
    }
}
