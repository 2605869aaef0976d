package io.etrms.streams.account;

import static io.etrms.streams.TestRecords.T0;
import static io.etrms.streams.TestRecords.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import io.etrms.model.AccountsSnapshot;
import io.etrms.model.Alert;
import io.etrms.model.PortfolioSnapshot;
import io.etrms.model.Position;
import io.etrms.model.RiskMetricsSnapshot;
import io.etrms.model.Topics;
import io.etrms.streams.TestRecords;
import io.etrms.streams.breakers.Limits;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With a snapshot interval, an account's portfolio/accounts/risk-metrics snapshots go out at most
 * once per interval of wall-clock time (the latest), while breakers still run on every record and
 * alerts go out at once. The driver's wall clock only moves when the test moves it.
 */
class SnapshotConflationTest {

    private static final String BTC = "BTC/USDT:USDT";
    private static final long SECOND = 1000L;
    private static final long WALL0 = T0 + 86_400_000L;
    private static final Duration INTERVAL = Duration.ofMillis(20);
    /** Snapshots that only marks changed: at most every 500 ms. */
    private static final Duration MARK_INTERVAL = Duration.ofMillis(500);
    /** Every condition off; the test turns max_position_notional on with a {@code *} record. */
    private static final Limits ALL_OFF = new Limits(0, 0, 0, 0, 0, 0, 60, 0, 60);

    private final Topics topics = Topics.defaults();
    private TopologyTestDriver driver;
    private AccountInputs positions;
    private TestOutputTopic<String, Position> positionsOut;
    private TestOutputTopic<String, PortfolioSnapshot> portfolio;
    private TestOutputTopic<String, AccountsSnapshot> accounts;
    private TestOutputTopic<String, RiskMetricsSnapshot> metrics;
    private TestOutputTopic<String, Alert> alerts;

