package io.etrms.gateway.ws;

import io.etrms.gateway.fanout.Channel;
import io.etrms.gateway.fanout.SubscriptionRequest;
import io.etrms.gateway.fanout.TopicBroadcaster;
import io.etrms.gateway.http.Caller;
import io.etrms.gateway.http.RequestGuard;
import io.etrms.gateway.kafka.AlertHistory;
import io.etrms.gateway.kafka.TopicReader;
import io.etrms.gateway.metrics.GatewayMetrics;
import io.etrms.http.AddressCounts;
import java.util.List;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * The WebSocket side of the gateway: Jetty's {@link WebSocketUpgradeHandler} with one mapping per
 * channel ({@code /api/v1/ws/{channel}}), each upgrade answered by a new {@link ChannelEndpoint}
 * given the gateway's shared parts.
 *
 * <p>Per-message compression ({@code permessage-deflate}, which browsers offer) is declined: one
 * message goes to thousands of connections as the same text, and deflate would compress it once
 * per connection and keep a zlib window (tens of KiB) per connection. Inbound messages are never
 * assembled: Jetty hands each frame over as it is parsed (a large one in fragments), and
 * {@link Connection#onFrame} closes a text message above
 * {@code etrms.gateway.max.inbound.message.bytes} with 1009. Jetty's own idle timeout
 * is a backstop at twice {@code etrms.gateway.idle.timeout.ms}; the {@link ConnectionSupervisor}
 * applies the real one.
 */
public final class ChannelEndpoints {

    private final WebSocketRules rules;
    private final GatewayMetrics metrics;
    private final TopicBroadcaster broadcaster;
    private final TopicReader reader;
    private final AlertHistory history;
    private final ConnectionSupervisor supervisor;
    private final AddressCounts replays;

    /** @param replays alert replays in progress per client address (shared with REST {@code /alerts}) */
    public ChannelEndpoints(WebSocketRules rules, GatewayMetrics metrics, TopicBroadcaster broadcaster, TopicReader reader,
                            AlertHistory history, ConnectionSupervisor supervisor, AddressCounts replays) {
        this.rules = rules;
        this.metrics = metrics;
        this.broadcaster = broadcaster;
        this.reader = reader;
        this.history = history;
        this.supervisor = supervisor;
        this.replays = replays;
    }

    /** The upgrade handler for every channel; other requests go on to {@code next}. */
    public WebSocketUpgradeHandler handler(Server server, Handler next) {
        WebSocketUpgradeHandler upgrades = WebSocketUpgradeHandler.from(server, container -> {
            container.setIdleTimeout(rules.idleTimeout().multipliedBy(2));
            for (Channel channel : Channel.values()) {
                container.addMapping(Channel.WS_PREFIX + channel.path(), (request, response, callback) -> create(channel, request, response));
            }
        });
        upgrades.setHandler(next);
        return upgrades;
    }

    private ChannelEndpoint create(Channel channel, ServerUpgradeRequest upgrade, ServerUpgradeResponse response) {
        response.setExtensions(List.of());
        // RequestGuard already refused a bad query with 400: this parse succeeds
        SubscriptionRequest request = SubscriptionRequest.parse(channel, RequestGuard.query(upgrade), rules.defaultAccount());
        if (channel == Channel.OVERVIEW && upgrade.getAttribute(RequestGuard.CALLER) instanceof Caller caller) {
            request = request.withAccounts(caller.readableAccounts());
        }
        return new ChannelEndpoint(request, rules, metrics, broadcaster, reader, history, supervisor, replays);
    }
}
