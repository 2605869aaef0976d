package io.etrms.cluster;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.awaitility.Awaitility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka cluster of {@code n} KRaft nodes, each a separate JVM process
 * ({@code kafka.Kafka server.properties}) with the combined broker and controller roles, on
 * loopback ports — what {@code docker-compose.yml} runs in containers. Replication 3 and
 * {@code min.insync.replicas=2} for a 3-node cluster: one node can be down without losing a
 * write or the controller quorum.
 *
 * <p>Each node's log directory is formatted once ({@code kafka.tools.StorageTool format}, run in
 * this JVM) with the cluster's id. Nodes can be stopped ({@link #stop}, SIGTERM: controlled
 * shutdown), killed ({@link #kill}, SIGKILL) and started again on the same data.
 */
public final class KraftProcessCluster implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KraftProcessCluster.class);

    /** Lean broker JVMs: the whole cluster, the services and the test share two cores. */
    public static final List<String> BROKER_JVM_OPTIONS = List.of(
            "-Xms128m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true");

    /**
     * One node.
     *
     * @param id             node.id (1-based)
     * @param port           client listener (PLAINTEXT) on localhost
     * @param controllerPort controller listener on localhost
     * @param dir            holds {@code server.properties}, the log directory and the process log
     */
    public record Node(int id, int port, int controllerPort, Path dir) {
        public Path properties() {
            return dir.resolve("server.properties");
        }

        public Path logDir() {
            return dir.resolve("data");
        }

        public Path processLog() {
            return dir.resolve("broker.log");
        }

        public String address() {
            return "localhost:" + port;
        }
    }

    private final List<Node> nodes;
    private final String classpath;
    private final Map<Integer, ChildJvm> running = new LinkedHashMap<>();

    private KraftProcessCluster(List<Node> nodes, String classpath) {
        this.nodes = List.copyOf(nodes);
        this.classpath = classpath;
    }

    /**
     * Formats and starts {@code size} nodes under {@code dir} and waits until every broker is
     * registered with the controller quorum.
     *
     * @param overrides broker settings that replace the defaults of {@link #brokerProperties}
     */
    public static KraftProcessCluster start(Path dir, int size, String classpath, Map<String, String> overrides, Duration timeout) {
        List<Node> nodes = new ArrayList<>();
        for (int id = 1; id <= size; id++) {
            nodes.add(new Node(id, Ports.free(), Ports.free(), dir.resolve("broker-" + id)));
        }
        KraftProcessCluster cluster = new KraftProcessCluster(nodes, classpath);
        String clusterId = Uuid.randomUuid().toString();
        try {
            for (Node node : nodes) {
                Files.createDirectories(node.logDir());
                Map<String, String> props = brokerProperties(node, nodes);
                props.putAll(overrides);
                write(props, node.properties());
                format(node, clusterId);
            }
            long started = System.nanoTime();
            nodes.forEach(n -> cluster.startNode(n.id()));
            cluster.awaitBrokers(size, timeout);
            log.info("KRaft cluster of {} nodes up in {} ms: {}", size, (System.nanoTime() - started) / 1_000_000, cluster.bootstrapServers());
            return cluster;
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
        }
    }

    /**
     * The settings of one node of a production-like cluster: every node a broker and a voter of
     * the controller quorum; replication 3 (or the cluster size, if smaller) for every internal
     * topic and by default; {@code min.insync.replicas} one less; no topic auto-creation.
     */
    public static Map<String, String> brokerProperties(Node node, List<Node> all) {
        int replication = Math.min(3, all.size());
        String minIsr = Integer.toString(Math.max(1, replication - 1));
        Map<String, String> p = new TreeMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(node.id()));
        p.put("controller.quorum.voters", all.stream().map(n -> n.id() + "@localhost:" + n.controllerPort()).collect(Collectors.joining(",")));
        p.put("listeners", "PLAINTEXT://localhost:" + node.port() + ",CONTROLLER://localhost:" + node.controllerPort());
        p.put("advertised.listeners", "PLAINTEXT://localhost:" + node.port());
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", node.logDir().toAbsolutePath().toString());
        p.put("default.replication.factor", Integer.toString(replication));
        p.put("min.insync.replicas", minIsr);
        p.put("offsets.topic.replication.factor", Integer.toString(replication));
        p.put("offsets.topic.num.partitions", "6");
        p.put("transaction.state.log.replication.factor", Integer.toString(replication));
        p.put("transaction.state.log.min.isr", minIsr);
        p.put("transaction.state.log.num.partitions", "6");
        p.put("share.coordinator.state.topic.replication.factor", Integer.toString(replication));
        p.put("share.coordinator.state.topic.min.isr", minIsr);
        p.put("unclean.leader.election.enable", "false");
        p.put("auto.create.topics.enable", "false");
        p.put("group.initial.rebalance.delay.ms", "0");
        // A crashed exactly-once producer's open transaction blocks read_committed readers until it
        // times out; look for timed-out transactions every 2 s instead of every 10 s.
        p.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "2000");
        // Small thread pools and cleaner buffer: three brokers share two cores with the services.
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("background.threads", "2");
        p.put("log.cleaner.dedupe.buffer.size", "2097152");
        return p;
    }

    private static void write(Map<String, String> props, Path file) throws IOException {
        Properties properties = new Properties();
        properties.putAll(props);
        try (Writer writer = Files.newBufferedWriter(file)) {
            properties.store(writer, "KRaft node written by KraftProcessCluster");
        }
    }

    /** {@code kafka-storage.sh format -t <cluster id> -c server.properties}, in this JVM. */
    private static void format(Node node, String clusterId) {
        if (Files.exists(node.logDir().resolve("meta.properties"))) {
            return;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc;
        try (PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            rc = StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", node.properties().toString()}, print);
        } catch (Exception e) {
            throw new IllegalStateException("formatting node " + node.id() + " failed: " + out.toString(StandardCharsets.UTF_8), e);
        }
        if (rc != 0) {
            throw new IllegalStateException("formatting node " + node.id() + " failed (" + rc + "): " + out.toString(StandardCharsets.UTF_8));
        }
    }

    /** Starts node {@code id} (again) on its data; returns at once. */
    public synchronized void startNode(int id) {
        ChildJvm previous = running.get(id);
        if (previous != null && previous.isAlive()) {
            throw new IllegalStateException("broker " + id + " is running");
        }
        Node node = node(id);
        running.put(id, ChildJvm.start(new ChildJvm.Spec("broker-" + id, "kafka.Kafka", List.of(node.properties().toString()),
                BROKER_JVM_OPTIONS, Map.of(), node.processLog()), classpath));
    }

    /** SIGTERM: a controlled shutdown (partition leadership moves away first). Waits for the exit. */
    public void stop(int id) {
        ChildJvm process = process(id);
        if (process != null) {
            process.terminate(Duration.ofSeconds(60));
        }
    }

    /** SIGKILL: the node crashes. */
    public void kill(int id) {
        ChildJvm process = process(id);
        if (process != null) {
            process.kill();
        }
    }

    public synchronized boolean isRunning(int id) {
        ChildJvm process = running.get(id);
        return process != null && process.isAlive();
    }

    private synchronized ChildJvm process(int id) {
        return running.get(id);
    }

    public Node node(int id) {
        return nodes.stream().filter(n -> n.id() == id).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node " + id));
    }

    public List<Node> nodes() {
        return nodes;
    }

    /** Every node's client address: clients find the live ones among them. */
    public String bootstrapServers() {
        return nodes.stream().map(Node::address).collect(Collectors.joining(","));
    }

    public Map<String, Object> adminConfig() {
        return Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
    }

    /** Waits until exactly {@code count} brokers are registered (alive and unfenced). */
    public void awaitBrokers(int count, Duration timeout) {
        try (Admin admin = Admin.create(adminConfig())) {
            Awaitility.await("brokers registered: " + count)
                    .atMost(timeout).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .until(() -> {
                        failIfDead();
                        return admin.describeCluster(new DescribeClusterOptions().timeoutMs(5_000))
                                .nodes().get(5, TimeUnit.SECONDS).size() == count;
                    });
        }
    }

    /** A node that exits while it should be starting (bad config, port taken) will never register. */
    private synchronized void failIfDead() {
        for (Map.Entry<Integer, ChildJvm> e : running.entrySet()) {
            if (!e.getValue().isAlive() && !e.getValue().wasStopped()) {
                throw new IllegalStateException("broker " + e.getKey() + " exited:\n" + e.getValue().logTail(40));
            }
        }
    }

    /** The number of in-sync replicas of every partition of {@code topics}, smallest first. */
    public int minIsr(List<String> topics) throws InterruptedException, ExecutionException, TimeoutException {
        try (Admin admin = Admin.create(adminConfig())) {
            return admin.describeTopics(topics).allTopicNames().get(15, TimeUnit.SECONDS).values().stream()
                    .flatMap(d -> d.partitions().stream())
                    .mapToInt(p -> p.isr().size()).min().orElse(0);
        }
    }

    /**
     * Kills every node. The cluster's data is throw-away; a parallel controlled shutdown of every
     * node would only wait for a controller quorum that is going away too.
     */
    @Override
    public void close() {
        List<ChildJvm> processes;
        synchronized (this) {
            processes = new ArrayList<>(running.values());
        }
        processes.stream().filter(ChildJvm::isAlive).forEach(ChildJvm::kill);
    }
}
