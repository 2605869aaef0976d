package io.etrms.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etrms.model.Alert;
import io.etrms.model.EtrmsConfig;
import io.etrms.model.Position;
import io.etrms.model.PositionChange;
import io.etrms.model.Json;
import io.etrms.model.RiskCommand;
import io.etrms.model.RiskMetricsSnapshot;
import io.etrms.model.Topics;
import io.etrms.streams.common.AccountPartitioner;
import io.etrms.testing.KafkaCluster;
import io.etrms.testing.KafkaClusterExtension;
import java.io.File;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly once for breakers, on a real broker: the service is killed ({@code kill -9}, a separate
 * JVM) while the transaction that holds a breaker's alert and risk command is still open, more
 * breaching records arrive, and the service starts again on the same state directory. Readers
 * ({@code read_committed}) see exactly one warning, one trip alert and one command.
 */
@ExtendWith(KafkaClusterExtension.class)
class CircuitBreakerRestartIT {

    private static final long T0 = 1_764_000_000_000L;

    @Test
    void shouldPublishExactlyOneAlertAndOneCommandWhenKilledMidTransactionAndRestarted(KafkaCluster kafka, @TempDir Path dir)
            throws Exception {
        Topics topics = kafka.newTopics();
        String appId = kafka.uniqueId("breakers");
        Path state = dir.resolve("state");
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(EtrmsConfig.TOPIC_PREFIX, topics.prefix());
        settings.put(EtrmsConfig.TOPIC_PARTITIONS, Integer.toString(Topics.DEFAULT_PARTITIONS));
        settings.put(StreamsApp.APPLICATION_ID, appId);
        settings.put(StreamsApp.CREATE_TOPICS, "false");
        // The breach depends on positions only (not on whether a deposit was applied first):
        // notional 2000 is the limit, and leverage (unbounded without a deposit) is switched off.
        settings.put(StreamsApp.LIMIT_MAX_POSITION_NOTIONAL, "2000");
        settings.put(StreamsApp.LIMIT_MAX_LEVERAGE, "0");
        settings.put(StreamsApp.LIMIT_STALE_PRICE_SECONDS, "0"); // no ticks in this test: keep stale-price alerts out
        // A dead member must leave the group quickly so that the restart is not held up by it.
        settings.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000");
        settings.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1000");

        // Given: eve buys 1 BTC @ 100, 50 times; her notional 17 × 100 = 1700 passes the warning level
        // (80 % of 2000 = 1600) at the 17th buy, and 21 × 100 = 2100 > 2000 at the 21st.
        produce(kafka, positions(topics, 1, 50));

        // When: the service runs with a long commit interval, so the trip's transaction stays open, and is killed.
        // (The restart fences the killed instance's producers at once: same state directory, same process id.)
        Map<String, String> slowCommits = new LinkedHashMap<>(settings);
        slowCommits.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "600000");
        slowCommits.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), "900000");
        // Its log goes to target/ so that a failure can be read after the temp dir is gone.
        Process service = startService(kafka, state, slowCommits, Path.of("target", "circuit-breaker-restart-service.log").toFile());
        try (var uncommitted = consumer(kafka, topics.alerts.name(), IsolationLevel.READ_UNCOMMITTED)) {
            List<String> seen = new ArrayList<>();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ZERO).until(() -> {
                uncommitted.poll(Duration.ofMillis(100)).forEach(r -> seen.add(r.value()));
                // the trip's alert (the warning comes first, in the same open transaction)
                return seen.stream().anyMatch(v -> v.contains("\"type\":\"circuit_breaker\"")) || !service.isAlive();
            });
            assertThat(service.isAlive()).as("the service is running").isTrue();
        } finally {
            service.destroyForcibly();
            service.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(read(kafka, topics.alerts.name(), IsolationLevel.READ_COMMITTED)).as("committed before the kill").isEmpty();
        produce(kafka, positions(topics, 51, 100));

        // Then: started again on the same state, it ends with exactly one warning, one trip and one command.
        EtrmsConfig config = kafka.config(topics, settings).with(StreamsApp.STATE_DIR, state.toString());
        try (StreamsApp app = StreamsApp.start(config)) {
            awaitCaughtUp(kafka, topics, appId);
        }
        List<String> alerts = read(kafka, topics.alerts.name(), IsolationLevel.READ_COMMITTED);
        assertThat(alerts).as("committed alerts (service log: target/circuit-breaker-restart-service.log)").hasSize(2);
        Alert warning = Json.MAPPER.readValue(alerts.get(0), Alert.class);
        assertThat(warning.type()).isEqualTo(Alert.WARNED);
        assertThat(warning.alertId()).isEqualTo(1L);
        assertThat(warning.timestamp()).isEqualTo(T0 + 17);
        Alert alert = Json.MAPPER.readValue(alerts.get(1), Alert.class);
        assertThat(alert.type()).isEqualTo(Alert.TRIPPED);
        assertThat(alert.alertId()).isEqualTo(2L);
        assertThat(alert.conditionName()).isEqualTo("max_position_notional");
        assertThat(alert.timestamp()).isEqualTo(T0 + 21);
        assertThat(new BigDecimal(alert.context().get("value").toString())).isEqualByComparingTo("2100");

        List<String> commands = read(kafka, topics.riskCommands.name(), IsolationLevel.READ_COMMITTED);
        assertThat(commands).hasSize(1);
        assertThat(Json.MAPPER.readValue(commands.get(0), RiskCommand.class))
                .isEqualTo(new RiskCommand("eve|1", "eve", "reduce_only", "binance", "BTC/USDT", alert.description(), 2L, T0 + 21));

        List<String> metrics = read(kafka, topics.riskMetrics.name(), IsolationLevel.READ_COMMITTED);
        RiskMetricsSnapshot last = Json.MAPPER.readValue(metrics.get(metrics.size() - 1), RiskMetricsSnapshot.class);
        assertThat(last.riskMetrics().totalExposure()).isEqualByComparingTo("10000"); // 100 buys of 1 @ 100
        assertThat(last.riskMetrics().tradingState()).isEqualTo("REDUCE_ONLY");
        assertThat(last.riskMetrics().instrumentTradingStates()).isEqualTo(Map.of("binance", Map.of("BTC/USDT", "REDUCE_ONLY")));

        // The kill did hit an open transaction: its alert was written and aborted, then written again.
        assertThat(read(kafka, topics.alerts.name(), IsolationLevel.READ_UNCOMMITTED)).hasSizeGreaterThanOrEqualTo(2);
    }

    /**
     * eve's BTC position after her k-th buy of 1 @ 100, for k in [from, to], as stage 1 sends it
     * (a position change on account-updates, key account|exchange|symbol, partitioned by account). Fed directly so that only stage 2's
     * transaction is held open: with the long commit interval stage 2 would otherwise wait for
     * stage 1 to commit (it reads read_committed).
     */
    private static List<ProducerRecord<String, byte[]>> positions(Topics topics, int from, int to) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        int partition = AccountPartitioner.partitionOf("eve", Topics.DEFAULT_PARTITIONS);
        for (int k = from; k <= to; k++) {
            long ts = T0 + k;
            BigDecimal size = BigDecimal.valueOf(k);
            Position p = new Position("eve", "binance", "BTC/USDT", size, new BigDecimal("100"), new BigDecimal("100"), BigDecimal.ZERO,
                    BigDecimal.ZERO, size.multiply(new BigDecimal("100")), BigDecimal.ZERO, null, null, null, ts);
            records.add(new ProducerRecord<>(topics.accountUpdates.name(), partition, ts, p.key(),
                    topics.accountUpdates.valueSerde().serialize(topics.accountUpdates.name(), new PositionChange(p))));
        }
        return records;
    }

    /** The service as its own JVM ({@link StreamsMain}), on this test's class path. */
    private static Process startService(KafkaCluster kafka, Path state, Map<String, String> settings, File log) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), StreamsMain.class.getName(),
                "--bootstrap-servers", kafka.bootstrapServers(), "--state-dir", state.toString()));
        settings.forEach((k, v) -> command.add("-D" + k + "=" + v));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
    }

    private static byte[] json(Object value) {
        return Json.write(value).getBytes(StandardCharsets.UTF_8);
    }

    /** In order (one request in flight) and every send checked: nothing may be lost silently on fresh topics. */
    private static void produce(KafkaCluster kafka, List<ProducerRecord<String, byte[]>> records) throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1),
                new StringSerializer(), new ByteArraySerializer())) {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (ProducerRecord<String, byte[]> r : records) {
                sent.add(producer.send(r));
            }
            producer.flush();
            for (java.util.concurrent.Future<?> f : sent) {
                f.get();
            }
        }
    }

    /** Until stage 2 has committed every input record. */
    private static void awaitCaughtUp(KafkaCluster kafka, Topics topics, String appId) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() ->
                    caughtUp(admin, appId + "-account", List.of(topics.accountUpdates.name())));
        }
    }

    private static boolean caughtUp(Admin admin, String group, List<String> inputs) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (String topic : inputs) {
            for (int p = 0; p < Topics.DEFAULT_PARTITIONS; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
        }
        var ends = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get();
        for (var end : ends.entrySet()) {
            OffsetAndMetadata c = committed.get(end.getKey());
            if (end.getValue().offset() > 0 && (c == null || c.offset() < end.getValue().offset())) {
                return false;
            }
        }
        return true;
    }

    /** A consumer of every partition of {@code topic}, from the beginning. */
    private static KafkaConsumer<String, String> consumer(KafkaCluster kafka, String topic, IsolationLevel isolation) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.name().toLowerCase(java.util.Locale.ROOT));
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    /** Every value of the topic, in partition order. */
    private static List<String> read(KafkaCluster kafka, String topic, IsolationLevel isolation) {
        return kafka.readToEnd(topic, isolation).stream().map(ConsumerRecord::value).toList();
    }
}
