package io.etrms.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etrms.model.EtrmsConfig;
import io.etrms.model.Fill;
import io.etrms.model.Json;
import io.etrms.model.Position;
import io.etrms.model.PriceTick;
import io.etrms.model.RiskMetricsSnapshot;
import io.etrms.model.Topics;
import io.etrms.model.Transfer;
import io.etrms.testing.KafkaCluster;
import io.etrms.testing.KafkaClusterExtension;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both stages on a real broker with exactly-once: a run that is stopped mid-stream (closed without
 * cleanup) and started again publishes exactly what an uninterrupted run publishes.
 */
@ExtendWith(KafkaClusterExtension.class)
class StreamsAppRestartIT {

    private static final long T0 = 1_764_000_000_000L;
    private static final List<String> ACCOUNTS = List.of("alice", "bob");
    private static final List<String> EXCHANGES = List.of("binance", "coinbase");
    private static final List<String> SYMBOLS = List.of("BTC/USDT:USDT", "ETH/USDT");

    @Test
    void shouldPublishTheSameNumbersWithAndWithoutARestartMidStream(KafkaCluster kafka, @TempDir Path state) throws Exception {
        List<ProducerRecord<String, byte[]>> input = dataSet();
        int half = input.size() / 2;

        // Uninterrupted run.
        Topics straight = kafka.newTopics();
        EtrmsConfig straightConfig = config(kafka, straight, state.resolve("straight"));
        produce(kafka, straight, input);
        try (StreamsApp app = StreamsApp.start(straightConfig)) {
            awaitFinal(kafka, straight, straightConfig.get(StreamsApp.APPLICATION_ID));
        }

        // Run stopped after the first half and started again on the same state.
        Topics restarted = kafka.newTopics();
        EtrmsConfig restartedConfig = config(kafka, restarted, state.resolve("restarted"));
        produce(kafka, restarted, input.subList(0, half));
        try (StreamsApp app = StreamsApp.start(restartedConfig)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> !kafka.committedValuesByKey(restarted.riskMetrics.name()).isEmpty());
        }
        produce(kafka, restarted, input.subList(half, input.size()));
        try (StreamsApp app = StreamsApp.start(restartedConfig)) {
            awaitFinal(kafka, restarted, restartedConfig.get(StreamsApp.APPLICATION_ID));
        }

        // Every position update, per position in order, exactly once: nothing lost, nothing repeated.
        // (Both intervals 0: each fill's change and each tick's re-mark is published, in order.)
        Map<String, List<String>> expectedPositions = kafka.committedValuesByKey(straight.positions.name());
        Map<String, List<String>> actualPositions = kafka.committedValuesByKey(restarted.positions.name());
        assertThat(actualPositions.keySet()).hasSize(2 * 2 * 2 + 1).isEqualTo(expectedPositions.keySet());
        actualPositions.forEach((key, updates) -> assertThat(updates).as(key).containsExactlyElementsOf(expectedPositions.get(key)));
        // carol's: her buy of 2 @ 100 (fee 1), then the tick to 104 re-marks it: (104 − 100) × 2 = 8
        List<String> carolPosition = actualPositions.get("carol|kraken|CAROL/USD");
        assertThat(carolPosition).hasSize(2);
        Position remarked = Json.MAPPER.readValue(carolPosition.get(1), Position.class);
        assertThat(remarked.size()).isEqualByComparingTo("2");
        assertThat(remarked.currentPrice()).isEqualByComparingTo("104");
        assertThat(remarked.unrealizedPnl()).isEqualByComparingTo("8");
        assertThat(remarked.realizedPnl()).isEqualByComparingTo("-1");

        // The final account figures. (Stage 2 sees the instruments of an account interleaved in
        // arrival order, so intermediate snapshots, and the peak and daily figures that depend on
        // them, may differ between any two runs; the final ledger may not.)
        Map<String, List<String>> expectedAccounts = kafka.committedValuesByKey(straight.accounts.name());
        Map<String, List<String>> actualAccounts = kafka.committedValuesByKey(restarted.accounts.name());
        Map<String, List<String>> actual = kafka.committedValuesByKey(restarted.riskMetrics.name());
        Map<String, List<String>> expected = kafka.committedValuesByKey(straight.riskMetrics.name());
        assertThat(actual.keySet()).containsExactlyInAnyOrder("alice", "bob", "carol");
        for (String account : actual.keySet()) {
            assertThat(lastJson(actualAccounts, account).path("accounts")).as(account).isEqualTo(lastJson(expectedAccounts, account).path("accounts"));
            var a = lastJson(actual, account).path("risk_metrics");
            var e = lastJson(expected, account).path("risk_metrics");
            for (String field : List.of("total_exposure", "net_exposure", "total_equity", "total_pnl", "exchange_metrics")) {
                assertThat(a.path(field)).as(account + " " + field).isEqualTo(e.path(field));
            }
        }

