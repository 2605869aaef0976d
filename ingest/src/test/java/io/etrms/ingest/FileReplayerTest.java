package io.etrms.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.etrms.model.DeadLetter;
import io.etrms.model.EtrmsConfig;
import io.etrms.model.Fill;
import io.etrms.model.PriceTick;
import io.etrms.model.Topics;
import io.etrms.testing.KafkaCluster;
import io.etrms.testing.KafkaClusterExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaClusterExtension.class)
class FileReplayerTest {

    private static final Path FILLS = RecordFileReaderTest.FILLS_FIXTURE;
    private static final Path PRICES = RecordFileReaderTest.PRICES_FIXTURE;

    /** Collects bad lines as "file:line: reason". */
    private static final class BadLines implements FileReplayer.Listener {
        final List<String> lines = new ArrayList<>();

        @Override
        public void badLine(Path file, long line, String reason) {
            lines.add(file.getFileName() + ":" + line + ": " + reason);
        }
    }

    @Test
    void shouldSendGoodLinesToTheirTopicsAndBadLinesToDeadLetters(KafkaCluster kafka) throws Exception {
        // Given
        Topics topics = kafka.newTopics();
        EtrmsConfig config = kafka.config(topics, Map.of());
        BadLines bad = new BadLines();

        // When
        FileReplayer.Summary summary;
        try (IngestProducer producer = new IngestProducer(IngestProducer.newKafkaProducer(config, "test-replay"), topics)) {
            summary = new FileReplayer(producer, FileReplayer.Options.defaults(), bad).replay(List.of(FILLS, PRICES));
        }

        // Then
        assertThat(summary.lines()).isEqualTo(17);
        assertThat(summary.sent()).isEqualTo(8);
        assertThat(summary.acknowledged()).isEqualTo(8);
        assertThat(summary.rejected()).isEqualTo(9);
        assertThat(summary.failed()).isZero();
        assertThat(bad.lines).hasSize(9).contains("fills-mixed.jsonl:5: quantity must be > 0, was 0",
                "prices-mixed.csv:7: field timestamp: 'yesterday' is neither epoch milliseconds nor an ISO-8601 instant");
        try (TopicRecords<Fill> fills = new TopicRecords<>(kafka.bootstrapServers(), topics.fills);
             TopicRecords<PriceTick> prices = new TopicRecords<>(kafka.bootstrapServers(), topics.prices);
             TopicRecords<DeadLetter> deadLetters = new TopicRecords<>(kafka.bootstrapServers(), topics.deadLetters)) {
            assertThat(fills.awaitExactly(4)).extracting(r -> r.value().fillId()).containsExactlyInAnyOrder("r-1", "r-2", "r-3", "r-6");
            assertThat(prices.awaitExactly(4)).extracting(ConsumerRecord::key)
                    .containsExactlyInAnyOrder("binance|BTC/USDT:USDT", "coinbase|ETH/USDT", "binance|BTC/USDT:USDT", "coinbase|ETH/USDT");
            List<ConsumerRecord<String, DeadLetter>> letters = deadLetters.awaitExactly(9);
            assertThat(letters).extracting(r -> r.value().sourceTopic() + ":" + r.value().offset()).containsExactlyInAnyOrder(
                    FILLS + ":3", FILLS + ":5", FILLS + ":6", FILLS + ":9", FILLS + ":10", FILLS + ":11",
                    PRICES + ":5", PRICES + ":6", PRICES + ":7");
            ConsumerRecord<String, DeadLetter> zeroQuantity = letters.stream().filter(r -> r.value().offset() == 5 && r.value().sourceTopic().equals(FILLS.toString()))
                    .findFirst().orElseThrow();
            assertThat(zeroQuantity.key()).isEqualTo("binance|BTC/USDT:USDT");
            assertThat(zeroQuantity.value().partition()).isNull();
            assertThat(zeroQuantity.value().error()).isEqualTo("quantity must be > 0, was 0");
            assertThat(zeroQuantity.value().payload()).startsWith("{\"fill_id\":\"r-4\"");
        }
    }

    @Test
    void shouldStopAtTheFirstBadLineAndSendNothingWhenStrict() throws Exception {
        MockProducer<String, byte[]> mock = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
        BadLines bad = new BadLines();

        FileReplayer.Summary summary = new FileReplayer(new IngestProducer(mock, Topics.defaults()),
                new FileReplayer.Options(null, 0, true, false), bad).replay(List.of(PRICES, FILLS));

        assertThat(summary.stoppedAt()).isEqualTo(PRICES + ":5");
        assertThat(summary.sent()).isZero();
        assertThat(bad.lines).containsExactly("prices-mixed.csv:5: expected 4 CSV fields (exchange,symbol,price,timestamp), got 3");
        assertThat(mock.history()).isEmpty();
    }

    @Test
    void shouldShiftTimestampsSoTheFirstRecordHappensNow() throws Exception {
        MockProducer<String, byte[]> mock = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
        Topics topics = Topics.defaults();
        long before = System.currentTimeMillis();

        new FileReplayer(new IngestProducer(mock, topics), new FileReplayer.Options(null, 0, false, true), new BadLines())
                .replay(List.of(FILLS));

        List<Long> times = mock.history().stream().filter(r -> r.topic().equals(topics.fills.name()))
                .map(r -> topics.fills.valueSerde().deserialize(r.topic(), r.value()).timestamp()).toList();
        assertThat(times).hasSize(4);
        assertThat(times.get(0)).isBetween(before, System.currentTimeMillis());
        // the gaps stay: 1 s, 2 s and 5 s after the first
        assertThat(List.of(times.get(1) - times.get(0), times.get(2) - times.get(0), times.get(3) - times.get(0)))
                .containsExactly(1_000L, 2_000L, 5_000L);
    }

    @Test
    void shouldReplayPositionSnapshotsKeyedByAccountAndRebaseTheirTimestamps(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        MockProducer<String, byte[]> mock = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
        Topics topics = Topics.defaults();
        Path file = java.nio.file.Files.writeString(dir.resolve("snapshots.jsonl"),
                "{\"type\":\"position_snapshot\",\"account\":\"main\",\"exchange\":\"binance\",\"symbol\":\"BTC/USDT:USDT\",\"size\":2,"
                        + "\"timestamp\":1763971200000}\n"
                        + "{\"type\":\"position_snapshot\",\"account\":\"alt\",\"exchange\":\"okx\",\"symbol\":\"ETH/USDT\",\"size\":-0.5,"
                        + "\"timestamp\":1763971203000}\n");
        long before = System.currentTimeMillis();

        FileReplayer.Summary summary = new FileReplayer(new IngestProducer(mock, topics), new FileReplayer.Options(null, 0, false, true),
                new BadLines()).replay(List.of(file));

        assertThat(summary.sent()).isEqualTo(2);
        assertThat(mock.history()).extracting(r -> r.topic() + " " + r.key())
                .containsExactly(topics.positionSnapshots.name() + " main", topics.positionSnapshots.name() + " alt");
        List<io.etrms.model.PositionSnapshot> sent = mock.history().stream()
                .map(r -> topics.positionSnapshots.valueSerde().deserialize(r.topic(), r.value())).toList();
        assertThat(sent.get(0).timestamp()).isBetween(before, System.currentTimeMillis());
        assertThat(sent.get(1).timestamp() - sent.get(0).timestamp()).isEqualTo(3_000L); // 1763971203000 − 1763971200000
        assertThat(sent.get(1).size()).isEqualByComparingTo("-0.5");
    }
}
