package io.etrms.gateway;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.etrms.model.Json;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One record of an output topic, ready to send: the topic value's JSON text as-is (serialized
 * once, shared by every subscriber), its parsed tree for filtered views, and the identity read
 * from the value ({@code account}, and {@code alert_id} for alerts). A filtered view is rendered
 * once per distinct filter and then shared too. An alert keeps no tree (the gateway holds up to
 * {@code etrms.gateway.alert.history.max} of them): a filter only admits it or not, by its
 * {@code exchange} and {@code symbol}. What goes to the WebSocket connections is an
 * {@link EncodedText}: encoded to UTF-8 once per message (or view), not once per connection.
 */
final class ChannelMessage {

    private static final ObjectWriter WRITER = Json.MAPPER.writer().with(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

    private final Channel channel;
    private final String account;
    private final String json;
    private final JsonNode tree;
    private final long alertId;
    private final String alertExchange;
    private final String alertSymbol;
    private final Optional<EncodedText> unfiltered;
    private final ConcurrentHashMap<SnapshotFilter, Optional<EncodedText>> views = new ConcurrentHashMap<>();

    private ChannelMessage(Channel channel, String account, String json, JsonNode tree, long alertId) {
        this.channel = channel;
        this.account = account;
        this.json = json;
        this.alertId = alertId;
        boolean alert = channel == Channel.ALERTS;
        this.tree = alert ? null : tree;
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
    static ChannelMessage parse(Channel channel, String json) {
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
        return new ChannelMessage(channel, account, json, tree, alertId);
    }

    Channel channel() {
        return channel;
    }

    String account() {
        return account;
    }

    /** The topic value exactly as it was on Kafka. */
    String json() {
        return json;
    }

    /** {@code alert_id} of an alert, -1 on state channels. */
    long alertId() {
        return alertId;
    }

    /** The text to send to a subscription with {@code filter}, or empty when it is not for it. */
    Optional<String> render(SnapshotFilter filter) {
        return encoded(filter).map(EncodedText::text);
    }

    /** {@link #render} as the shared message every subscription with {@code filter} is sent. Allocates nothing once rendered. */
    Optional<EncodedText> encoded(SnapshotFilter filter) {
        if (filter.isEmpty()) {
            return unfiltered;
        }
        if (channel == Channel.ALERTS) {
            return filter.admitsAlert(alertExchange, alertSymbol) ? unfiltered : Optional.empty();
        }
        Optional<EncodedText> view = views.get(filter);
        return view != null ? view : views.computeIfAbsent(filter,
                f -> f.apply(channel, tree).map(v -> v == tree ? unfiltered.get() : EncodedText.of(write(v))));
    }

    private static String write(JsonNode view) {
        try {
            return WRITER.writeValueAsString(view);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a filtered view", e);
        }
    }
}
