package io.etrms.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.etrms.model.Topic;
import io.etrms.model.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docker-compose.yml} is valid against the current compose-spec schema and clean for every
 * DCLint rule (there is no Docker engine here to run it), and deploys what the project promises:
 * a 3-node KRaft cluster at our Kafka version with replication 3 and {@code min.insync.replicas=2},
 * every topic of the registry created up front, two streams-app instances of one application, two
 * gateways behind a WebSocket-capable load balancer on :8000, the simulator, health checks.
 */
class ComposeFileTest {

    private static final List<String> BROKERS = List.of("kafka-1", "kafka-2", "kafka-3");

    @Test
    void shouldPassDclintAgainstTheComposeSpecSchemaAndEveryRule() throws Exception {
        NodeTools.Run lint = dclint(RepoFiles.composeFile());
        assertThat(lint.exitCode()).as("dclint output:%n%s", lint.output()).isZero();
    }

    @Test
    void shouldMakeDclintFailOnAFileThatBreaksTheSchema(@TempDir Path dir) throws Exception {
        // The validation above can fail: a service whose image is a number is not a compose file.
        Path bad = dir.resolve("docker-compose.yml");
        Files.writeString(bad, "name: bad\nservices:\n  x:\n    image: 5\n");
        NodeTools.Run lint = dclint(bad);
        assertThat(lint.exitCode()).as(lint.output()).isNotZero();
        assertThat(lint.output()).contains("invalid-schema").contains("/services/x/image");
    }

    @Test
    void shouldRunAThreeNodeKraftClusterAtOurKafkaVersionWithReplicationThree() {
        Map<String, Map<String, Object>> services = services();
        List<String> nodeIds = new ArrayList<>();
        for (String broker : BROKERS) {
            Map<String, Object> service = services.get(broker);
            assertThat(service).as(broker).isNotNull();
            assertThat(service.get("image")).as(broker).isEqualTo("apache/kafka:" + kafkaVersion());
            Map<String, String> env = env(service);
            assertThat(env.get("KAFKA_PROCESS_ROLES")).isEqualTo("broker,controller");
            assertThat(env.get("KAFKA_CONTROLLER_QUORUM_VOTERS")).isEqualTo("1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093");
            assertThat(env.get("KAFKA_DEFAULT_REPLICATION_FACTOR")).isEqualTo("3");
            assertThat(env.get("KAFKA_MIN_INSYNC_REPLICAS")).isEqualTo("2");
            assertThat(env.get("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR")).isEqualTo("3");
            assertThat(env.get("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR")).isEqualTo("3");
            assertThat(env.get("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR")).isEqualTo("2");
            assertThat(env.get("KAFKA_UNCLEAN_LEADER_ELECTION_ENABLE")).isEqualTo("false");
            assertThat(env.get("CLUSTER_ID")).hasSize(22);
            assertThat(service).containsKey("healthcheck");
            assertThat((List<?>) service.get("volumes")).as("%s keeps its log on a volume", broker).isNotEmpty();
            nodeIds.add(env.get("KAFKA_NODE_ID"));
        }
        assertThat(nodeIds).containsExactly("1", "2", "3");
    }

    @Test
    void shouldCreateTheTopicsFirstAndStartEveryServiceAfterIt() {
        Map<String, Map<String, Object>> services = services();
        Map<String, Object> topics = services.get("topics");
        assertThat(topics.get("image")).isEqualTo("apache/kafka:" + kafkaVersion());
        assertThat(String.valueOf(topics.get("command"))).contains("create-topics.sh");
        Map<String, String> topicEnv = env(topics);
        assertThat(topicEnv).containsEntry("ETRMS_TOPIC_REPLICATION_FACTOR", "3").containsEntry("ETRMS_TOPIC_MIN_INSYNC_REPLICAS", "2");
        for (String broker : BROKERS) {
            assertThat(dependsOn(topics)).containsEntry(broker, "service_healthy");
        }

        for (String name : List.of("streams-app-1", "streams-app-2", "ws-gateway-1", "ws-gateway-2", "simulator", "ingest")) {
            Map<String, Object> service = services.get(name);
            assertThat(service).as(name).isNotNull();
            assertThat(dependsOn(service)).as(name).containsEntry("topics", "service_completed_successfully");
            Map<String, String> env = env(service);
            assertThat(env.get("KAFKA_BOOTSTRAP_SERVERS")).as(name).isEqualTo("kafka-1:19092,kafka-2:19092,kafka-3:19092");
            assertThat(env).as(name)
                    .containsEntry("ETRMS_TOPIC_CREATE", "false")
                    .containsEntry("ETRMS_TOPIC_PREFIX", topicEnv.get("ETRMS_TOPIC_PREFIX"))
                    .containsEntry("ETRMS_TOPIC_PARTITIONS", topicEnv.get("ETRMS_TOPIC_PARTITIONS"))
                    .containsEntry("ETRMS_TOPIC_REPLICATION_FACTOR", "3");
        }
    }

