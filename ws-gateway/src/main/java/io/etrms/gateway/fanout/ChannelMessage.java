package io.etrms.gateway.fanout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.etrms.model.FirmOverview;
import io.etrms.model.Json;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One message of a channel, ready to send: the JSON text as-is (serialized once, shared by every
 * subscriber), what filtered views are rendered from, and the identity read from the value
 * ({@code account}, and {@code alert_id} for alerts). A filtered view is rendered once per
 * distinct filter and then shared too.
 * <ul>
 *   <li>a state topic's record keeps its parsed tree;</li>
 *   <li>an alert keeps no tree (the gateway holds up to {@code etrms.gateway.alert.history.max} of
 *       them), only what filters and the overview read: {@code exchange}, {@code symbol},
 *       {@code type}, {@code condition_name};</li>
 *   <li>the overview keeps its typed {@link FirmOverview}.</li>
 * </ul>
 */
public final class ChannelMessage {

    private final Channel channel;
    private final String account;
    private final String json;
    private final JsonNode tree;
    private final FirmOverview overview;
    private final long alertId;
    private final String alertType;
    private final String alertCondition;
    private final String alertExchange;
    private final String alertSymbol;
    private final Optional<EncodedText> unfiltered;
    private final ConcurrentHashMap<SnapshotFilter, Optional<EncodedText>> views = new ConcurrentHashMap<>();

    private ChannelMessage(Channel channel, String account, String json, JsonNode tree, FirmOverview overview, long alertId) {
        this.channel = channel;
        this.account = account;
        this.json = json;
        this.overview = overview;
        this.alertId = alertId;
        boolean alert = channel == Channel.ALERTS;
        this.tree = alert ? null : tree;
        this.alertType = alert ? tree.path("type").asText(null) : null;
        this.alertCondition = alert ? tree.path("condition_name").asText(null) : null;
        this.alertExchange = alert ? tree.path("exchange").asText(null) : null;
        this.alertSymbol = alert ? tree.path("symbol").asText(null) : null;
        this.unfiltered = Optional.of(EncodedText.of(json));
    }

    /**
     * Parses a topic value.
     *
     * @throws IllegalArgumentException when the value is not a JSON object with an {@code account}
     *                                  (and, for alerts, a numeric {@code alert_id})
     */
    public static ChannelMessage parse(Channel channel, String json) {
        JsonNode tree;
        try {
            tree = Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + Json.reason(e));
        }
        if (tree == null || !tree.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        String account = tree.path("account").asText("");
        if (account.isEmpty()) {
            throw new IllegalArgumentException("missing field account");
        }
        long alertId = -1;
        if (channel == Channel.ALERTS) {
            JsonNode id = tree.get("alert_id");
            if (id == null || !id.canConvertToLong() || !id.isIntegralNumber()) {
                throw new IllegalArgumentException("missing or non-integer alert_id");
            }
            alertId = id.longValue();
        }
        return new ChannelMessage(channel, account, json, tree, null, alertId);
    }

    /** The overview as the message of the {@link Channel#OVERVIEW} channel. */
    public static ChannelMessage overview(FirmOverview overview) {
        return new ChannelMessage(Channel.OVERVIEW, Channel.EVERY_ACCOUNT, Json.write(overview), null, overview, -1);
    }

    public Channel channel() {
        return channel;
    }

    public String account() {
        return account;
    }

    /** The message exactly as it was on Kafka (or as the gateway built it). */
    public String json() {
        return json;
    }

    /** The parsed value of a state topic's record; null for alerts and the overview. */
    public JsonNode tree() {
        return tree;
    }

    /** {@code alert_id} of an alert, -1 on the other channels. */
    public long alertId() {
        return alertId;
    }

    /** {@code type} of an alert ({@code circuit_breaker} or {@code circuit_breaker_cleared}); null on the other channels. */
    public String alertType() {
        return alertType;
    }

    /** The breaker an alert is about, {@code condition_name|exchange|symbol}; null on the other channels. */
    public String alertBreaker() {
        return alertCondition == null ? null : alertCondition + "|" + alertExchange + "|" + alertSymbol;
    }

    /** The text for a subscription with {@code filter}, or empty when it is not for it. */
    public Optional<String> render(SnapshotFilter filter) {
        return encoded(filter).map(EncodedText::text);
    }

    /**
     * {@link #render} as the message every WebSocket subscription with {@code filter} is sent,
     * shared by all of them. Allocates nothing once rendered.
     */
    public Optional<EncodedText> encoded(SnapshotFilter filter) {
        if (filter.isEmpty()) {
            return unfiltered;
        }
        if (channel == Channel.ALERTS) {
            return filter.admitsAlert(alertExchange, alertSymbol) ? unfiltered : Optional.empty();
        }
        if (channel == Channel.OVERVIEW && filter.accounts() == null) {
            return unfiltered;
        }
        Optional<EncodedText> view = views.get(filter);
        return view != null ? view : views.computeIfAbsent(filter,
                f -> Optional.of(EncodedText.of(channel == Channel.OVERVIEW ? f.render(overview) : f.render(channel, tree).orElseThrow())));
    }
}
