package io.etrms.cluster;

import io.etrms.model.EtrmsConfig;
import io.etrms.model.TopicAdmin;
import io.etrms.model.Topics;
import io.etrms.streams.StreamsApp;
import io.etrms.streams.StreamsMain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ETRMS deployed as separate processes on one machine, the way {@code docker-compose.yml} deploys
 * it in containers: a {@link KraftProcessCluster}, the topics created up front with the cluster's
 * replication, and any number of streams-app ({@code io.etrms.streams.StreamsMain}) and ws-gateway
 * ({@code io.etrms.gateway.GatewayMain}) instances, each started by its real {@code main} and
 * configured the production way: a properties file ({@code --config}), {@code KAFKA_*} /
 * {@code ETRMS_*} environment variables and command-line flags.
 *
 * <p>Every streams-app instance shares one application id (they split the partitions); each has
 * its own state directory, kept across restarts as a container volume would be. Every gateway
 * keeps its port across restarts.
 */
public final class ProcessDeployment implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProcessDeployment.class);

    public static final List<String> STREAMS_JVM_OPTIONS = List.of(
            "-Xms64m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true");
    public static final List<String> GATEWAY_JVM_OPTIONS = List.of(
            "-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true");

    /**
     * The shape of the deployment.
     *
     * @param brokers         KRaft nodes
     * @param partitions      partitions of every ETRMS topic
     * @param topicPrefix     prefix of every topic name
     * @param applicationId   {@code etrms.streams.application.id} of every streams-app instance
     * @param streamsSettings more streams-app settings (Kafka Streams or {@code etrms.*}), as {@code -D} flags
     * @param gatewaySettings more gateway settings, as {@code -D} flags
     */
    public record Settings(int brokers, int partitions, String topicPrefix, String applicationId,
                           Map<String, String> streamsSettings, Map<String, String> gatewaySettings) {
        public Settings {
            streamsSettings = Map.copyOf(streamsSettings);
            gatewaySettings = Map.copyOf(gatewaySettings);
        }
    }

    private final Path dir;
    private final String classpath;
    private final Settings settings;
    private final KraftProcessCluster kafka;
    private final boolean ownsCluster;
    private final Topics topics;
    private final Map<String, ChildJvm> services = new ConcurrentHashMap<>();
    private final Map<Integer, Integer> gatewayPorts = new ConcurrentHashMap<>();
    private final Map<Integer, Integer> streamsHealthPorts = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ProcessDeployment(Path dir, String classpath, Settings settings, KraftProcessCluster kafka, boolean ownsCluster) {
        this.dir = dir;
        this.classpath = classpath;
        this.settings = settings;
        this.kafka = kafka;
        this.ownsCluster = ownsCluster;
        this.topics = new Topics(settings.topicPrefix(), settings.partitions());
    }

    /** Starts the brokers and creates every ETRMS topic (the compose file's topic-creation step). */
    public static ProcessDeployment start(Path dir, String classpath, Settings settings, Duration timeout) {
        KraftProcessCluster kafka = KraftProcessCluster.start(dir, settings.brokers(), classpath, Map.of(), timeout);
        ProcessDeployment deployment = new ProcessDeployment(dir, classpath, settings, kafka, true);
        try {
            TopicAdmin.ensureTopics(kafka.adminConfig(), deployment.topics.all(), deployment.replication());
            return deployment;
        } catch (RuntimeException e) {
            deployment.close();
            throw e;
        }
    }

    /**
     * Another deployment on this one's cluster, under {@code dir}, with its own topics (created
     * here) and application id; closing it stops its services only.
     */
    public ProcessDeployment alongside(Path dir, Settings settings) {
        if (settings.brokers() != this.settings.brokers()) {
            throw new IllegalArgumentException("a deployment alongside shares the cluster of " + this.settings.brokers() + " brokers");
        }
        ProcessDeployment other = new ProcessDeployment(dir, classpath, settings, kafka, false);
        TopicAdmin.ensureTopics(kafka.adminConfig(), other.topics.all(), other.replication());
        return other;
    }

    public short replication() {
        return (short) Math.min(3, settings.brokers());
    }

    public KraftProcessCluster kafka() {
        return kafka;
    }

    public Topics topics() {
        return topics;
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public String instrumentGroup() {
        return settings.applicationId() + "-instrument";
    }

    public String accountGroup() {
        return settings.applicationId() + "-account";
    }

    /**
     * Starts streams-app instance {@code n} (again, on its state directory). Configuration comes
     * in all three layers: topics and application id from a {@code --config} file, the cluster from
     * {@code KAFKA_BOOTSTRAP_SERVERS}, the state directory, the health endpoint's port (the same
     * one at every start, see {@link #streamsHealth(int)}) and {@link Settings#streamsSettings} as flags.
     */
    public ChildJvm startStreams(int n) {
        String name = "streams-" + n;
        Path home = dir.resolve(name);
        Map<String, String> file = new LinkedHashMap<>();
        file.put(EtrmsConfig.TOPIC_PREFIX, settings.topicPrefix());
        file.put(EtrmsConfig.TOPIC_PARTITIONS, Integer.toString(settings.partitions()));
        file.put(EtrmsConfig.TOPIC_REPLICATION, Integer.toString(replication()));
        file.put(StreamsApp.APPLICATION_ID, settings.applicationId());
        file.put(StreamsApp.CREATE_TOPICS, "false");
        Path config = writeProperties(home.resolve("streams.properties"), file);
        List<String> args = new ArrayList<>(List.of("--config", config.toString(), "--state-dir", home.resolve("state").toString()));
        int healthPort = streamsHealthPorts.computeIfAbsent(n, k -> Ports.free());
        args.add("-D" + StreamsMain.HEALTH_PORT + "=" + healthPort);
        settings.streamsSettings().forEach((k, v) -> args.add("-D" + k + "=" + v));
        return startService(new ChildJvm.Spec(name, "io.etrms.streams.StreamsMain", args, STREAMS_JVM_OPTIONS,
                Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers()), home.resolve("streams.log")));
    }

    /**
     * Starts gateway instance {@code n} (again, on the same port): the cluster and the topic prefix
     * from the environment ({@code KAFKA_BOOTSTRAP_SERVERS}, {@code ETRMS_TOPIC_PREFIX}), the port
     * and {@link Settings#gatewaySettings} as flags.
     */
    public ChildJvm startGateway(int n) {
        String name = "gateway-" + n;
        int port = gatewayPorts.computeIfAbsent(n, k -> Ports.free());
        List<String> args = new ArrayList<>(List.of("--port", Integer.toString(port)));
        settings.gatewaySettings().forEach((k, v) -> args.add("-D" + k + "=" + v));
        Map<String, String> env = Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers(), "ETRMS_TOPIC_PREFIX", settings.topicPrefix());
        return startService(new ChildJvm.Spec(name, "io.etrms.gateway.GatewayMain", args, GATEWAY_JVM_OPTIONS, env,
                dir.resolve(name).resolve("gateway.log")));
    }

    private ChildJvm startService(ChildJvm.Spec spec) {
        ChildJvm previous = services.get(spec.name());
        if (previous != null && previous.isAlive()) {
            throw new IllegalStateException(spec.name() + " is running");
        }
        ChildJvm child = ChildJvm.start(spec, classpath);
        services.put(spec.name(), child);
        return child;
    }

    public ChildJvm service(String name) {
        ChildJvm child = services.get(name);
        if (child == null) {
            throw new IllegalArgumentException("no service " + name);
        }
        return child;
    }

    /** The answer of streams-app instance {@code n}'s {@code GET /healthz}: status code and body. */
    public HttpResponse<String> streamsHealth(int n) throws IOException, InterruptedException {
        Integer port = streamsHealthPorts.get(n);
        if (port == null) {
            throw new IllegalArgumentException("streams-app " + n + " was never started");
        }
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/healthz")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public int gatewayPort(int n) {
        Integer port = gatewayPorts.get(n);
        if (port == null) {
            throw new IllegalArgumentException("gateway " + n + " was never started");
        }
        return port;
    }

    /** Waits until gateway {@code n} answers {@code GET /readyz} with 200 (caught up with the state topics). */
    public void awaitGatewayReady(int n, Duration timeout) {
        ChildJvm gateway = service("gateway-" + n);
        URI readyz = URI.create("http://localhost:" + gatewayPort(n) + "/readyz");
        Awaitility.await(gateway.name() + " ready").atMost(timeout).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> {
                    requireAlive(gateway);
                    return http.send(HttpRequest.newBuilder(readyz).timeout(Duration.ofSeconds(2)).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                });
    }

    /** Waits until both stages' consumer groups are stable with {@code members} members each. */
    public void awaitStreamsMembers(int members, Duration timeout) {
        try (Admin admin = Admin.create(kafka.adminConfig())) {
            Awaitility.await("both stages stable with " + members + " members").atMost(timeout)
                    .pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> {
                        services.values().stream().filter(s -> s.name().startsWith("streams-")).forEach(ProcessDeployment::requireAlive);
                        Map<String, ConsumerGroupDescription> groups = admin.describeConsumerGroups(List.of(instrumentGroup(), accountGroup()))
                                .all().get(10, TimeUnit.SECONDS);
                        return groups.values().stream().allMatch(g -> g.groupState() == GroupState.STABLE && g.members().size() == members);
                    });
        }
    }

    private static void requireAlive(ChildJvm child) {
        if (!child.isAlive() && !child.wasStopped()) {
            throw new IllegalStateException(child.name() + " exited:\n" + child.logTail(40));
        }
    }

    /**
     * Input records not yet processed and committed by each stage: stage 1 over {@code fills} and
     * {@code prices}, stage 2 over {@code account-updates} and {@code transfers}.
     */
    public Lag lag(Admin admin) throws Exception {
        return new Lag(groupLag(admin, instrumentGroup(), List.of(topics.fills.name(), topics.prices.name())),
                groupLag(admin, accountGroup(), List.of(topics.accountUpdates.name(), topics.transfers.name())));
    }

    /** Input records stage 1 has processed and committed: the sum of its committed offsets on {@code fills} and {@code prices}. */
    public long instrumentStageCommitted(Admin admin) throws Exception {
        return admin.listConsumerGroupOffsets(instrumentGroup()).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS)
                .values().stream().filter(java.util.Objects::nonNull).mapToLong(OffsetAndMetadata::offset).sum();
    }

    /** Records of the inputs of {@code group} past its committed offsets (read_committed ends). */
    public long groupLag(Admin admin, String group, List<String> inputs) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (String topic : inputs) {
            for (int p = 0; p < settings.partitions(); p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
        }
        long lag = 0;
        var ends = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get(10, TimeUnit.SECONDS);
        for (var end : ends.entrySet()) {
            OffsetAndMetadata c = committed.get(end.getKey());
            lag += Math.max(0, end.getValue().offset() - (c == null ? 0 : c.offset()));
        }
        return lag;
    }

    /** Records each stage has yet to process. */
    public record Lag(long instrumentStage, long accountStage) {
        public boolean isZero() {
            return instrumentStage == 0 && accountStage == 0;
        }
    }

    /** Waits until stage 1 has processed every fill and tick sent so far. */
    public void awaitInstrumentStageCaughtUp(Duration timeout) {
        awaitLag(timeout, lag -> lag.instrumentStage() == 0, "stage 1 caught up");
    }

    /** Waits until both stages have processed everything (stage 2 also what stage 1 published). */
    public void awaitCaughtUp(Duration timeout) {
        awaitLag(timeout, Lag::isZero, "both stages caught up");
    }

    private void awaitLag(Duration timeout, java.util.function.Predicate<Lag> done, String what) {
        try (Admin admin = Admin.create(kafka.adminConfig())) {
            Awaitility.await(what).atMost(timeout).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> done.test(lag(admin)));
        }
    }

    private static Path writeProperties(Path file, Map<String, String> values) {
        try {
            Files.createDirectories(file.getParent());
            Properties props = new Properties();
            props.putAll(values);
            try (Writer writer = Files.newBufferedWriter(file)) {
                props.store(writer, "written by ProcessDeployment");
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops every service of this deployment (SIGTERM, 20 s grace, in parallel). */
    public void stopServices() {
        List<Thread> stoppers = new ArrayList<>();
        for (ChildJvm service : services.values()) {
            if (service.isAlive()) {
                Thread t = new Thread(() -> service.terminate(Duration.ofSeconds(20)), "stop-" + service.name());
                t.start();
                stoppers.add(t);
            }
        }
        for (Thread t : stoppers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Stops every service, then the brokers when this deployment started them. */
    @Override
    public void close() {
        stopServices();
        if (ownsCluster) {
            kafka.close();
        }
        log.info("deployment under {} stopped", dir);
    }
}
