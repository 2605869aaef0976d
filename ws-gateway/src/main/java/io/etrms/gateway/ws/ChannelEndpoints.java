package io.etrms.gateway.ws;

import io.etrms.gateway.fanout.Channel;
import io.etrms.gateway.fanout.ChannelMessage;
import io.etrms.gateway.fanout.ChannelMeters;
import io.etrms.gateway.fanout.ConflatingSender;
import io.etrms.gateway.fanout.OutboundSender;
import io.etrms.gateway.fanout.QueueingSender;
import io.etrms.gateway.fanout.Subscriber;
import io.etrms.gateway.fanout.SubscriptionRequest;
import io.etrms.gateway.fanout.TopicBroadcaster;
import io.etrms.gateway.http.Caller;
import io.etrms.gateway.http.RequestGuard;
import io.etrms.gateway.kafka.AlertHistory;
import io.etrms.gateway.kafka.TopicReader;
import io.etrms.gateway.metrics.GatewayMetrics;
import io.etrms.http.AddressCounts;
import java.net.InetAddress;
import java.util.List;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Frame;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket side of the gateway: Jetty's {@link WebSocketUpgradeHandler} with one mapping per
 * channel ({@code /api/v1/ws/{channel}}), each upgrade answered by a new {@link Endpoint} (an
 * inner class: every endpoint uses the shared parts given here).
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

    private static final Logger log = LoggerFactory.getLogger(ChannelEndpoints.class);

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

    private Endpoint create(Channel channel, ServerUpgradeRequest upgrade, ServerUpgradeResponse response) {
        response.setExtensions(List.of());
        // RequestGuard already refused a bad query with 400: this parse succeeds
        SubscriptionRequest request = SubscriptionRequest.parse(channel, RequestGuard.query(upgrade), rules.defaultAccount());
        if (channel == Channel.OVERVIEW && upgrade.getAttribute(RequestGuard.CALLER) instanceof Caller caller) {
            request = request.withAccounts(caller.readableAccounts());
        }
        return new Endpoint(request);
    }

    /**
     * One WebSocket connection on one channel, on Jetty's native WebSocket API (a new instance per
     * connection). On open it builds the connection's sender and subscription and registers it: the
     * broadcaster then sends the current snapshot and every change; an alerts connection with {@code since} first gets the replay from the {@link AlertHistory},
     * queued whole at once (it fits: the history keeps at most as many alerts per account as the queue
     * holds). A replay needs a permit of the caller's address (at most
     * {@code etrms.gateway.max.replays.per.ip} at once, held until the replayed alerts are written)
     * and a gateway that has read the alerts topic: else 1013, try again later. Every inbound frame
     * goes through {@link Connection#onFrame} (flood limit, binary 1003); pings are answered by Jetty.
     * The request was already checked by the HTTP side's {@code RequestGuard} (path, origin, caps,
     * token, account).
     */
    public final class Endpoint implements Session.Listener.AutoDemanding {

        private final SubscriptionRequest request;
        private volatile Connection connection;

        Endpoint(SubscriptionRequest request) {
            this.request = request;
        }

        @Override
        public void onWebSocketOpen(Session session) {
            ChannelMeters meters = metrics.channel(request.channel());
            SessionSink sink = new SessionSink(session);
            OutboundSender sender = request.channel().isState()
                    ? new ConflatingSender(sink, meters)
                    : new QueueingSender(sink, meters, rules.alertQueueSize());
            Subscriber subscriber = new Subscriber(request, sender, rules.alertQueueSize());
            long now = System.nanoTime();
            Connection c = new Connection(request.channel(), sink, subscriber,
                    new FloodLimiter(rules.inboundRatePerSecond(), rules.inboundBurst(), now), rules.maxInboundMessageBytes(), metrics, now);
            connection = c;
            meters.connections().incrementAndGet();
            supervisor.add(c);
            if (request.since() == null) {
                broadcaster.subscribe(subscriber);
            } else if (!reader.isReady()) {
                c.close(QueueingSender.TRY_AGAIN_LATER, "not ready: still reading the alerts topic; reconnect with since");
            } else if (!acquireReplay(c.remote())) {
                c.close(QueueingSender.TRY_AGAIN_LATER, "too many alert replays from this address at once; reconnect with since");
            } else {
                c.holdReplayPermit(() -> replays.decrement(c.remote()));
                replay(subscriber);
            }
        }

        private boolean acquireReplay(InetAddress from) {
            return from == null || replays.tryIncrement(from, rules.maxReplaysPerIp());
        }

        /**
         * Holds live alerts, queues the history after {@code since}, then releases the held ones newer
         * than the last replayed (an alert both in the history and held is sent once).
         */
        private void replay(Subscriber subscriber) {
            subscriber.startHolding();
            broadcaster.subscribe(subscriber);
            List<ChannelMessage> replayed = history.after(request.account(), request.since(), Integer.MAX_VALUE, request.filter());
            long last = request.since();
            for (ChannelMessage alert : replayed) {
                alert.render(request.filter()).ifPresent(subscriber.sender()::offer);
                last = alert.alertId();
            }
            metrics.alertReplay();
            subscriber.endReplay(last);
        }

        /**
         * Every inbound frame, pings and pongs included (Jetty still answers the pings itself). Text
         * ({@code subscribe}, {@code ping}, anything) is accepted and never answered, and not even
         * assembled: no text handler is declared, so Jetty drops the payloads (the size limit is
         * counted per frame, {@link Connection#onFrame}).
         */
        @Override
        public void onWebSocketFrame(Frame frame, Callback callback) {
            Connection c = connection;
            if (c != null) {
                c.onFrame(frame.getType(), frame.getPayloadLength(), frame.isFin(), System.nanoTime());
            }
            callback.succeed();
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason) {
            Connection c = connection;
            if (c == null) {
                return;
            }
            connection = null;
            c.subscriber().sender().stop();
            broadcaster.unsubscribe(c.subscriber());
            supervisor.remove(c);
            c.releaseReplay();
            metrics.channel(c.channel()).connections().decrementAndGet();
            if (statusCode == StatusCode.MESSAGE_TOO_LARGE) {
                metrics.policyClose(c.channel(), statusCode);
            }
        }

        @Override
        public void onWebSocketError(Throwable failure) {
            log.debug("WebSocket error on a {} connection", request.channel().path(), failure);
        }
    }

}
