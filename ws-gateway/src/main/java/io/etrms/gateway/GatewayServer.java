package io.etrms.gateway;

import io.etrms.http.AddressCounts;
import io.etrms.http.HttpHardening;
import io.etrms.http.JsonErrorHandler;
import io.etrms.model.EtrmsConfig;
import jakarta.websocket.DeploymentException;
import java.time.Duration;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.QoSHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running ws-gateway: the Kafka reader, the broadcaster, and Jetty 12 serving the four
 * WebSocket channels ({@code /api/v1/ws/{positions|accounts|risk-metrics|alerts}}), REST,
 * health, metrics and the dashboard on one port, behind {@link HttpHardening} (connection caps,
 * read deadlines, minimum data rate, JSON errors) and, for risk-control posts, Jetty's
 * {@link QoSHandler} (at most {@code etrms.gateway.max.concurrent.posts} read their body at once;
 * the others wait without a thread, then 503). {@link #start} returns once listening;
 * {@link #close} shuts down gracefully (every WebSocket closed with 1001, then the consumer,
 * then Jetty).
 */
public final class GatewayServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);

    private final Server server;
    private final GatewayContext context;

    private GatewayServer(Server server, GatewayContext context) {
        this.server = server;
        this.context = context;
    }

    /** Starts the gateway on {@code etrms.http.port} (0: any free port). Does not block. */
    public static GatewayServer start(EtrmsConfig config) {
        GatewaySettings settings = GatewaySettings.from(config);
        JwtAuthenticator authenticator = settings.authEnabled() ? new JwtAuthenticator(settings) : null;
        GatewayMetrics metrics = new GatewayMetrics();
        TopicBroadcaster broadcaster = new TopicBroadcaster();
        AlertHistory history = new AlertHistory(settings.alertHistoryPerAccount(), settings.alertHistoryMax());
        TopicReader reader = new TopicReader(config, broadcaster, history, metrics);
        ConnectionSupervisor supervisor = new ConnectionSupervisor(settings, metrics);
        GatewayContext context = new GatewayContext(settings, metrics, broadcaster, reader, supervisor, history, new AddressCounts(),
                RiskControlPublisher.create(config));
        if (!settings.authEnabled()) {
            log.warn("authentication is off ({}=false): every caller may read every account and post risk-control", GatewaySettings.AUTH_ENABLED);
        }
        metrics.gauge("etrms.gateway.ready", "1 once caught up with the compacted topics", reader, r -> r.isReady() ? 1 : 0);
        metrics.gauge("etrms.gateway.alert.history", "alerts kept for replays, all accounts", history, AlertHistory::size);

        Server server = newServer(context, authenticator);
        GatewayServer gateway = new GatewayServer(server, context);
        reader.start();
        try {
            server.start();
        } catch (Exception e) {
            gateway.close();
            throw new IllegalStateException("cannot start the gateway on " + settings.host() + ":" + settings.port() + ": " + e.getMessage(), e);
        }
        log.info("ws-gateway listening on http://{}:{} (WebSocket {}*)", settings.host(), gateway.port(), Channel.WS_PREFIX);
        return gateway;
    }

    /** The Jetty server of {@code context}, not yet started; {@code authenticator} null when auth is off. */
    static Server newServer(GatewayContext context, JwtAuthenticator authenticator) {
        GatewaySettings settings = context.settings();
        Server server = new Server();
        ServletContextHandler servlets = new ServletContextHandler("/");
        servlets.setErrorHandler(new JsonErrorHandler());
        JakartaWebSocketServletContainerInitializer.configure(servlets, (servletContext, container) -> {
            container.setDefaultMaxTextMessageBufferSize(settings.maxInboundMessageBytes());
            container.setDefaultMaxBinaryMessageBufferSize(settings.maxInboundMessageBytes());
            for (Channel channel : Channel.values()) {
                try {
                    container.addEndpoint(ChannelEndpoint.config(channel, context));
                } catch (DeploymentException e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        servlets.addServlet(new ServletHolder("rest", new RestApiServlet(context, context.controlPublisher())), "/api/v1/*");
        ServletHolder ops = new ServletHolder("ops", new OpsServlet(context));
        servlets.addServlet(ops, "/healthz");
        servlets.addServlet(ops, "/readyz");
        servlets.addServlet(ops, "/metrics");
        servlets.addServlet(new ServletHolder("dashboard", new DashboardServlet()), "/");
        QoSHandler posts = new QoSHandler(servlets);
        posts.includeMethod("POST");
        posts.setMaxRequestCount(settings.maxConcurrentPosts());
        posts.setMaxSuspend(settings.maxPostWait());
        HttpHardening.install(server, settings.host(), settings.port(), settings.httpLimits(), new RequestGuard(context, authenticator, posts))
                .bindMetrics(context.metrics().registry(), "etrms.gateway.http");
        server.setStopTimeout(settings.shutdownGrace().toMillis());
        return server;
    }

    /** The port the gateway listens on (the real one when configured with 0). */
    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    /** True once the gateway has read the compacted topics up to where they ended at start. */
    public boolean isReady() {
        return context.reader().isReady();
    }

    GatewayContext context() {
        return context;
    }

    @Override
    public void close() {
        long started = System.nanoTime();
        Duration grace = context.settings().shutdownGrace();
        context.supervisor().closeAll(grace);
        context.reader().close();
        context.broadcaster().close();
        context.supervisor().close();
        try {
            server.stop();
        } catch (Exception e) {
            log.warn("stopping Jetty failed", e);
        }
        context.controlPublisher().close();
        log.info("ws-gateway stopped in {} ms", Duration.ofNanos(System.nanoTime() - started).toMillis());
    }
}
