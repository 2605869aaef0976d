package io.etrms.streams.common;

import static io.etrms.streams.TestRecords.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.etrms.model.DeadLetter;
import io.etrms.model.EtrmsConfig;
import io.etrms.model.Position;
import io.etrms.model.PositionChange;
import io.etrms.model.RiskMetricsSnapshot;
import io.etrms.model.Topics;
import io.etrms.streams.TestRecords;
import io.etrms.streams.account.AccountSettings;
import io.etrms.streams.account.AccountTopology;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

/**
 * What Kafka Streams' own exception handling does with records the topology cannot use or
 * cannot write: a dead letter with the reason, and the stage goes on.
 */
class DeadLetterHandlerTest {

    private final Topics topics = Topics.defaults();

    private TopologyTestDriver driver(int maxRecordBytes, DeadLetterCounts counts) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, TestRecords.uniqueId("dead-letters-test"));
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        DeadLetterHandler.configure(props, topics.deadLetters.name(), counts);
        AccountSettings settings = AccountSettings.from(EtrmsConfig.of(Map.of())).withSnapshotIntervals(Duration.ZERO, Duration.ZERO);
        return new TopologyTestDriver(new AccountTopology(topics, settings, maxRecordBytes).buildTopology(), props);
    }

    @Test
    void shouldDeadLetterAnOutputLargerThanARecordMayBeAndGoOn() {
        DeadLetterCounts counts = new DeadLetterCounts();
        try (TopologyTestDriver driver = driver(800, counts)) {
            TestInputTopic<String, byte[]> transfers = driver.createInputTopic(topics.transfers.name(), new StringSerializer(),
                    new ByteArraySerializer());
            TestOutputTopic<String, DeadLetter> deadLetters = driver.createOutputTopic(topics.deadLetters.name(), new StringDeserializer(),
                    topics.deadLetters.valueSerde());
            TestOutputTopic<String, RiskMetricsSnapshot> metrics = driver.createOutputTopic(topics.riskMetrics.name(),
                    new StringDeserializer(), topics.riskMetrics.valueSerde());
            // One exchange: the risk-metrics snapshot (with its limits) is about 690 bytes; with three exchanges about 910, over 800.
            transfers.pipeInput("main", TestRecords.transfer("d1", "main", "binance", "1000", T0), T0);
            assertThat(metrics.readValuesToList()).hasSize(1);
            transfers.pipeInput("main", TestRecords.transfer("d2", "main", "coinbase", "1000", T0 + 1), T0 + 1);
            transfers.pipeInput("main", TestRecords.transfer("d3", "main", "kraken", "1000", T0 + 2), T0 + 2);

            List<DeadLetter> letters = deadLetters.readValuesToList();
            assertThat(letters).isNotEmpty().allSatisfy(l -> {
                assertThat(l.sourceTopic()).isEqualTo(topics.transfers.name());
                assertThat(l.error()).startsWith("record for etrms.").contains("too large: ").contains("more than etrms.record.max.bytes (800)");
            });
            assertThat(letters).extracting(DeadLetter::error).anySatisfy(e -> assertThat(e).startsWith("record for etrms.risk-metrics"));
            assertThat(counts.count(topics.transfers.name(), DeadLetterReason.TOO_LARGE)).isEqualTo(letters.size());
            // The stage went on: a record after them is processed (its accounts snapshot is small enough).
            TestOutputTopic<String, String> accounts = driver.createOutputTopic(topics.accounts.name(), new StringDeserializer(),
                    new StringDeserializer());
            accounts.readValuesToList();
            transfers.pipeInput("bob", TestRecords.transfer("b1", "bob", "binance", "5", T0 + 3), T0 + 3);
            assertThat(accounts.readValuesToList()).singleElement().asString().contains("\"account\":\"bob\"");
        }
    }

    @Test
    void shouldDeadLetterAnInternalRecordThatDoesNotDecodeWithItsRawPayload() {
        DeadLetterCounts counts = new DeadLetterCounts();
        try (TopologyTestDriver driver = driver(1_000_000, counts)) {
            TestInputTopic<String, byte[]> updates = driver.createInputTopic(topics.accountUpdates.name(), new StringSerializer(),
                    new ByteArraySerializer());
            TestOutputTopic<String, DeadLetter> deadLetters = driver.createOutputTopic(topics.deadLetters.name(), new StringDeserializer(),
                    topics.deadLetters.valueSerde());
            updates.pipeInput("main|binance|BTC", new byte[] {1, 9}, T0);                       // kind 9: no such update
            Position p = new Position("main", "binance", "BTC", BigDecimal.ONE, BigDecimal.TEN, BigDecimal.TEN, BigDecimal.ZERO,
                    BigDecimal.ZERO, BigDecimal.TEN, BigDecimal.ZERO, null, null, null, T0);
            updates.pipeInput(p.key(), topics.accountUpdates.valueSerde().serialize(topics.accountUpdates.name(), new PositionChange(p)), T0);

            DeadLetter letter = deadLetters.readValue();
            assertThat(letter.error()).isEqualTo("unparsable value: cannot decode account update from etrms.account-updates: "
                    + "unknown account update kind 9");
            assertThat(letter.sourceTopic()).isEqualTo(topics.accountUpdates.name());
            assertThat(letter.offset()).isEqualTo(0L);
            assertThat(letter.payload()).isEqualTo("\u0001\t");
            assertThat(deadLetters.isEmpty()).isTrue();
            assertThat(counts.count(topics.accountUpdates.name(), DeadLetterReason.UNPARSABLE)).isEqualTo(1);
            // the valid position change after it was applied
            assertThat(driver.createOutputTopic(topics.positions.name(), new StringDeserializer(), topics.positions.valueSerde())
                    .readValuesToList()).containsExactly(p);
        }
    }
}
