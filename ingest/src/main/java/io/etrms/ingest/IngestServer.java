package io.etrms.ingest;

import io.etrms.http.HttpHardening;
import io.etrms.http.HttpLimits;
import io.etrms.http.OriginPolicy;
import io.etrms.model.EtrmsConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import java.time.Duration;
import java.util.Arrays;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.QoSHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP ingest service: a Jetty server with the {@link IngestHandler} on
 * {@code etrms.ingest.http.port} (default 8001), writing through one idempotent producer to
 * {@code fills}, {@code prices} and {@code transfers}. It is its own service (the {@code serve}
 * command), so feeding data never shares a process or a port with the dashboard gateway; the local
 * one-JVM stack may start it next to the gateway.
 *
 * <p>Hardened like the gateway ({@link HttpHardening}: connection caps in total and per address,
 * request-head and body deadlines, a minimum body data rate, JSON errors), and: bodies are read
 * without holding a thread; at most {@code etrms.ingest.http.max.concurrent.requests} ingest
 * requests are handled at once (Jetty's {@link QoSHandler}: the others wait without a thread, then
 * 503), while {@code /healthz} and {@code /metrics} never wait; without a token it listens on
 * loopback only unless told otherwise.
 */
public final class IngestServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IngestServer.class);

    private final Server server;
    private final ServerConnector connector;
    private final IngestProducer producer;
    private final IngestMetrics metrics;
    /** The producer's meters in the registry, when this server made the producer. */
    private AutoCloseable clientMetrics;

    private IngestServer(Server server, ServerConnector connector, IngestProducer producer, IngestMetrics metrics) {
        this.server = server;
        this.connector = connector;
        this.producer = producer;
        this.metrics = metrics;
    }

    /**
     * Starts the server with its own Kafka producer and Prometheus registry (served on
     * {@code /metrics}: the process meters, ours, and the producer's {@code kafka_producer_*}).
     */
    public static IngestServer start(EtrmsConfig config) {
        return start(config, IngestMetrics.create());
    }

    /** Starts the server, counting into {@code registry} ({@code /metrics} is served when it is a Prometheus registry). */
    public static IngestServer start(EtrmsConfig config, MeterRegistry registry) {
        return start(config, new IngestMetrics(registry));
    }

    private static IngestServer start(EtrmsConfig config, IngestMetrics metrics) {
        EtrmsConfig c = IngestConfig.withDefaults(config);
        MarketSimulator.ensureInputTopics(c);
        KafkaProducer<String, byte[]> kafkaProducer = IngestProducer.newKafkaProducer(c, "etrms-http-ingest");
        KafkaClientMetrics clientMetrics = new KafkaClientMetrics(kafkaProducer);
        clientMetrics.bindTo(metrics.registry());
        IngestProducer producer = new IngestProducer(kafkaProducer, c.topics(), metrics.sends());
        try {
            IngestServer server = start(c, producer, metrics);
            server.clientMetrics = clientMetrics;
            return server;
        } catch (RuntimeException e) {
            clientMetrics.close();
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
        String token = c.get(IngestConfig.HTTP_TOKEN, null);
        boolean authenticated = token != null && !token.isBlank();
        String host = HttpHardening.bindHost(c.get(IngestConfig.HTTP_HOST), authenticated,
                c.getBoolean(IngestConfig.HTTP_ALLOW_REMOTE_UNAUTHENTICATED), IngestConfig.HTTP_HOST,
                IngestConfig.HTTP_TOKEN, IngestConfig.HTTP_ALLOW_REMOTE_UNAUTHENTICATED);
        IngestHandler ingest = new IngestHandler(producer, metrics, c.getLong(IngestConfig.HTTP_MAX_BODY_BYTES),
                c.getInt(IngestConfig.HTTP_MAX_ITEMS), c.getLong(IngestConfig.HTTP_ACK_TIMEOUT_MS), token,
                OriginPolicy.of(Arrays.asList(c.get(IngestConfig.HTTP_ALLOWED_ORIGINS).split(","))));
        QoSHandler qos = new QoSHandler(ingest);
        qos.includePath(IngestHandler.PATH_PREFIX + "*");
        qos.setMaxRequestCount(c.getInt(IngestConfig.HTTP_MAX_CONCURRENT_REQUESTS));
        qos.setMaxSuspend(Duration.ofMillis(c.getLong(IngestConfig.HTTP_MAX_QUEUE_MS)));
        HttpHardening hardening = HttpHardening.install(server, host, c.getInt(IngestConfig.HTTP_PORT),
                HttpLimits.from(c, IngestConfig.HTTP_PREFIX), new RequestTimer(metrics, qos));
        hardening.bindMetrics(metrics.registry(), "etrms.ingest.http");
        ServerConnector connector = hardening.connector();
        server.setStopTimeout(5_000);
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start HTTP ingest on " + host + ":"
                    + c.get(IngestConfig.HTTP_PORT) + ": " + e.getMessage(), e);
        }
        log.info("HTTP ingest listening on {}:{}: POST {}{fills,prices,transfers,position-snapshots}", host, connector.getLocalPort(), IngestHandler.PATH_PREFIX);
        return new IngestServer(server, connector, producer, metrics);
    }

    /** The interface the server listens on (127.0.0.1 unless configured, or a token is set). */
    public String host() {
        return connector.getHost();
    }

    /** Times every request, from arrival to the answer written, into {@code etrms_ingest_http_request_seconds}. */
    private static final class RequestTimer extends Handler.Wrapper {
        private final IngestMetrics metrics;

        RequestTimer(IngestMetrics metrics, Handler handler) {
            super(handler);
            this.metrics = metrics;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            long started = System.nanoTime();
            String path = Request.getPathInContext(request);
            return super.handle(request, response, Callback.from(callback,
                    () -> metrics.request(path, response.getStatus(), System.nanoTime() - started)));
        }
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
        if (clientMetrics != null) {
            try {
                clientMetrics.close();
            } catch (Exception e) {
                log.warn("closing the producer's meters failed: {}", e.toString());
            }
        }
        producer.close();
    }
}
