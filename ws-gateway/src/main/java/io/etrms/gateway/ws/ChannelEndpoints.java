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
import java.nio.ByteBuffer;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.core.server.WebSocketNegotiator;
import org.eclipse.jetty.websocket.core.server.WebSocketServerComponents;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket side of the gateway: Jetty's {@link WebSocketUpgradeHandler} with one mapping per
 * channel ({@code /api/v1/ws/{channel}}), each upgrade answered by a new {@link Endpoint} (an
 * inner class: every endpoint uses the shared parts given here).
 *
 * <p>The endpoints are on Jetty 12's public core WebSocket API ({@code org.eclipse.jetty.websocket.core}:
 * a {@link FrameHandler} per connection, sends with {@link CoreSession#sendFrame}), not on the
 * native {@code Session} API above it, which takes each message as a {@code String} and writes it
 * alone: it would encode the same text to UTF-8 once per connection, and a connection that fell
 * behind would catch up with one socket write per message. The core session takes a frame whose
 * payload is a view of the message's shared bytes, and batch mode, which writes the messages
 * buffered for a connection together ({@link SessionSink}). Nothing is cast to an implementation
 * class. What the native API did for us is here instead: demand for the next frame after each one,
 * a pong for each ping; Jetty's core session still answers a close and keeps the idle timeout.
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
    /**
     * Jetty's aggregate buffer for batched frames (default 4 KiB): frames below a quarter of it are
     * copied in, so one write carries up to 16 KiB of small messages. Pooled, and held by a
     * connection only while its write is in flight.
     */
    static final int OUTPUT_BUFFER_BYTES = 16 * 1024;

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
        WebSocketUpgradeHandler upgrades = new WebSocketUpgradeHandler(WebSocketServerComponents.ensureWebSocketComponents(server));
        for (Channel channel : Channel.values()) {
            WebSocketNegotiator.AbstractNegotiator negotiator = new WebSocketNegotiator.AbstractNegotiator() {
                @Override
                public FrameHandler negotiate(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
                    return create(channel, request, response);
                }
            };
            negotiator.setIdleTimeout(rules.idleTimeout().multipliedBy(2));
            negotiator.setOutputBufferSize(OUTPUT_BUFFER_BYTES);
            upgrades.addMapping(Channel.WS_PREFIX + channel.path(), negotiator);
        }
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
     * One WebSocket connection on one channel, a Jetty core {@link FrameHandler} (a new instance per
     * connection). On open it builds the connection's sender and subscription and registers it: the
     * broadcaster then sends the current snapshot and every change; an alerts connection with {@code since} first gets the replay from the {@link AlertHistory},
     * queued whole at once (it fits: the history keeps at most as many alerts per account as the queue
     * holds). A replay needs a permit of the caller's address (at most
     * {@code etrms.gateway.max.replays.per.ip} at once, held until the replayed alerts are written)
     * and a gateway that has read the alerts topic: else 1013, try again later. Every inbound frame
     * goes through {@link Connection#onFrame} (flood limit, binary 1003); each ping is answered with a pong.
     * The request was already checked by the HTTP side's {@code RequestGuard} (path, origin, caps,
     * token, account).
     */
    public final class Endpoint implements FrameHandler {

        private final SubscriptionRequest request;
        private volatile CoreSession session;
        private volatile Connection connection;

        Endpoint(SubscriptionRequest request) {
            this.request = request;
        }

        @Override
        public void onOpen(CoreSession session, Callback callback) {
            this.session = session;
            try {
                open(session);
            } catch (RuntimeException e) {
                callback.failed(e);
                return;
            }
            callback.succeeded();
            session.demand();
        }

        private void open(CoreSession session) {
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
                alert.encoded(request.filter()).ifPresent(subscriber.sender()::offer);
                last = alert.alertId();
            }
            metrics.alertReplay();
            subscriber.endReplay(last);
        }

        /**
         * Every inbound frame, pings, pongs and the close included. Text ({@code subscribe},
         * {@code ping}, anything) is accepted and never answered, and not even assembled: the
         * payload is dropped (the size limit is counted per frame, {@link Connection#onFrame}). A
         * ping gets a pong with its payload; after a close frame Jetty's session answers it and
         * asks for no more.
         */
        @Override
        public void onFrame(Frame frame, Callback callback) {
            Connection c = connection;
            byte opCode = frame.getOpCode();
            if (c != null) {
                c.onFrame(opCode, frame.getPayloadLength(), frame.isFin(), System.nanoTime());
            }
            if (opCode == OpCode.CLOSE) {
                callback.succeeded();
                return;
            }
            // the frame's buffer is Jetty's again once the callback completes
            ByteBuffer pong = opCode == OpCode.PING ? BufferUtil.copy(frame.getPayload()) : null;
            callback.succeeded();
            if (pong != null && session.isOutputOpen()) {
                session.sendFrame(new Frame(OpCode.PONG, pong), Callback.NOOP, false);
            }
            session.demand();
        }

        @Override
        public void onClosed(CloseStatus closeStatus, Callback callback) {
            closed(closeStatus.getCode());
            callback.succeeded();
        }

        private void closed(int statusCode) {
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
            if (statusCode == CloseStatus.MESSAGE_TOO_LARGE) {
                metrics.policyClose(c.channel(), statusCode);
            }
        }

        @Override
        public void onError(Throwable failure, Callback callback) {
            log.debug("WebSocket error on a {} connection", request.channel().path(), failure);
            callback.succeeded();
        }
    }

}
