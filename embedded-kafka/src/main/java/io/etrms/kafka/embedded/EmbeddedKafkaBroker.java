package io.etrms.kafka.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka broker (KRaft, combined broker and controller, one node) running in this
 * JVM. Its log directory is formatted once; starting again on the same directory resumes the
 * same cluster with its data.
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(Path.of("data/kafka"), 9092, 9093)) {
 *     String bootstrap = broker.bootstrapServers();
 * }
 * }</pre>
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private final KafkaRaftServer server;
    private final int port;
    private final Path logDir;
    private volatile boolean closed;

    private EmbeddedKafkaBroker(KafkaRaftServer server, int port, Path logDir) {
        this.server = server;
        this.port = port;
        this.logDir = logDir;
    }

    /** Starts a broker on free ports. */
    public static EmbeddedKafkaBroker startOnFreePorts(Path logDir) {
        return start(logDir, freePort(), freePort(), Map.of());
    }

    public static EmbeddedKafkaBroker start(Path logDir, int port, int controllerPort) {
        return start(logDir, port, controllerPort, Map.of());
    }

    /**
     * Formats {@code logDir} if it holds no cluster yet, then starts the broker and waits until
     * it is up.
     *
     * @param overrides broker settings that replace the defaults of {@link #brokerProperties}
     */
    public static EmbeddedKafkaBroker start(Path logDir, int port, int controllerPort, Map<String, String> overrides) {
        try {
            Files.createDirectories(logDir);
            Properties props = brokerProperties(logDir, port, controllerPort);
            props.putAll(overrides);
            formatIfNeeded(logDir, props);
            KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
            long started = System.nanoTime();
            server.startup();
            log.info("Kafka broker up on localhost:{} in {} ms (data in {})", port, (System.nanoTime() - started) / 1_000_000, logDir);
            return new EmbeddedKafkaBroker(server, port, logDir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare Kafka log dir " + logDir, e);
        }
    }

    /** The settings of a one-node KRaft cluster that runs lean on a 2-core machine. */
    public static Properties brokerProperties(Path logDir, int port, int controllerPort) {
        Map<String, String> p = new TreeMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@localhost:" + controllerPort);
        p.put("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir.toAbsolutePath().toString());
        p.put("num.partitions", "3");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "3");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "3");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("log.cleaner.dedupe.buffer.size", "2097152");
        p.put("auto.create.topics.enable", "false");
        Properties props = new Properties();
        props.putAll(p);
        return props;
    }

    private static void formatIfNeeded(Path logDir, Properties props) throws IOException {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        Path config = logDir.resolveSibling(logDir.getFileName() + "-format.properties");
        try (Writer writer = Files.newBufferedWriter(config)) {
            props.store(writer, "written by EmbeddedKafkaBroker to format the log dir");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc;
        try (PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            rc = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()}, print);
        } catch (Exception e) {
            throw new IllegalStateException("formatting " + logDir + " failed: " + out.toString(StandardCharsets.UTF_8), e);
        } finally {
            Files.deleteIfExists(config);
        }
        if (rc != 0) {
            throw new IllegalStateException("formatting " + logDir + " failed (" + rc + "): " + out.toString(StandardCharsets.UTF_8));
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("localhost", 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    public int port() {
        return port;
    }

    public Path logDir() {
        return logDir;
    }

    /** Stops the broker and waits for it; safe to call twice. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.shutdown();
        server.awaitShutdown();
        log.info("Kafka broker on localhost:{} stopped", port);
    }
}
