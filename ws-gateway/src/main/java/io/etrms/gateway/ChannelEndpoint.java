package io.etrms.gateway;

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
 * frame closes the connection with 1003. The request was already checked by {@link RequestGuard}
 * (path, origin, caps, token, account).
 */
public final class ChannelEndpoint extends Endpoint {

    private static final Logger log = LoggerFactory.getLogger(ChannelEndpoint.class);
    private static final String CHANNEL = "etrms.channel";

    private final GatewayContext context;
    private volatile Connection connection;

    ChannelEndpoint(GatewayContext context) {
        this.context = context;
    }

    /** The endpoint configuration of {@code channel}: one {@link ChannelEndpoint} per connection. */
    static ServerEndpointConfig config(Channel channel, GatewayContext context) {
        ServerEndpointConfig config = ServerEndpointConfig.Builder.create(ChannelEndpoint.class, Channel.WS_PREFIX + channel.path())
                .configurator(new ServerEndpointConfig.Configurator() {
                    @Override
                    public <T> T getEndpointInstance(Class<T> endpointClass) {
                        return endpointClass.cast(new ChannelEndpoint(context));
                    }
                })
                .build();
        config.getUserProperties().put(CHANNEL, channel);
        return config;
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        Channel channel = (Channel) config.getUserProperties().get(CHANNEL);
        GatewaySettings settings = context.settings();
        SubscriptionRequest request;
        try {
            request = SubscriptionRequest.parse(channel, session.getRequestParameterMap(), settings.defaultAccount());
        } catch (IllegalArgumentException e) {
            closeQuietly(session, CloseReason.CloseCodes.VIOLATED_POLICY, e.getMessage());
            return;
        }
        session.setMaxTextMessageBufferSize(settings.maxInboundMessageBytes());
        session.setMaxBinaryMessageBufferSize(settings.maxInboundMessageBytes());
        session.setMaxIdleTimeout(0);

        GatewayMetrics.ChannelMeters meters = context.metrics().channel(channel);
        SessionSink sink = new SessionSink(session);
        OutboundSender sender = channel.isState()
                ? new ConflatingSender(sink, meters)
                : new QueueingSender(sink, meters, settings.alertQueueSize());
        Subscriber subscriber = new Subscriber(request, sender, settings.alertQueueSize());
        long now = System.nanoTime();
        Connection c = new Connection(channel, sink, subscriber,
                new FloodLimiter(settings.inboundRatePerSecond(), settings.inboundBurst(), now), context.metrics(), now);
        connection = c;

        session.addMessageHandler(String.class, c::onText);
        session.addMessageHandler(ByteBuffer.class, (MessageHandler.Partial<ByteBuffer>) (part, last) -> c.onBinary());
        session.addMessageHandler(PongMessage.class, pong -> c.onPong());
        meters.connections().incrementAndGet();
        context.supervisor().add(c);
        if (request.since() == null) {
            context.broadcaster().subscribe(subscriber);
        } else if (!context.reader().isReady()) {
            c.close(QueueingSender.TRY_AGAIN_LATER, "not ready: still reading the alerts topic; reconnect with since");
        } else if (!acquireReplay(c.remote())) {
            c.close(QueueingSender.TRY_AGAIN_LATER, "too many alert replays from this address at once; reconnect with since");
        } else {
            c.holdReplayPermit(() -> context.replays().decrement(c.remote()));
            replay(subscriber, request);
        }
    }

    private boolean acquireReplay(InetAddress from) {
        return from == null || context.replays().tryIncrement(from, context.settings().maxReplaysPerIp());
    }

    /**
     * Holds live alerts, queues the history after {@code since}, then releases the held ones newer
     * than the last replayed (an alert both in the history and held is sent once).
     */
    private void replay(Subscriber subscriber, SubscriptionRequest request) {
        subscriber.startHolding();
        context.broadcaster().subscribe(subscriber);
        List<ChannelMessage> history = context.history().after(request.account(), request.since(), Integer.MAX_VALUE, request.filter());
        long last = request.since();
        for (ChannelMessage alert : history) {
            alert.encoded(request.filter()).ifPresent(subscriber.sender()::offer);
            last = alert.alertId();
        }
        context.metrics().alertReplay();
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
        context.broadcaster().unsubscribe(c.subscriber());
        context.supervisor().remove(c);
        c.releaseReplay();
        context.metrics().channel(c.channel()).connections().decrementAndGet();
        int code = closeReason.getCloseCode().getCode();
        if (code == CloseReason.CloseCodes.TOO_BIG.getCode()) {
            context.metrics().policyClose(c.channel(), code);
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
