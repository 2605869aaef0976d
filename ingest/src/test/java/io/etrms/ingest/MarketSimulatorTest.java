package io.etrms.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.etrms.ingest.MarketSimulator.Pacing;
import io.etrms.model.EtrmsConfig;
import io.etrms.model.Fill;
import io.etrms.model.PriceTick;
import io.etrms.model.Topics;
import io.etrms.model.Transfer;
import io.etrms.testing.KafkaCluster;
import io.etrms.testing.KafkaClusterExtension;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaClusterExtension.class)
class MarketSimulatorTest {

    @Test
    void shouldOpenPositionsOnEveryExchangeWithinTheFirstSeconds(KafkaCluster kafka) {
        // Given
        Topics topics = kafka.newTopics();
        EtrmsConfig config = kafka.config(topics, Map.of());

        // When
        try (MarketSimulator simulator = MarketSimulator.start(config, SimulatorOptions.defaults());
             TopicRecords<Transfer> transfers = new TopicRecords<>(kafka.bootstrapServers(), topics.transfers);
             TopicRecords<PriceTick> prices = new TopicRecords<>(kafka.bootstrapServers(), topics.prices);
             TopicRecords<Fill> fills = new TopicRecords<>(kafka.bootstrapServers(), topics.fills)) {

            // Then
            List<ConsumerRecord<String, Transfer>> deposits = transfers.awaitAtLeast(2);
            assertThat(deposits).extracting(r -> r.key() + " " + r.value().exchange() + " " + r.value().amount().toPlainString())
                    .containsExactlyInAnyOrder("main binance 100000", "main coinbase 100000");
            java.util.Set<String> instruments = java.util.Set.of(
                    "binance|BTC/USDT:USDT", "binance|ETH/USDT", "binance|SOL/USDT", "binance|DOGE/USDT",
                    "coinbase|BTC/USDT:USDT", "coinbase|ETH/USDT", "coinbase|SOL/USDT", "coinbase|DOGE/USDT");
            assertThat(TopicRecords.keys(prices.awaitUntil(r -> TopicRecords.keys(r).containsAll(instruments))))
                    .isEqualTo(instruments);
            // the opening fills, one per exchange, are the first two fills and come within the first seconds
            java.util.function.Predicate<ConsumerRecord<String, Fill>> isOpening = f -> f.value().fillId().matches("sim-.*-f[12]");
            List<ConsumerRecord<String, Fill>> opening = fills.awaitUntil(r -> r.stream().filter(isOpening).count() == 2);
            assertThat(opening).filteredOn(isOpening)
                    .extracting(r -> r.key() + " " + r.value().side())
                    .containsExactlyInAnyOrder("binance|BTC/USDT:USDT buy", "coinbase|ETH/USDT buy");
            // 2 deposits, 8 first ticks, 2 opening fills at least
            assertThat(simulator.acknowledged()).isGreaterThanOrEqualTo(12);
        }
    }

    @Test
    void shouldSendExactlyTheRequestedNumberOfRecordsWhenUnpaced(KafkaCluster kafka) throws Exception {
        Topics topics = kafka.newTopics();
        EtrmsConfig config = kafka.config(topics, Map.of());
        SimulatorOptions options = SimulatorOptions.defaults().withoutScenarios();
        // how the first 1 000 records of a run split over the topics does not depend on the start time
        Map<InputKind, Long> expected = new MarketEventGenerator(options, System.currentTimeMillis()).next(1_000).stream()
                .collect(java.util.stream.Collectors.groupingBy(InputRecord::kind, java.util.stream.Collectors.counting()));

        MarketSimulator simulator = MarketSimulator.start(config, options, Pacing.AS_FAST_AS_POSSIBLE, 1_000);
        assertThat(simulator.awaitCompletion(Duration.ofSeconds(60))).isTrue();
        simulator.close();

        assertThat(simulator.sent()).isEqualTo(1_000);
        assertThat(simulator.acknowledged()).isEqualTo(1_000);
        assertThat(simulator.failed()).isZero();
        try (TopicRecords<Fill> fills = new TopicRecords<>(kafka.bootstrapServers(), topics.fills);
             TopicRecords<PriceTick> prices = new TopicRecords<>(kafka.bootstrapServers(), topics.prices);
             TopicRecords<Transfer> transfers = new TopicRecords<>(kafka.bootstrapServers(), topics.transfers)) {
            assertThat(fills.awaitExactly(expected.get(InputKind.FILLS).intValue())).hasSize(expected.get(InputKind.FILLS).intValue());
            assertThat(prices.awaitExactly(expected.get(InputKind.PRICES).intValue())).hasSize(expected.get(InputKind.PRICES).intValue());
            assertThat(transfers.awaitExactly(2)).extracting(r -> r.value().amount()).containsOnly(new BigDecimal("100000"));
        }
    }

    @Test
    void shouldPublishTheDeskSetupBeforeTheFirstRecord(KafkaCluster kafka) throws Exception {
        Topics topics = kafka.newTopics();
        EtrmsConfig config = kafka.config(topics, Map.of());
        SimulatorOptions options = SimulatorOptions.defaults().withoutScenarios().withAccounts(java.util.List.of("main", "alice"));

        MarketSimulator simulator = MarketSimulator.start(config, options, DeskSetup.local(), Pacing.AS_FAST_AS_POSSIBLE, 10);
        assertThat(simulator.awaitCompletion(Duration.ofSeconds(60))).isTrue();
        simulator.close();

        try (TopicRecords<io.etrms.model.AccountGroup> groups = new TopicRecords<>(kafka.bootstrapServers(), topics.accountGroups);
             TopicRecords<io.etrms.model.GroupLimits> groupLimits = new TopicRecords<>(kafka.bootstrapServers(), topics.groupLimits);
             TopicRecords<io.etrms.model.RiskLimits> limits = new TopicRecords<>(kafka.bootstrapServers(), topics.riskLimits)) {
            assertThat(groups.awaitExactly(2)).extracting(r -> r.key() + " " + r.value().group())
                    .containsExactlyInAnyOrder("main demo/desk-1", "alice demo/desk-1");
            ConsumerRecord<String, io.etrms.model.GroupLimits> firm = groupLimits.awaitExactly(1).get(0);
            assertThat(firm.key()).isEqualTo("demo");
            assertThat(firm.value().maxGrossExposure()).isEqualTo(400_000.0);
            assertThat(firm.value().dailyLossLimit()).isEqualTo(60_000.0);
            assertThat(firm.value().sessionStart()).isEqualTo("17:00");
            assertThat(firm.value().sessionTimeZone()).isEqualTo("America/New_York");
            assertThat(limits.awaitExactly(0)).isEmpty();   // the * record is left alone
        }
    }
}