    @Test
    void shouldRunTwoStreamsAppsOfOneApplicationEachWithItsOwnState() {
        Map<String, Map<String, Object>> services = services();
        Map<String, String> one = env(services.get("streams-app-1"));
        Map<String, String> two = env(services.get("streams-app-2"));
        assertThat(target(services.get("streams-app-1"))).isEqualTo("streams-app");
        assertThat(target(services.get("streams-app-2"))).isEqualTo("streams-app");
        assertThat(one.get("ETRMS_STREAMS_APPLICATION_ID")).isNotBlank().isEqualTo(two.get("ETRMS_STREAMS_APPLICATION_ID"));
        assertThat(one.get("KAFKA_TOPIC_MIN_INSYNC_REPLICAS")).isEqualTo("2");
        assertThat(one.get("KAFKA_GROUP_INSTANCE_ID")).isNotEqualTo(two.get("KAFKA_GROUP_INSTANCE_ID"));
        assertThat(services.get("streams-app-1").get("volumes")).isNotEqualTo(services.get("streams-app-2").get("volumes"));
        for (String name : List.of("streams-app-1", "streams-app-2")) {
            // The healthcheck asks the health endpoint on the port the service is given.
            String port = env(services.get(name)).get("ETRMS_STREAMS_HEALTH_PORT");
            assertThat(port).as(name).isEqualTo("8081");
            assertThat(String.valueOf(services.get(name).get("healthcheck"))).as(name)
                    .contains("/dev/tcp/127.0.0.1/" + port).contains("GET /healthz");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldServeTwoGatewaysThroughAWebSocketLoadBalancerOnPort8000() {
        Map<String, Map<String, Object>> services = services();
        for (String gateway : List.of("ws-gateway-1", "ws-gateway-2")) {
            Map<String, Object> service = services.get(gateway);
            assertThat(target(service)).isEqualTo("ws-gateway");
            assertThat(env(service)).containsEntry("KAFKA_ISOLATION_LEVEL", "read_committed");
            assertThat(String.valueOf(service.get("healthcheck"))).contains("/readyz");
        }
        Map<String, Object> lb = services.get("lb");
        assertThat((List<Object>) lb.get("ports")).containsExactly("127.0.0.1:8000:8000");
        assertThat(lb).containsKey("healthcheck");
        String mount = ((List<?>) lb.get("volumes")).get(0).toString();
        String config = RepoFiles.read(RepoFiles.root().resolve(mount.substring(2, mount.indexOf(':'))));
        assertThat(config)
                .contains("mode http")
                .contains("timeout tunnel")
                .contains("bind :8000")
                .contains("option httpchk GET /readyz")
                .contains("server ws-gateway-1 ws-gateway-1:8000")
                .contains("server ws-gateway-2 ws-gateway-2:8000");
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldRunTheSimulator() {
        Map<String, Object> simulator = services().get("simulator");
        assertThat(target(simulator)).isEqualTo("ingest");
        assertThat((List<Object>) simulator.get("command")).containsExactly("simulate");
    }

    @Test
    void shouldCreateEveryTopicOfTheRegistryWithItsCleanupPolicyAndRetention() {
        Map<String, String[]> script = new TreeMap<>();
        Matcher line = Pattern.compile("(?m)^create\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s*$")
                .matcher(RepoFiles.read(RepoFiles.root().resolve("deploy/kafka/create-topics.sh")));
        while (line.find()) {
            script.put(line.group(1), new String[] {line.group(2), line.group(3)});
        }
        Map<String, String[]> registry = new TreeMap<>();
        Topics topics = Topics.defaults();
        for (Topic<?> topic : topics.all()) {
            String policy = topic.configs().get(TopicConfig.CLEANUP_POLICY_CONFIG);
            String retention = topic.configs().getOrDefault(TopicConfig.RETENTION_MS_CONFIG, "-1");
            registry.put(topic.name().substring(topics.prefix().length()), new String[] {policy, retention});
        }
        assertThat(script.keySet()).isEqualTo(registry.keySet());
        registry.forEach((name, expected) -> assertThat(script.get(name)).as(name).containsExactly(expected));

        // The compaction settings of the state topics are the registry's too.
        String text = RepoFiles.read(RepoFiles.root().resolve("deploy/kafka/create-topics.sh"));
        Map<String, String> compaction = topics.positions.configs();
        assertThat(text)
                .contains("COMPACT_SEGMENT_MS=" + compaction.get(TopicConfig.SEGMENT_MS_CONFIG) + "\n")
                .contains("COMPACT_MIN_CLEANABLE_DIRTY_RATIO=" + compaction.get(TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG) + "\n")
                .contains("COMPACT_MAX_COMPACTION_LAG_MS=" + compaction.get(TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG) + "\n")
                .contains("--config \"segment.ms=$COMPACT_SEGMENT_MS\"")
                .contains("--config \"min.cleanable.dirty.ratio=$COMPACT_MIN_CLEANABLE_DIRTY_RATIO\"")
                .contains("--config \"max.compaction.lag.ms=$COMPACT_MAX_COMPACTION_LAG_MS\"");
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldLimitTheMemoryOfEveryContainerAndLeaveStreamsAppHalfForRocksDb() {
        Map<String, Map<String, Object>> services = services();
        services.forEach((name, service) -> assertThat(service.get("mem_limit")).as("mem_limit of %s", name).isNotNull());
        for (String name : List.of("streams-app-1", "streams-app-2")) {
            assertThat(services.get(name).get("mem_limit")).isEqualTo("1536m");
            assertThat(env(services.get(name)).get("JAVA_TOOL_OPTIONS")).contains("-XX:MaxRAMPercentage=50", "-XX:+ExitOnOutOfMemoryError");
        }
        // the Kafka heap (-Xmx1g) fits its 2g limit with room for the broker's off-heap buffers
        assertThat(services.get("kafka-1").get("mem_limit")).isEqualTo("2g");
        assertThat(env(services.get("kafka-1")).get("KAFKA_HEAP_OPTS")).contains("-Xmx1g");
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldRunPrometheusWithTheRulesAndGrafanaWithTheDashboard() {
        Map<String, Map<String, Object>> services = services();
        Map<String, Object> prometheus = services.get("prometheus");
        assertThat((List<Object>) prometheus.get("volumes")).contains("./deploy/prometheus:/etc/prometheus:ro");
        assertThat((List<Object>) prometheus.get("command")).contains("--config.file=/etc/prometheus/prometheus.yml");
        assertThat((List<Object>) prometheus.get("ports")).containsExactly("127.0.0.1:9090:9090");
        Map<String, Object> grafana = services.get("grafana");
        assertThat((List<Object>) grafana.get("volumes")).containsExactly("./deploy/grafana/provisioning:/etc/grafana/provisioning:ro",
                "./deploy/grafana/dashboards:/var/lib/grafana/dashboards:ro");
        assertThat((List<Object>) grafana.get("ports")).containsExactly("127.0.0.1:3000:3000");
        assertThat(dependsOn(grafana)).containsEntry("prometheus", "service_started");
    }

    /** {@code kafka.version} of the parent pom: the one Kafka version of the build. */
    private static String kafkaVersion() {
        Matcher m = Pattern.compile("<kafka.version>([^<]+)</kafka.version>").matcher(RepoFiles.read(RepoFiles.root().resolve("pom.xml")));
        assertThat(m.find()).as("kafka.version in pom.xml").isTrue();
        return m.group(1).trim();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> services() {
        return (Map<String, Map<String, Object>>) RepoFiles.compose().get("services");
    }

    /** The environment of a service with every value as the string the container sees. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> env(Map<String, Object> service) {
        Map<String, String> out = new LinkedHashMap<>();
        ((Map<String, Object>) service.getOrDefault("environment", Map.of())).forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> dependsOn(Map<String, Object> service) {
        Map<String, String> out = new LinkedHashMap<>();
        ((Map<String, Map<String, Object>>) service.getOrDefault("depends_on", Map.of()))
                .forEach((k, v) -> out.put(k, String.valueOf(v.get("condition"))));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static String target(Map<String, Object> service) {
        return String.valueOf(((Map<String, Object>) service.get("build")).get("target"));
    }

    private static NodeTools.Run dclint(Path composeFile) throws IOException, InterruptedException {
        return NodeTools.node("dclint/bin/dclint.cjs", "node_modules/dclint/bin/dclint.cjs", "--config", "dclint.config.json",
                "--max-warnings", "0", "--color", "false", composeFile.toString());
    }
}
