package io.etrms.ingest;

import io.etrms.model.EtrmsConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP ingest service: a Jetty server with the {@link IngestHandler} on
 * {@code etrms.ingest.http.port} (default 8001), writing through one idempotent producer to
 * {@code fills}, {@code prices} and {@code transfers}. It is its own service (the {@code serve}
 * command), so feeding data never shares a process or a port with the dashboard gateway; the local
 * one-JVM stack may start it next to the gateway.
 */
public final class IngestServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IngestServer.class);

    private final Server server;
    private final ServerConnector connector;
    private final IngestProducer producer;
    private final IngestMetrics metrics;

    private IngestServer(Server server, ServerConnector connector, IngestProducer producer, IngestMetrics metrics) {
        this.server = server;
        this.connector = connector;
        this.producer = producer;
        this.metrics = metrics;
    }

    /** Starts the server with its own Kafka producer and Prometheus registry (served on {@code /metrics}). */
    public static IngestServer start(EtrmsConfig config) {
        return start(config, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    /** Starts the server, counting into {@code registry} ({@code /metrics} is served when it is a Prometheus registry). */
    public static IngestServer start(EtrmsConfig config, MeterRegistry registry) {
        EtrmsConfig c = IngestConfig.withDefaults(config);
        MarketSimulator.ensureInputTopics(c);
        IngestProducer producer = new IngestProducer(IngestProducer.newKafkaProducer(c, "etrms-http-ingest"), c.topics());
        try {
            return start(c, producer, new IngestMetrics(registry));
        } catch (RuntimeException e) {
            producer.close();
            throw e;
        }
    }

    /** Starts the server on a given producer (tests use a {@code MockProducer}). */
    static IngestServer start(EtrmsConfig config, IngestProducer producer, IngestMetrics metrics) {
        EtrmsConfig c = IngestConfig.withDefaults(config);
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("etrms-ingest-http");
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(c.get(IngestConfig.HTTP_HOST));
        connector.setPort(c.getInt(IngestConfig.HTTP_PORT));
        server.addConnector(connector);
        server.setHandler(new IngestHandler(producer, metrics, c.getLong(IngestConfig.HTTP_MAX_BODY_BYTES),
                c.getInt(IngestConfig.HTTP_MAX_ITEMS), c.getLong(IngestConfig.HTTP_ACK_TIMEOUT_MS),
                c.get(IngestConfig.HTTP_TOKEN, null)));
        server.setStopTimeout(5_000);
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start HTTP ingest on " + c.get(IngestConfig.HTTP_HOST) + ":"
                    + c.get(IngestConfig.HTTP_PORT) + ": " + e.getMessage(), e);
        }
        log.info("HTTP ingest listening on port {}: POST {}{fills,prices,transfers}", connector.getLocalPort(), IngestHandler.PATH_PREFIX);
        return new IngestServer(server, connector, producer, metrics);
    }

    /** The port the server listens on (the configured one, or the one picked for port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    public IngestMetrics metrics() {
        return metrics;
    }

    /** Waits until the server stops. */
    public void join() throws InterruptedException {
        server.join();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            log.warn("HTTP ingest did not stop cleanly: {}", e.toString());
        }
        producer.close();
    }
}