        // The hand-checkable part: carol deposits 1000, buys 2 @ 100 (fee 1), the price goes to 104.
        List<String> carolMetrics = actual.get("carol");
        RiskMetricsSnapshot carol = Json.MAPPER.readValue(carolMetrics.get(carolMetrics.size() - 1), RiskMetricsSnapshot.class);
        // equity = 1000 − 1 + (104 − 100) × 2 = 1007; exposure = 2 × 104 = 208
        assertThat(carol.riskMetrics().totalEquity()).isEqualByComparingTo("1007");
        assertThat(carol.riskMetrics().totalExposure()).isEqualByComparingTo("208");
    }

    /**
     * Kafka Streams does not leave its group on close, so a restarted instance waits for the old
     * member's session to expire (45 s by default): the broker's minimum, 6 s, keeps the restart short.
     */
    private static EtrmsConfig config(KafkaCluster kafka, Topics topics, Path state) {
        return kafka.config(topics, Map.of(
                StreamsApp.APPLICATION_ID, kafka.uniqueId("restart"),
                StreamsApp.STATE_DIR, state.toString(),
                StreamsApp.CREATE_TOPICS, "false",
                StreamsApp.SNAPSHOT_INTERVAL_MS, "0",
                StreamsApp.MARK_SNAPSHOT_INTERVAL_MS, "0",
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000",
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1000"));
    }

    /** 2 accounts × 2 exchanges × 2 symbols: deposits, then 400 ticks and fills on a seeded random walk. */
    private static List<ProducerRecord<String, byte[]>> dataSet() {
        Random random = new Random(7);
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        long t = T0;
        for (String account : ACCOUNTS) {
            for (String exchange : EXCHANGES) {
                records.add(record("transfers", account, t, new Transfer("d-" + exchange, account, exchange, new BigDecimal("100000"), t++)));
            }
        }
        Map<String, BigDecimal> prices = new TreeMap<>();
        for (int i = 0; i < 400; i++) {
            String exchange = EXCHANGES.get(random.nextInt(EXCHANGES.size()));
            String symbol = SYMBOLS.get(random.nextInt(SYMBOLS.size()));
            String instrument = exchange + "|" + symbol;
            BigDecimal price = prices.getOrDefault(instrument, new BigDecimal("1000"))
                    .add(BigDecimal.valueOf(random.nextInt(201) - 100, 2));
            prices.put(instrument, price);
            t += 250;
            if (random.nextBoolean()) {
                records.add(record("prices", instrument, t, new PriceTick(exchange, symbol, price, t)));
            } else {
                String account = ACCOUNTS.get(random.nextInt(ACCOUNTS.size()));
                BigDecimal qty = BigDecimal.valueOf(1 + random.nextInt(500), 3);
                records.add(record("fills", instrument, t, new Fill("f" + i, account, exchange, symbol,
                        random.nextBoolean() ? "buy" : "sell", qty, price, new BigDecimal("0.01"), t)));
            }
        }
        records.add(record("transfers", "carol", ++t, new Transfer("d-carol", "carol", "kraken", new BigDecimal("1000"), t)));
        records.add(record("fills", "kraken|CAROL/USD", ++t, new Fill("c1", "carol", "kraken", "CAROL/USD", "buy",
                new BigDecimal("2"), new BigDecimal("100"), new BigDecimal("1"), t)));
        records.add(record("prices", "kraken|CAROL/USD", ++t, new PriceTick("kraken", "CAROL/USD", new BigDecimal("104"), t)));
        return records;
    }

    /** The event time goes in the value and as the record's timestamp (which the broker replaces by its append time). */
    private static ProducerRecord<String, byte[]> record(String topicSuffix, String key, long timestamp, Object value) {
        return new ProducerRecord<>(topicSuffix, null, timestamp, key, Json.write(value).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * One record at a time, each sent once the clock has passed the previous one's append time.
     * The input topics stamp records with the broker's append time (LogAppendTime) and Kafka
     * Streams takes a task's next record from the input with the lowest timestamp: records batched
     * together would share a timestamp and interleave fills and ticks (and so every position
     * update) differently from run to run. Every send is checked: nothing may be lost silently.
     */
    private static void produce(KafkaCluster kafka, Topics topics, List<ProducerRecord<String, byte[]>> records) throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new StringSerializer(), new ByteArraySerializer())) {
            for (ProducerRecord<String, byte[]> r : records) {
                String topic = topics.prefix() + r.topic();
                long appended = producer.send(new ProducerRecord<>(topic, null, r.timestamp(), r.key(), r.value())).get().timestamp();
                while (System.currentTimeMillis() <= appended) {
                    Thread.onSpinWait();
                }
            }
        }
    }

    /** Until both stages have committed every input record: stage 1 first, then stage 2 over what stage 1 wrote. */
    private static void awaitFinal(KafkaCluster kafka, Topics topics, String applicationId) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() ->
                    caughtUp(admin, applicationId + "-instrument", List.of(topics.fills.name(), topics.prices.name()))
                    && caughtUp(admin, applicationId + "-account", List.of(topics.accountUpdates.name(), topics.transfers.name())));
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
            long endOffset = end.getValue().offset();
            OffsetAndMetadata c = committed.get(end.getKey());
            if (endOffset > 0 && (c == null || c.offset() < endOffset)) {
                return false;
            }
        }
        return true;
    }

    private static com.fasterxml.jackson.databind.JsonNode lastJson(Map<String, List<String>> byKey, String key) throws Exception {
        List<String> values = byKey.get(key);
        return Json.MAPPER.readTree(values.get(values.size() - 1));
    }
}