    @BeforeEach
    void setUp() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, TestRecords.uniqueId("conflation-test"));
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(new AccountTopology(topics, AccountStage.settings(ALL_OFF).withSnapshotIntervals(INTERVAL, MARK_INTERVAL))
                .buildTopology(), AccountStage.properties(props), Instant.ofEpochMilli(WALL0));
        positions = new AccountInputs(driver, topics);
        positionsOut = driver.createOutputTopic(topics.positions.name(), new StringDeserializer(), topics.positions.valueSerde());
        portfolio = driver.createOutputTopic(topics.portfolio.name(), new StringDeserializer(), topics.portfolio.valueSerde());
        accounts = driver.createOutputTopic(topics.accounts.name(), new StringDeserializer(), topics.accounts.valueSerde());
        metrics = driver.createOutputTopic(topics.riskMetrics.name(), new StringDeserializer(), topics.riskMetrics.valueSerde());
        alerts = driver.createOutputTopic(topics.alerts.name(), new StringDeserializer(), topics.alerts.valueSerde());
        driver.createInputTopic(topics.riskLimits.name(), new StringSerializer(), new ByteArraySerializer())
                .pipeInput("*", TestRecords.json(Map.of("max_position_notional", 200)), T0);
        driver.createInputTopic(topics.transfers.name(), new StringSerializer(), new ByteArraySerializer())
                .pipeInput("main", transfer("d1", "main", "binance", "1000", T0), T0);
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    /** BTC on binance bought at 100, marked at {@code price}: unrealized = (price − 100) × size, notional = size × price. */
    private void btc(String size, String price, String unrealized, String notional, long ts) {
        BigDecimal q = new BigDecimal(size);
        BigDecimal p = new BigDecimal(price);
        assertThat(new BigDecimal(unrealized)).isEqualByComparingTo(p.subtract(new BigDecimal("100")).multiply(q));
        assertThat(new BigDecimal(notional)).isEqualByComparingTo(q.multiply(p));
        positions.position("main", "binance", BTC, size, "100", price, "0", 0.0, 0.0, ts);
    }

    @Test
    void shouldPublishTheFirstChangeAtOnceAndTheLatestOfABurstAfterTheInterval() {
        // The deposit was the account's first record: out at once, equity 1000.
        assertThat(accounts.readValue().accounts().get("binance").equity()).isEqualByComparingTo("1000");
        assertThat(metrics.readValue().riskMetrics().totalEquity()).isEqualByComparingTo("1000");

        btc("1", "110", "10", "110", T0 + SECOND);   // within 20 ms of the deposit's snapshot: held
        btc("2", "110", "20", "220", T0 + 2 * SECOND); // 220 > 200: the breaker trips now, its alert is not held
        assertThat(alerts.readValuesToList()).extracting(Alert::conditionName).containsExactly("max_position_notional");
        assertThat(portfolio.isEmpty()).isTrue();
        assertThat(accounts.isEmpty()).isTrue();
        assertThat(metrics.isEmpty()).isTrue();

        driver.advanceWallClockTime(INTERVAL);
        // One of each, the latest: 2 × 110 = 220 held, 1000 + (110 − 100) × 2 = 1020 equity, BTC reduce-only.
        List<PortfolioSnapshot> portfolios = portfolio.readValuesToList();
        assertThat(portfolios).hasSize(1);
        assertThat(portfolios.get(0).totalPositionValue()).isEqualByComparingTo("220");
        assertThat(portfolios.get(0).totalUnrealizedPnl()).isEqualByComparingTo("20");
        assertThat(portfolios.get(0).exchanges().get("binance").positions()).extracting(Position::size)
                .usingElementComparator(BigDecimal::compareTo).containsExactly(new BigDecimal("2"));
        List<AccountsSnapshot> accountList = accounts.readValuesToList();
        assertThat(accountList).hasSize(1);
        assertThat(accountList.get(0).accounts().get("binance").equity()).isEqualByComparingTo("1020");
        List<RiskMetricsSnapshot> metricList = metrics.readValuesToList();
        assertThat(metricList).hasSize(1);
        assertThat(metricList.get(0).riskMetrics().totalEquity()).isEqualByComparingTo("1020");
        assertThat(metricList.get(0).riskMetrics().totalExposure()).isEqualByComparingTo("220");
        assertThat(metricList.get(0).riskMetrics().instrumentTradingStates()).isEqualTo(Map.of("binance", Map.of(BTC, "REDUCE_ONLY")));
        assertThat(metricList.get(0).timestamp()).isEqualTo(T0 + 2 * SECOND);
    }

    @Test
    void shouldStampRecordsWithThePublishTimeSoAnEventTimeAheadOfTheBrokerIsAccepted() {
        // Event time 3 days after the driver's wall clock: Kafka 4 refuses CreateTime timestamps more
        // than an hour ahead (message.timestamp.after.max.ms), which stopped stage 2 on such a replay.
        long future = WALL0 + 3 * 86_400_000L;
        driver.advanceWallClockTime(Duration.ofMillis(100)); // the first punctuation republishes the deposit's snapshots
        accounts.readValuesToList();
        metrics.readValuesToList();
        driver.advanceWallClockTime(Duration.ofMillis(100)); // quiet: the next change goes out at once
        btc("2", "110", "20", "220", future);   // 220 > 200: an alert too
        var portfolioRecord = portfolio.readRecord();
        assertThat(portfolioRecord.value().timestamp()).isEqualTo(future);          // the event time stays in the payload
        assertThat(portfolioRecord.timestamp()).isEqualTo(WALL0 + 200);              // the record: when it was published
        assertThat(accounts.readRecord().timestamp()).isEqualTo(WALL0 + 200);
        assertThat(metrics.readRecord().timestamp()).isEqualTo(WALL0 + 200);
        var alert = alerts.readRecord();
        assertThat(alert.value().timestamp()).isEqualTo(future);
        assertThat(alert.timestamp()).isEqualTo(WALL0 + 200);
    }

    @Test
    void shouldHoldAChangeUntilTheIntervalSinceTheLastSnapshotHasPassed() {
        driver.advanceWallClockTime(Duration.ofMillis(100)); // the first punctuation republishes the account (see SnapshotRepublishTest)
        accounts.readValuesToList();
        metrics.readValuesToList();
        driver.advanceWallClockTime(Duration.ofMillis(100)); // quiet: the next change goes out at once
        btc("1", "110", "10", "110", T0 + SECOND);
        assertThat(portfolio.readValue().totalUnrealizedPnl()).isEqualByComparingTo("10");
        assertThat(metrics.readValue().riskMetrics().totalEquity()).isEqualByComparingTo("1010");

        btc("2", "111", "22", "222", T0 + 2 * SECOND);        // a second fill 0 ms after that snapshot: held
        driver.advanceWallClockTime(Duration.ofMillis(19));
        assertThat(portfolio.isEmpty()).isTrue();
        driver.advanceWallClockTime(Duration.ofMillis(1));    // 20 ms: out
        assertThat(portfolio.readValuesToList()).extracting(PortfolioSnapshot::totalUnrealizedPnl)
                .usingElementComparator(BigDecimal::compareTo).containsExactly(new BigDecimal("22"));
        assertThat(metrics.readValuesToList()).extracting(m -> m.riskMetrics().totalEquity())
                .usingElementComparator(BigDecimal::compareTo).containsExactly(new BigDecimal("1022"));
        // The position itself went out with each fill, unheld: every fill's state is on the positions topic.
        assertThat(positionsOut.readValuesToList()).extracting(Position::size).usingElementComparator(BigDecimal::compareTo)
                .containsExactly(new BigDecimal("1"), new BigDecimal("2"));
    }

    @Test
    void shouldPublishWhatOnlyTicksChangedOncePerMarkIntervalWithTheLatestMark() {
        driver.advanceWallClockTime(Duration.ofMillis(100)); // the first punctuation republishes the account
        accounts.readValuesToList();
        metrics.readValuesToList();
        driver.advanceWallClockTime(Duration.ofMillis(100));
        btc("1", "110", "10", "110", T0 + SECOND);            // a fill: out at once (wall 200 ms, quiet for 100)
        assertThat(metrics.readValue().riskMetrics().totalEquity()).isEqualByComparingTo("1010");
        positionsOut.readValuesToList();
        portfolio.readValuesToList();
        accounts.readValuesToList();

        btc("1", "111", "11", "111", T0 + 2 * SECOND);        // three ticks: marks only
        btc("1", "112", "12", "112", T0 + 3 * SECOND);
        btc("1", "113", "13", "113", T0 + 4 * SECOND);
        driver.advanceWallClockTime(Duration.ofMillis(280));  // 480 ms since the task started: held
        assertThat(metrics.isEmpty()).isTrue();
        assertThat(positionsOut.isEmpty()).isTrue();
        driver.advanceWallClockTime(Duration.ofMillis(20));   // 500 ms: the mark publication, the latest, once
        assertThat(metrics.readValuesToList()).extracting(m -> m.riskMetrics().totalEquity())
                .usingElementComparator(BigDecimal::compareTo).containsExactly(new BigDecimal("1013"));
        assertThat(portfolio.readValuesToList()).extracting(PortfolioSnapshot::totalUnrealizedPnl)
                .usingElementComparator(BigDecimal::compareTo).containsExactly(new BigDecimal("13"));
        // the re-marked position too: 1 × 113, (113 − 100) × 1, the last tick's event time
        assertThat(positionsOut.readValuesToList()).singleElement().satisfies(p -> {
            assertThat(p.currentPrice()).isEqualByComparingTo("113");
            assertThat(p.unrealizedPnl()).isEqualByComparingTo("13");
            assertThat(p.notional()).isEqualByComparingTo("113");
            assertThat(p.timestamp()).isEqualTo(T0 + 4 * SECOND);
        });

        btc("1", "114", "14", "114", T0 + 5 * SECOND);        // the next: with the next publication, 500 ms later
        driver.advanceWallClockTime(Duration.ofMillis(480));
        assertThat(metrics.isEmpty()).isTrue();
        driver.advanceWallClockTime(Duration.ofMillis(20));
        assertThat(metrics.readValuesToList()).extracting(m -> m.riskMetrics().totalEquity())
                .usingElementComparator(BigDecimal::compareTo).containsExactly(new BigDecimal("1014"));
    }
}
