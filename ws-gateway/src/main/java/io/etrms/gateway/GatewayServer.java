package io.etrms.gateway;

import io.etrms.gateway.fanout.Channel;
import io.etrms.gateway.fanout.TopicBroadcaster;
import io.etrms.gateway.http.DashboardServlet;
import io.etrms.gateway.http.JwtAuthenticator;
import io.etrms.gateway.http.OpsServlet;
import io.etrms.gateway.http.RequestGuard;
import io.etrms.gateway.http.RestApiServlet;
import io.etrms.gateway.http.AuditedChanges;
import io.etrms.gateway.kafka.AdminTopicReader;
import io.etrms.gateway.kafka.AdminView;
import io.etrms.gateway.kafka.AlertHistory;
import io.etrms.gateway.kafka.EquityHistoryStore;
import io.etrms.gateway.kafka.OverviewPublisher;
import io.etrms.gateway.kafka.TopicReader;
import io.etrms.gateway.kafka.TransactionalPublisher;
import io.etrms.gateway.metrics.GatewayMetrics;
import io.etrms.gateway.ws.ChannelEndpoints;
import io.etrms.gateway.ws.ConnectionSupervisor;
import io.etrms.gateway.ws.WebSocketRules;
import io.etrms.http.AddressCounts;
import io.etrms.http.HttpHardening;
import io.etrms.http.JsonErrorHandler;
import io.etrms.model.EtrmsConfig;
import java.time.Duration;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.QoSHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running ws-gateway, and the one place its parts are built and wired (each gets what it needs
 * through its constructor): the Kafka reader ({@code kafka}), the broadcaster ({@code fanout}), the
 * WebSocket connections on Jetty 12's native WebSocket API ({@code ws}: the channels under
 * {@code /api/v1/ws/}), REST, health, metrics and the dashboard ({@code http}), on one port, behind {@link HttpHardening} (connection caps, read
 * deadlines, minimum data rate, JSON errors) and, for risk-control posts, Jetty's
 * {@link QoSHandler} (at most {@code etrms.gateway.max.concurrent.posts} read their body at once;
 * the others wait without a thread, then 503). {@link #start} returns once listening;
 * {@link #close} shuts down gracefully (every WebSocket closed with 1001, then the consumer,
 * then Jetty).
 *
 * <p>Package dependencies are one-way: {@code fanout} ← {@code metrics} ← {@code kafka} ←
 * {@code http} ← {@code ws} ← this package.
 */
public final class GatewayServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);

    private final Server server;
    private final GatewaySettings settings;
    private final GatewayMetrics metrics;
    private final TopicBroadcaster broadcaster;
    private final TopicReader reader;
    private final ConnectionSupervisor supervisor;
    private final AdminTopicReader adminReader;
    private final TransactionalPublisher changePublisher;

    private GatewayServer(EtrmsConfig config) {
        this.settings = GatewaySettings.from(config);
        JwtAuthenticator authenticator = settings.authEnabled() ? new JwtAuthenticator(settings.auth()) : null;
        this.metrics = new GatewayMetrics();
        this.broadcaster = new TopicBroadcaster();
        AlertHistory history = new AlertHistory(settings.alertHistoryPerAccount(), settings.alertHistoryMax());
        EquityHistoryStore equity = new EquityHistoryStore(settings.historyResolution(), settings.historyRetention(), settings.historyMaxPoints());
        this.reader = new TopicReader(config, broadcaster, history, new OverviewPublisher(broadcaster, settings.overviewInterval()), equity,
                metrics);
        WebSocketRules rules = settings.webSocketRules();
        this.supervisor = new ConnectionSupervisor(rules, metrics);
        AdminView admin = new AdminView(settings.auditHistoryMax(), settings.resetApprovalTtl());
        this.adminReader = new AdminTopicReader(config, admin, metrics);
        this.changePublisher = TransactionalPublisher.create(config, settings.changeRules().transactionalId());
        AuditedChanges changes = new AuditedChanges(settings.changeRules(), config.topics(), admin, adminReader, changePublisher, broadcaster,
                reader::isReady, metrics, System::currentTimeMillis);
        AddressCounts replays = new AddressCounts();
        if (!settings.authEnabled()) {
            log.warn("authentication is off ({}=false): every caller may read every account and post risk-control", GatewaySettings.AUTH_ENABLED);
        }
        metrics.gauge("etrms.gateway.ready", "1 once caught up with the compacted topics", reader, r -> r.isReady() ? 1 : 0);
        metrics.gauge("etrms.gateway.alert.history", "alerts kept for replays, all accounts", history, AlertHistory::size);
        metrics.gauge("etrms.gateway.audit.records", "audit records kept for GET /api/v1/audit", admin, AdminView::trailSize);
        metrics.gauge("etrms.gateway.history.points", "equity/drawdown points kept for charts, all accounts", equity, EquityHistoryStore::size);

        server = new Server();
        ServletContextHandler servlets = new ServletContextHandler("/");
        servlets.setErrorHandler(new JsonErrorHandler());
        servlets.addServlet(new ServletHolder("rest", new RestApiServlet(settings.apiRules(), broadcaster, reader, history, equity, replays,
                metrics, changes, admin)), "/api/v1/*");
        ServletHolder ops = new ServletHolder("ops", new OpsServlet(this::isReady, metrics));
        servlets.addServlet(ops, "/healthz");
        servlets.addServlet(ops, "/readyz");
        servlets.addServlet(ops, "/metrics");
        servlets.addServlet(new ServletHolder("dashboard", new DashboardServlet()), "/");
        QoSHandler posts = new QoSHandler(servlets);
        posts.includeMethod("POST");
        posts.includeMethod("PUT");
        posts.includeMethod("DELETE");
        posts.setMaxRequestCount(settings.maxConcurrentPosts());
        posts.setMaxSuspend(settings.maxPostWait());
        ChannelEndpoints webSockets = new ChannelEndpoints(rules, metrics, broadcaster, reader, history, supervisor, replays);
        HttpHardening.install(server, settings.host(), settings.port(), settings.httpLimits(),
                        new RequestGuard(settings.apiRules(), supervisor, metrics, authenticator, webSockets.handler(server, posts)))
                .bindMetrics(metrics.registry(), "etrms.gateway.http");
        server.setStopTimeout(settings.shutdownGrace().toMillis());
    }

    /** Starts the gateway on {@code etrms.http.port} (0: any free port). Does not block. */
    public static GatewayServer start(EtrmsConfig config) {
        GatewayServer gateway = new GatewayServer(config);
        gateway.reader.start();
        gateway.adminReader.start();
        try {
            gateway.server.start();
        } catch (Exception e) {
            gateway.close();
            throw new IllegalStateException("cannot start the gateway on " + gateway.settings.host() + ":" + gateway.settings.port() + ": "
                    + e.getMessage(), e);
        }
        log.info("ws-gateway listening on http://{}:{} (WebSocket {}*)", gateway.settings.host(), gateway.port(), Channel.WS_PREFIX);
        return gateway;
    }

    /** The port the gateway listens on (the real one when configured with 0). */
    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    /** True once the gateway has read the compacted topics (and the audit topic) up to where they ended at start. */
    public boolean isReady() {
        return reader.isReady() && adminReader.isReady();
    }

    GatewaySettings settings() {
        return settings;
    }

    GatewayMetrics metrics() {
        return metrics;
    }

    ConnectionSupervisor supervisor() {
        return supervisor;
    }

    @Override
    public void close() {
        long started = System.nanoTime();
        Duration grace = settings.shutdownGrace();
        supervisor.closeAll(grace);
        reader.close();
        adminReader.close();
        broadcaster.close();
        supervisor.close();
        try {
            server.stop();
        } catch (Exception e) {
            log.warn("stopping Jetty failed", e);
        }
        changePublisher.close();
        log.info("ws-gateway stopped in {} ms", Duration.ofNanos(System.nanoTime() - started).toMillis());
    }
}
