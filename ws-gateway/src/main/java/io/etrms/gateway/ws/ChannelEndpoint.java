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
import io.etrms.gateway.kafka.AlertHistory;
import io.etrms.gateway.kafka.TopicReader;
import io.etrms.gateway.metrics.GatewayMetrics;
import io.etrms.http.AddressCounts;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection on one channel (a new instance per connection). On open it builds the
 * connection's sender and subscription and registers it: the broadcaster then sends the current
 * snapshot and every change; an alerts connection with {@code since} first gets the replay from
 * the {@link AlertHistory}, queued whole at once (it fits: the history keeps at most as many
 * alerts per account as the queue holds). A replay needs a permit of the caller's address (at
 * most {@code etrms.gateway.max.replays.per.ip} at once, held until the replayed alerts are
 * written) and a gateway that has read the alerts topic: else 1013, try again later. A binary
 * frame closes the connection with 1003. The request was already checked by the HTTP side's
 * {@code RequestGuard} (path, origin, caps, token, account).
 */
public final class ChannelEndpoint extends Endpoint {

    private static final Logger log = LoggerFactory.getLogger(ChannelEndpoint.class);
    private static final String CHANNEL = "etrms.channel";

    private final WebSocketRules rules;
    private final GatewayMetrics metrics;
    private final TopicBroadcaster broadcaster;
    private final TopicReader reader;
    private final AlertHistory history;
    private final ConnectionSupervisor supervisor;
    private final AddressCounts replays;
    private volatile Connection connection;

    /** @param replays alert replays in progress per client address (shared with REST {@code /alerts}) */
    ChannelEndpoint(WebSocketRules rules, GatewayMetrics metrics, TopicBroadcaster broadcaster, TopicReader reader, AlertHistory history,
                    ConnectionSupervisor supervisor, AddressCounts replays) {
        this.rules = rules;
        this.metrics = metrics;
        this.broadcaster = broadcaster;
        this.reader = reader;
        this.history = history;
        this.supervisor = supervisor;
        this.replays = replays;
    }

    /**
     * The endpoint configuration of {@code channel}: one {@link ChannelEndpoint} per connection,
     * each given the gateway's shared parts.
     */
    public static ServerEndpointConfig config(Channel channel, WebSocketRules rules, GatewayMetrics metrics, TopicBroadcaster broadcaster,
                                              TopicReader reader, AlertHistory history, ConnectionSupervisor supervisor, AddressCounts replays) {
        ServerEndpointConfig config = ServerEndpointConfig.Builder.create(ChannelEndpoint.class, Channel.WS_PREFIX + channel.path())
                .configurator(new ServerEndpointConfig.Configurator() {
                    @Override
                    public <T> T getEndpointInstance(Class<T> endpointClass) {
                        return endpointClass.cast(new ChannelEndpoint(rules, metrics, broadcaster, reader, history, supervisor, replays));
                    }
                })
                .build();
        config.getUserProperties().put(CHANNEL, channel);
        return config;
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        Channel channel = (Channel) config.getUserProperties().get(CHANNEL);
        SubscriptionRequest request;
        try {
            request = SubscriptionRequest.parse(channel, session.getRequestParameterMap(), rules.defaultAccount());
        } catch (IllegalArgumentException e) {
            closeQuietly(session, CloseReason.CloseCodes.VIOLATED_POLICY, e.getMessage());
            return;
        }
        session.setMaxTextMessageBufferSize(rules.maxInboundMessageBytes());
        session.setMaxBinaryMessageBufferSize(rules.maxInboundMessageBytes());
        session.setMaxIdleTimeout(0);

        ChannelMeters meters = metrics.channel(channel);
        SessionSink sink = new SessionSink(session);
        OutboundSender sender = channel.isState()
                ? new ConflatingSender(sink, meters)
                : new QueueingSender(sink, meters, rules.alertQueueSize());
        Subscriber subscriber = new Subscriber(request, sender, rules.alertQueueSize());
        long now = System.nanoTime();
        Connection c = new Connection(channel, sink, subscriber,
                new FloodLimiter(rules.inboundRatePerSecond(), rules.inboundBurst(), now), metrics, now);
        connection = c;

        session.addMessageHandler(String.class, c::onText);
        session.addMessageHandler(ByteBuffer.class, (MessageHandler.Partial<ByteBuffer>) (part, last) -> c.onBinary());
        session.addMessageHandler(PongMessage.class, pong -> c.onPong());
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
            replay(subscriber, request);
        }
    }

    private boolean acquireReplay(InetAddress from) {
        return from == null || replays.tryIncrement(from, rules.maxReplaysPerIp());
    }

    /**
     * Holds live alerts, queues the history after {@code since}, then releases the held ones newer
     * than the last replayed (an alert both in the history and held is sent once).
     */
    private void replay(Subscriber subscriber, SubscriptionRequest request) {
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

    @Override
    public void onClose(Session session, CloseReason closeReason) {
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
        int code = closeReason.getCloseCode().getCode();
        if (code == CloseReason.CloseCodes.TOO_BIG.getCode()) {
            metrics.policyClose(c.channel(), code);
        }
    }

    @Override
    public void onError(Session session, Throwable failure) {
        log.debug("WebSocket error on {}", session.getRequestURI(), failure);
    }

    private static void closeQuietly(Session session, CloseReason.CloseCode code, String reason) {
        try {
            new SessionSink(session).close(code.getCode(), reason);
        } catch (RuntimeException e) {
            log.debug("close failed", e);
        }
    }
}
