package io.etrms.gateway;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection on one channel (a new instance per connection). On open it builds the
 * connection's sender and subscription and registers it: the broadcaster then sends the current
 * snapshot and every change; an alerts connection with {@code since} first gets the replay. The
 * request was already checked by {@link RequestGuard} (path, origin, token, account).
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
        session.addMessageHandler(PongMessage.class, pong -> c.onPong());
        meters.connections().incrementAndGet();
        context.supervisor().add(c);
        if (request.since() != null) {
            subscriber.startHolding();
            context.broadcaster().subscribe(subscriber);
            context.alertReplay().replayTo(subscriber);
        } else {
            context.broadcaster().subscribe(subscriber);
        }
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
