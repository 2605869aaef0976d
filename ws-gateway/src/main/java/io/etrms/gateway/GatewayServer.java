package io.etrms.gateway;

import io.etrms.model.EtrmsConfig;
import jakarta.websocket.DeploymentException;
import java.time.Duration;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running ws-gateway: the Kafka reader, the broadcaster, and Jetty 12 serving the four
 * WebSocket channels ({@code /api/v1/ws/{positions|accounts|risk-metrics|alerts}}), REST,
 * health, metrics and the dashboard on one port. {@link #start} returns once listening;
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
        TopicReader reader = new TopicReader(config, broadcaster, metrics);
        ConnectionSupervisor supervisor = new ConnectionSupervisor(settings, metrics);
        AlertReplay replay = new AlertReplay(config, reader, settings, metrics);
        GatewayContext context = new GatewayContext(settings, metrics, broadcaster, reader, supervisor, replay,
                RiskControlPublisher.create(config));
        if (!settings.authEnabled()) {
            log.warn("authentication is off ({}=false): every caller may read every account and post risk-control", GatewaySettings.AUTH_ENABLED);
        }
        metrics.gauge("etrms.gateway.ready", "1 once caught up with the compacted topics", reader, r -> r.isReady() ? 1 : 0);

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
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        server.addConnector(connector);

        ServletContextHandler servlets = new ServletContextHandler("/");
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
        server.setHandler(new RequestGuard(context, authenticator, servlets));
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
        context.alertReplay().close();
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
