package io.etrms.streams.account;

import static io.etrms.streams.TestRecords.T0;
import static io.etrms.streams.TestRecords.text;
import static io.etrms.streams.TestRecords.transfer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.etrms.model.Alert;
import io.etrms.model.DeadLetter;
import io.etrms.model.Position;
import io.etrms.model.RiskCommand;
import io.etrms.model.RiskControl;
import io.etrms.model.RiskMetricsSnapshot;
import io.etrms.model.RiskMetricsSnapshot.RiskMetrics;
import io.etrms.model.Topics;
import io.etrms.streams.TestRecords;
import io.etrms.streams.breakers.DrawdownBasis;
import io.etrms.streams.breakers.Limits;
import io.etrms.streams.breakers.SessionCalendar;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
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
 * The circuit breakers of the account stage, one condition at a time: every condition is switched
 * off in the configuration and each test switches on the one it checks through the
 * {@code risk-limits} topic, as an operator would. Event times start at {@link TestRecords#T0}
 * (epoch seconds 1 763 942 400); the driver's wall clock starts at {@link #WALL0}.
 */
class CircuitBreakerTopologyTest {

    private static final String BTC = "BTC/USDT:USDT";
    private static final String ETH = "ETH/USDT";
    private static final long SECOND = 1000L;
    private static final long T0_SECONDS = 1_763_942_400L;
    /** 2026-11-25T00:00:00Z on the driver's wall clock. */
    private static final long WALL0 = T0 + 86_400_000L;
    /** Every condition off; cooldown 60 s; 60 s volatility window. */
    /** Every limit off, and no warnings: these tests are about trips and re-arms (WarningTopologyTest covers warnings). */
    private static final Limits ALL_OFF = new Limits(0, 0, 0, 0, 0, 0, 60, 0, 60, 0, SessionCalendar.UTC_MIDNIGHT, DrawdownBasis.EQUITY,
            0, 30);

    private final Topics topics = Topics.defaults();
    private TopologyTestDriver driver;
    private AccountInputs positions;
    private TestInputTopic<String, byte[]> transfers;
    private TestInputTopic<String, byte[]> riskLimits;
    private TestInputTopic<String, byte[]> riskControl;
    private TestOutputTopic<String, Alert> alerts;
    private TestOutputTopic<String, RiskCommand> commands;
    private TestOutputTopic<String, RiskMetricsSnapshot> metrics;
    private TestOutputTopic<String, DeadLetter> deadLetters;

    @BeforeEach
    void setUp() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, TestRecords.uniqueId("breaker-test"));
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(new AccountTopology(topics, AccountStage.settings(ALL_OFF)).buildTopology(),
                AccountStage.properties(props), Instant.ofEpochMilli(WALL0));
        positions = new AccountInputs(driver, topics);
        transfers = driver.createInputTopic(topics.transfers.name(), new StringSerializer(), new ByteArraySerializer());
        riskLimits = driver.createInputTopic(topics.riskLimits.name(), new StringSerializer(), new ByteArraySerializer());
        riskControl = driver.createInputTopic(topics.riskControl.name(), new StringSerializer(), new ByteArraySerializer());
        alerts = driver.createOutputTopic(topics.alerts.name(), new StringDeserializer(), topics.alerts.valueSerde());
        commands = driver.createOutputTopic(topics.riskCommands.name(), new StringDeserializer(), topics.riskCommands.valueSerde());
        metrics = driver.createOutputTopic(topics.riskMetrics.name(), new StringDeserializer(), topics.riskMetrics.valueSerde());
        deadLetters = driver.createOutputTopic(topics.deadLetters.name(), new StringDeserializer(), topics.deadLetters.valueSerde());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    // ---------------------------------------------------------------- inputs

    private void limits(String key, Object... fieldsAndValues) {
        Map<String, Object> json = new LinkedHashMap<>();
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            json.put((String) fieldsAndValues[i], fieldsAndValues[i + 1]);
        }
        riskLimits.pipeInput(key, TestRecords.json(json), T0);
    }

    private void deposit(String account, String amount, long ts) {
        transfers.pipeInput(account, transfer("d" + ts, account, "binance", amount, ts), ts);
    }

    /**
     * The position after a record at {@code ts} (a fill when size or entry moved, else a tick of the
     * instrument): unrealized = (price − entry) × size, notional = |size| × price.
     */
    private void position(String account, String exchange, String symbol, String size, String entry, String price, Double move, long ts) {
        positions.position(account, exchange, symbol, size, entry, price, "0", 0.0, move, ts);
    }

    private void btc(String size, String price, long ts) {
        position("main", "binance", BTC, size, "100", price, 0.0, ts);
    }

    private void control(String account, String action, String condition, String state, long ts) {
        riskControl.pipeInput(account, TestRecords.json(new RiskControl(account, action, condition, state, "checked", "ops", ts)), ts);
    }

    // ---------------------------------------------------------------- outputs

    private List<Alert> alerts() {
        return alerts.readValuesToList();
    }

    private RiskMetrics lastMetrics() {
        List<RiskMetricsSnapshot> all = metrics.readValuesToList();
        return all.get(all.size() - 1).riskMetrics();
    }

    private static BigDecimal decimal(Object jsonNumber) {
        return new BigDecimal(jsonNumber.toString());
    }

    // ---------------------------------------------------------------- one test per condition

    @Test
    void shouldPublishHowMuchOfEveryLimitIsUsedWithTheRiskMetrics() {
        limits("*", "max_drawdown_pct", 25, "daily_loss_limit", 500, "max_leverage", 2, "max_gross_exposure", 4000,
                "max_position_notional", 1000, "volatility_move_pct", 10);
        deposit("main", "1000", T0);
        btc("10", "100", T0 + SECOND);                                          // equity 1000 = peak
        position("main", "binance", BTC, "10", "100", "80", -5.0, T0 + 2 * SECOND); // a tick to 80, the window moved −5 %
        RiskMetrics m = lastMetrics();
        assertThat(alerts()).isEmpty();
        // equity 1000 + (80 − 100) × 10 = 800 against the peak 1000: drawdown 20 % of 25
        assertThat(m.limits().get("max_drawdown")).satisfies(u -> {
            assertThat(u.limit()).isEqualByComparingTo("25");
            assertThat(u.value()).isEqualByComparingTo("20");
            assertThat(u.utilizationPct()).isCloseTo(80.0, within(1e-9));
        });
        // daily PnL −200: a loss of 200 of 500
        assertThat(m.limits().get("daily_loss").value()).isEqualByComparingTo("200");
        assertThat(m.limits().get("daily_loss").utilizationPct()).isCloseTo(40.0, within(1e-9));
        // exposure 10 × 80 = 800 over equity 800: leverage 1 of 2; gross 800 of 4000
        assertThat(m.limits().get("max_leverage").value()).isEqualByComparingTo("1");
        assertThat(m.limits().get("max_leverage").utilizationPct()).isCloseTo(50.0, within(1e-9));
        assertThat(m.limits().get("max_gross_exposure").value()).isEqualByComparingTo("800");
        assertThat(m.limits().get("max_gross_exposure").utilizationPct()).isCloseTo(20.0, within(1e-9));
        assertThat(m.limits()).containsOnlyKeys("max_drawdown", "daily_loss", "max_leverage", "max_gross_exposure");
        // the position: notional 800 of 1000; abs(−5 %) of 10 %
        var btc = m.positionLimits().get("binance").get(BTC);
        assertThat(btc.get("max_position_notional").value()).isEqualByComparingTo("800");
        assertThat(btc.get("max_position_notional").utilizationPct()).isCloseTo(80.0, within(1e-9));
        assertThat(btc.get("volatility").value()).isEqualByComparingTo("5");
        assertThat(btc.get("volatility").utilizationPct()).isCloseTo(50.0, within(1e-9));

        limits("*", "max_drawdown_pct", 25);                                    // the others off again (their 0 from ALL_OFF)
        position("main", "binance", BTC, "10", "100", "81", -4.0, T0 + 3 * SECOND);
        RiskMetrics after = lastMetrics();
        assertThat(after.limits()).containsOnlyKeys("max_drawdown");
        assertThat(after.positionLimits()).isEmpty();
    }


    @Test
    void shouldHaltTheAccountOnTheRecordThatTakesTheDrawdownPastTheLimit() {
        limits("*", "max_drawdown_pct", 20);
        deposit("main", "1000", T0);
        btc("10", "100", T0 + SECOND);          // equity 1000 = peak
        btc("10", "80", T0 + 2 * SECOND);       // equity 1000 − 200 = 800: (1000 − 800) / 1000 = 20 %, not above 20
        assertThat(alerts.isEmpty()).isTrue();
        assertThat(lastMetrics().tradingState()).isEqualTo("ACTIVE");

        btc("10", "79", T0 + 3 * SECOND);       // equity 790: 21 % > 20 %
        Alert alert = alerts.readValue();
        assertThat(alert.type()).isEqualTo("circuit_breaker");
        assertThat(alert.alertId()).isEqualTo(1L);
        assertThat(alert.account()).isEqualTo("main");
        assertThat(alert.conditionName()).isEqualTo("max_drawdown");
        assertThat(alert.exchange()).isEqualTo("*");
        assertThat(alert.symbol()).isEqualTo("*");
        assertThat(alert.severity()).isEqualTo("critical");
        assertThat(alert.action()).isEqualTo("halt");
        assertThat(alert.triggeredAt()).isEqualTo(T0_SECONDS + 3);
        assertThat(alert.timestamp()).isEqualTo(T0 + 3 * SECOND);
        assertThat(alert.description()).isEqualTo("Drawdown (%) 21 exceeds the limit of 20");
        assertThat(decimal(alert.context().get("value")).doubleValue()).isCloseTo(21.0, within(1e-12));
        assertThat(decimal(alert.context().get("current_drawdown")).doubleValue()).isCloseTo(21.0, within(1e-12));
        assertThat(decimal(alert.context().get("threshold"))).isEqualByComparingTo("20");
        assertThat(decimal(alert.context().get("rearm_threshold"))).isEqualByComparingTo("18");
        assertThat(decimal(alert.context().get("peak_equity"))).isEqualByComparingTo("1000");
        assertThat(decimal(alert.context().get("total_equity"))).isEqualByComparingTo("790");
        assertThat(alert.context().get("command_id")).isEqualTo("main|1");
        assertThat(alert.actionResult()).isEqualTo("published risk command main|1: halt account main");

        assertThat(commands.readValue()).isEqualTo(new RiskCommand("main|1", "main", "halt", "*", "*",
                "Drawdown (%) 21 exceeds the limit of 20", 1L, T0 + 3 * SECOND));
        assertThat(commands.isEmpty()).isTrue();
        assertThat(lastMetrics().tradingState()).isEqualTo("HALTED");
    }

    @Test
    void shouldHaltTheAccountOnTheRecordThatTakesTheDailyLossPastTheLimit() {
        limits("*", "daily_loss_limit", 100);
        deposit("main", "10000", T0);          // a deposit is not PnL
        btc("10", "100", T0 + SECOND);
        btc("10", "90", T0 + 2 * SECOND);       // daily PnL (90 − 100) × 10 = −100: not below −100
        assertThat(alerts.isEmpty()).isTrue();

        btc("10", "89.9", T0 + 3 * SECOND);     // −101 < −100
        Alert alert = alerts.readValue();
        assertThat(alert.conditionName()).isEqualTo("daily_loss");
        assertThat(alert.action()).isEqualTo("halt");
        assertThat(alert.description()).isEqualTo("Daily PnL -101 is below -100");
        assertThat(decimal(alert.context().get("value"))).isEqualByComparingTo("-101");
        assertThat(decimal(alert.context().get("threshold"))).isEqualByComparingTo("-100");
        assertThat(decimal(alert.context().get("rearm_threshold"))).isEqualByComparingTo("-90");
        assertThat(decimal(alert.context().get("daily_pnl"))).isEqualByComparingTo("-101");
        assertThat(commands.readValue().action()).isEqualTo("halt");
        assertThat(lastMetrics().tradingState()).isEqualTo("HALTED");
    }

    @Test
    void shouldMakeTheAccountReduceOnlyOnTheRecordThatTakesLeveragePastTheLimit() {
        limits("*", "max_leverage", 2);
        deposit("main", "1000", T0);
        btc("20", "100", T0 + SECOND);          // 2000 / 1000 = 2: not above 2
        assertThat(alerts.isEmpty()).isTrue();

        btc("21", "100", T0 + 2 * SECOND);      // 2100 / 1000 = 2.1
        Alert alert = alerts.readValue();
        assertThat(alert.conditionName()).isEqualTo("max_leverage");
        assertThat(alert.severity()).isEqualTo("warning");
        assertThat(alert.action()).isEqualTo("reduce_only");
        assertThat(decimal(alert.context().get("value"))).isEqualByComparingTo("2.1");
        assertThat(decimal(alert.context().get("total_exposure"))).isEqualByComparingTo("2100");
        assertThat(decimal(alert.context().get("total_equity"))).isEqualByComparingTo("1000");
        assertThat(commands.readValue()).isEqualTo(new RiskCommand("main|1", "main", "reduce_only", "*", "*",
                "Leverage 2.1 exceeds the limit of 2", 1L, T0 + 2 * SECOND));
        RiskMetrics m = lastMetrics();
        assertThat(m.tradingState()).isEqualTo("REDUCE_ONLY");
        assertThat(m.instrumentTradingStates()).isEmpty();
    }

    @Test
    void shouldTreatExposureWithoutEquityAsUnboundedLeverageInAFundedAccount() {
        limits("*", "max_leverage", 5);
        deposit("main", "100", T0);
        position("main", "binance", BTC, "-1", "100", "100", 0.0, T0 + SECOND);  // short 1 @ 100: leverage 100 / 100 = 1
        assertThat(alerts.isEmpty()).isTrue();
        position("main", "binance", BTC, "-1", "100", "200", 0.0, T0 + 2 * SECOND); // equity 100 − 100 = 0, exposure 200
        Alert alert = alerts.readValue();
        assertThat(alert.conditionName()).isEqualTo("max_leverage");
        assertThat(alert.context()).doesNotContainKey("value").containsEntry("unbounded", true);
        assertThat(decimal(alert.context().get("total_equity"))).isEqualByComparingTo("0");
        assertThat(alert.description()).isEqualTo("Leverage unbounded exceeds the limit of 5");
    }

    @Test
    void shouldNotJudgeTheLeverageOfAnAccountWhoseDepositHasNotBeenSeen() {
        limits("*", "max_leverage", 2);
        btc("1", "100", T0 + SECOND);           // no deposit (yet): equity 0, exposure 100, no leverage to judge
        deposit("main", "1000", T0 + 2 * SECOND);
        btc("21", "100", T0 + 3 * SECOND);      // 2100 / 1000 = 2.1
        assertThat(alerts()).singleElement().satisfies(a -> {
            assertThat(a.conditionName()).isEqualTo("max_leverage");
            assertThat(decimal(a.context().get("value"))).isEqualByComparingTo("2.1");
        });
    }

    @Test
    void shouldMakeTheAccountReduceOnlyOnTheRecordThatTakesGrossExposurePastTheLimit() {
        limits("*", "max_gross_exposure", 5000);
        deposit("main", "100000", T0);
        position("main", "binance", BTC, "30", "100", "100", 0.0, T0 + SECOND);          // 3000
        position("main", "coinbase", ETH, "-2", "1000", "1000", 0.0, T0 + 2 * SECOND);   // short: gross 3000 + 2000 = 5000
        assertThat(alerts.isEmpty()).isTrue();

        position("main", "coinbase", ETH, "-2", "1000", "1000.5", 0.0, T0 + 3 * SECOND); // 3000 + 2001 = 5001
        Alert alert = alerts.readValue();
        assertThat(alert.conditionName()).isEqualTo("max_gross_exposure");
        assertThat(decimal(alert.context().get("value"))).isEqualByComparingTo("5001");
        assertThat(alert.actionResult()).isEqualTo("published risk command main|1: reduce_only account main");
        assertThat(lastMetrics().tradingState()).isEqualTo("REDUCE_ONLY");
    }

    @Test
    void shouldMakeOnlyThatInstrumentReduceOnlyWhenItsNotionalPassesTheLimit() {
        limits("*", "max_position_notional", 2000);
        deposit("main", "100000", T0);
        position("main", "binance", ETH, "1", "500", "500", 0.0, T0 + SECOND);
        btc("20", "100", T0 + 2 * SECOND);      // 20 × 100 = 2000: not above
        assertThat(alerts.isEmpty()).isTrue();

        btc("20", "100.01", T0 + 3 * SECOND);   // 20 × 100.01 = 2000.2
        Alert alert = alerts.readValue();
        assertThat(alert.conditionName()).isEqualTo("max_position_notional");
        assertThat(alert.exchange()).isEqualTo("binance");
        assertThat(alert.symbol()).isEqualTo(BTC);
        assertThat(decimal(alert.context().get("value"))).isEqualByComparingTo("2000.2");
        assertThat(decimal(alert.context().get("size"))).isEqualByComparingTo("20");
        assertThat(alert.description()).isEqualTo("Notional of " + BTC + " on binance 2000.2 exceeds the limit of 2000");
        assertThat(alert.actionResult()).isEqualTo("published risk command main|1: reduce_only " + BTC + " on binance for main");
        assertThat(commands.readValue()).isEqualTo(new RiskCommand("main|1", "main", "reduce_only", "binance", BTC,
                alert.description(), 1L, T0 + 3 * SECOND));
        assertThat(alerts.isEmpty()).isTrue(); // ETH (500) is fine
        RiskMetrics m = lastMetrics();
        assertThat(m.tradingState()).isEqualTo("REDUCE_ONLY");
        assertThat(m.instrumentTradingStates()).isEqualTo(Map.of("binance", Map.of(BTC, "REDUCE_ONLY")));
    }

    @Test
    void shouldMakeAHeldInstrumentReduceOnlyWhenItsPriceMovesFurtherThanTheLimit() {
        limits("*", "volatility_move_pct", 10);
        deposit("main", "100000", T0);
        position("main", "binance", ETH, "0", "0", "500", 40.0, T0 + SECOND);   // flat: not held, a 40 % move does not count
        position("main", "binance", BTC, "1", "100", "90", -10.0, T0 + 2 * SECOND); // |−10| is not above 10
        assertThat(alerts.isEmpty()).isTrue();

        position("main", "binance", BTC, "1", "100", "89.5", -10.5, T0 + 3 * SECOND);
        Alert alert = alerts.readValue();
        assertThat(alert.conditionName()).isEqualTo("volatility");
        assertThat(alert.symbol()).isEqualTo(BTC);
        assertThat(decimal(alert.context().get("value"))).isEqualByComparingTo("10.5");
        assertThat(decimal(alert.context().get("price_move_pct"))).isEqualByComparingTo("-10.5");
        assertThat(alert.context().get("window_seconds")).isEqualTo(60);
        assertThat(commands.readValue().action()).isEqualTo("reduce_only");
        assertThat(lastMetrics().instrumentTradingStates()).isEqualTo(Map.of("binance", Map.of(BTC, "REDUCE_ONLY")));
    }

    @Test
    void shouldAlertWhenAHeldInstrumentHasHadNoTickForLongerThanTheLimitOnTheWallClock() {
        limits("*", "stale_price_seconds", 30);
        deposit("main", "100000", T0);
        btc("1", "100", T0 + SECOND);           // held, ticked at wall 0 s

        driver.advanceWallClockTime(Duration.ofSeconds(30));  // 30 s of silence: not longer than 30
        assertThat(alerts.isEmpty()).isTrue();
        driver.advanceWallClockTime(Duration.ofSeconds(1));   // 31 s
        Alert alert = alerts.readValue();
        assertThat(alert.conditionName()).isEqualTo("stale_price");
        assertThat(alert.symbol()).isEqualTo(BTC);
        assertThat(alert.action()).isEqualTo("alert_only");
        assertThat(alert.actionResult()).isEqualTo("alert only: no risk command");
        assertThat(alert.triggeredAt()).isEqualTo(WALL0 / 1000 + 31); // wall clock, in seconds
        assertThat(decimal(alert.context().get("value"))).isEqualByComparingTo("31");
        assertThat(decimal(alert.context().get("last_price_timestamp"))).isEqualByComparingTo(Long.toString(T0 + SECOND));
        assertThat(commands.isEmpty()).isTrue();

        // Ticks resume every 10 s; the alert re-arms once 60 s (cooldown, wall clock) have passed since it tripped.
        for (int s = 41; s <= 81; s += 10) {
            driver.advanceWallClockTime(Duration.ofSeconds(10));
            btc("1", "100", T0 + s * SECOND);
        }
        assertThat(alerts.isEmpty()).isTrue();
        driver.advanceWallClockTime(Duration.ofSeconds(10));  // wall 91 s = trip + 60 s
        Alert cleared = alerts.readValue();
        assertThat(cleared.type()).isEqualTo("circuit_breaker_cleared");
        assertThat(cleared.conditionName()).isEqualTo("stale_price");
        assertThat(cleared.alertId()).isEqualTo(2L);
        assertThat(cleared.triggeredAt()).isEqualTo(WALL0 / 1000 + 91);
        assertThat(cleared.context().get("tripped_alert_id")).isEqualTo(1);
        assertThat(alerts.isEmpty()).isTrue();
    }

    @Test
    void shouldNotCountTheTimeBeforeAPositionIsHeldOrAfterItIsClosedAsStale() {
        limits("*", "stale_price_seconds", 30);
        driver.advanceWallClockTime(Duration.ofSeconds(100));
        btc("1", "100", T0 + SECOND);           // held from wall 100 s
        driver.advanceWallClockTime(Duration.ofSeconds(30));
        assertThat(alerts.isEmpty()).isTrue();
        btc("0", "100", T0 + 2 * SECOND);       // closed
        driver.advanceWallClockTime(Duration.ofSeconds(60));
        assertThat(alerts.isEmpty()).isTrue();
    }

    // ---------------------------------------------------------------- no storms, hysteresis, cooldown

    @Test
    void shouldSendOneAlertAndOneCommandForAHundredBreachingRecordsInARow() {
        limits("*", "max_position_notional", 2000);
        deposit("main", "100000", T0);
        for (int i = 1; i <= 100; i++) {
            btc("21", "100", T0 + i * SECOND);  // 2100 every time
        }
        assertThat(alerts()).singleElement().extracting(Alert::alertId).isEqualTo(1L);
        assertThat(commands.readValuesToList()).hasSize(1);
        assertThat(metrics.readValuesToList()).hasSize(101).allSatisfy(s -> assertThat(s.riskMetrics().tradingState())
                .isEqualTo(s.timestamp() == T0 ? "ACTIVE" : "REDUCE_ONLY"));
    }

    @Test
    void shouldNotAlertAgainWhileTheValueOscillatesInsideTheHysteresisBand() {
        limits("*", "max_position_notional", 2000, "cooldown_seconds", 0);
        deposit("main", "100000", T0);
        btc("20", "100.05", T0 + SECOND);       // 2001: trips
        // re-arms only at or below 0.9 × 2000 = 1800
        btc("19", "100", T0 + 2 * SECOND);      // 1900
        btc("21", "100", T0 + 3 * SECOND);      // 2100
        btc("18.01", "100", T0 + 4 * SECOND);   // 1801
        btc("20.5", "100", T0 + 5 * SECOND);    // 2050
        assertThat(alerts()).extracting(Alert::alertId).containsExactly(1L);

        btc("18", "100", T0 + 6 * SECOND);      // 1800: re-armed
        Alert cleared = alerts.readValue();
        assertThat(cleared.type()).isEqualTo("circuit_breaker_cleared");
        assertThat(cleared.alertId()).isEqualTo(2L);
        assertThat(cleared.action()).isEqualTo("resume");
        assertThat(cleared.severity()).isEqualTo("info");
        assertThat(cleared.description()).isEqualTo("Notional of " + BTC + " on binance back to 1800 (re-armed at or below 1800, limit 2000)");
        assertThat(cleared.actionResult()).isEqualTo("published risk command main|2: resume " + BTC + " on binance for main (ACTIVE)");
        assertThat(lastMetrics().instrumentTradingStates()).isEmpty();

        btc("20.01", "100", T0 + 7 * SECOND);   // 2001 again: a new trip
        assertThat(alerts()).extracting(Alert::type, Alert::alertId).containsExactly(org.assertj.core.groups.Tuple.tuple("circuit_breaker", 3L));
        assertThat(commands.readValuesToList()).extracting(RiskCommand::commandId, RiskCommand::action, RiskCommand::alertId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("main|1", "reduce_only", 1L),
                        org.assertj.core.groups.Tuple.tuple("main|2", "resume", 2L),
                        org.assertj.core.groups.Tuple.tuple("main|3", "reduce_only", 3L));
    }

    @Test
    void shouldReArmOnlyOnceTheCooldownHasPassedInEventTime() {
        limits("*", "max_position_notional", 2000, "cooldown_seconds", 60);
        deposit("main", "100000", T0);
        btc("21", "100", T0 + SECOND);          // trips at T0 + 1 s
        btc("10", "100", T0 + 31 * SECOND);     // back inside, 30 s later
        btc("10", "100", T0 + 60_999);          // 59.999 s after the trip
        assertThat(alerts()).extracting(Alert::type).containsExactly("circuit_breaker");

        btc("10", "100", T0 + 61 * SECOND);     // 60 s after the trip
        Alert cleared = alerts.readValue();
        assertThat(cleared.type()).isEqualTo("circuit_breaker_cleared");
        assertThat(cleared.triggeredAt()).isEqualTo(T0_SECONDS + 61);
        assertThat(cleared.context().get("cooldown_seconds")).isEqualTo(60);
    }

    @Test
    void shouldReArmAnIdleAccountOnTheWallClockOnceItsCooldownHasPassed() {
        limits("*", "max_position_notional", 2000, "cooldown_seconds", 60);
        deposit("main", "100000", T0);
        btc("21", "100", T0 + SECOND);          // trips at event time T0 + 1 s
        btc("0", "100", T0 + 2 * SECOND);       // closed: no more records for this account
        driver.advanceWallClockTime(Duration.ofSeconds(58)); // event clock T0 + 2 s + 58 s = T0 + 60 s
        assertThat(alerts()).extracting(Alert::type).containsExactly("circuit_breaker");

        driver.advanceWallClockTime(Duration.ofSeconds(1));  // T0 + 61 s: 60 s after the trip
        Alert cleared = alerts.readValue();
        assertThat(cleared.type()).isEqualTo("circuit_breaker_cleared");
        assertThat(cleared.description()).isEqualTo(BTC + " on binance is no longer held");
        assertThat(cleared.triggeredAt()).isEqualTo(T0_SECONDS + 61);
        assertThat(commands.readValuesToList()).extracting(RiskCommand::action).containsExactly("reduce_only", "resume");
    }

    // ---------------------------------------------------------------- limits at run time

    @Test
    void shouldTakeEachLimitFromTheAccountThenTheDefaultRecordThenTheConfiguration() {
        limits("*", "max_position_notional", 5000, "cooldown_seconds", 0);
        limits("main", "max_position_notional", 2000);
        deposit("main", "100000", T0);
        deposit("bob", "100000", T0);
        position("bob", "binance", BTC, "30", "100", "100", 0.0, T0 + SECOND);  // 3000 ≤ 5000 (the * record)
        btc("30", "100", T0 + 2 * SECOND);                                       // 3000 > 2000 (main's own)
        assertThat(alerts()).singleElement().satisfies(a -> {
            assertThat(a.account()).isEqualTo("main");
            assertThat(decimal(a.context().get("threshold"))).isEqualByComparingTo("2000");
            assertThat(decimal(a.context().get("value"))).isEqualByComparingTo("3000");
        });
        btc("10", "100", T0 + 3 * SECOND);      // 1000 ≤ 1800 and cooldown 0 (from *): re-armed at once
        assertThat(alerts()).extracting(Alert::type).containsExactly("circuit_breaker_cleared");
    }

    @Test
    void shouldTripWhenALimitIsLoweredAtRunTimeWithoutAnotherRecord() {
        deposit("main", "100000", T0);
        btc("25", "100", T0 + SECOND);          // 2500, no limit yet
        assertThat(alerts.isEmpty()).isTrue();

        limits("main", "max_position_notional", 2000);
        driver.advanceWallClockTime(Duration.ofSeconds(1)); // the punctuation sees the new limit
        Alert alert = alerts.readValue();
        assertThat(alert.conditionName()).isEqualTo("max_position_notional");
        // the account's event clock: its latest record (T0 + 1 s) plus the 1 s of wall time since
        assertThat(alert.triggeredAt()).isEqualTo(T0_SECONDS + 2);
        assertThat(lastMetrics().tradingState()).isEqualTo("REDUCE_ONLY"); // re-published with the new state
    }

    @Test
    void shouldTripOnTheNextRecordAfterALimitIsLowered() {
        deposit("main", "100000", T0);
        btc("25", "100", T0 + SECOND);
        limits("main", "max_position_notional", 2000);
        btc("25", "100", T0 + 2 * SECOND);
        assertThat(alerts()).singleElement().extracting(Alert::triggeredAt).isEqualTo(T0_SECONDS + 2);
    }

    @Test
    void shouldReArmWhenALimitIsRaisedAtRunTime() {
        limits("*", "max_position_notional", 2000, "cooldown_seconds", 0);
        deposit("main", "100000", T0);
        btc("25", "100", T0 + SECOND);          // 2500 > 2000
        limits("main", "max_position_notional", 3000);          // 2500 ≤ 0.9 × 3000 = 2700
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertThat(alerts()).extracting(Alert::type).containsExactly("circuit_breaker", "circuit_breaker_cleared");
        assertThat(commands.readValuesToList()).extracting(RiskCommand::action).containsExactly("reduce_only", "resume");
        assertThat(lastMetrics().tradingState()).isEqualTo("ACTIVE");
    }

    @Test
    void shouldReArmAtOnceWhenAConditionIsSwitchedOffWithALimitOfZero() {
        limits("*", "max_position_notional", 2000, "cooldown_seconds", 3600);
        deposit("main", "100000", T0);
        btc("25", "100", T0 + SECOND);
        limits("main", "max_position_notional", 0);   // off: no cooldown for a condition that no longer exists
        btc("25", "100", T0 + 2 * SECOND);
        assertThat(alerts()).extracting(Alert::type, Alert::description).containsExactly(
                org.assertj.core.groups.Tuple.tuple("circuit_breaker", "Notional of " + BTC + " on binance 2500 exceeds the limit of 2000"),
                org.assertj.core.groups.Tuple.tuple("circuit_breaker_cleared",
                        "max_position_notional of " + BTC + " on binance: condition switched off (limit 0 or less)"));

        riskLimits.pipeInput("main", (byte[]) null, T0);  // tombstone: main follows * again (2000)
        btc("25", "100", T0 + 3 * SECOND);
        assertThat(alerts()).extracting(Alert::type).containsExactly("circuit_breaker");
    }

    @Test
    void shouldIgnoreARiskLimitsRecordThatDoesNotParseAndKeepThePreviousLimits() {
        limits("*", "max_position_notional", 2000);
        riskLimits.pipeInput("*", text("{\"max_position_notional\": \"lots\""), T0);
        deposit("main", "100000", T0);
        btc("25", "100", T0 + SECOND);
        assertThat(alerts()).singleElement().extracting(Alert::conditionName).isEqualTo("max_position_notional");
    }

    // ---------------------------------------------------------------- halts and risk-control

    @Test
    void shouldStayHaltedWhenTheValueRecoversUntilAResetReturnsTheAccountToActive() {
        limits("*", "max_drawdown_pct", 20, "cooldown_seconds", 0);
        deposit("main", "1000", T0);
        btc("10", "100", T0 + SECOND);
        btc("10", "75", T0 + 2 * SECOND);       // 25 %: halt
        btc("10", "100", T0 + 600 * SECOND);    // back to 0 %, 10 minutes later
        assertThat(alerts()).extracting(Alert::type).containsExactly("circuit_breaker");
        assertThat(lastMetrics().tradingState()).isEqualTo("HALTED");

        control("main", "reset", null, null, T0 + 700 * SECOND);
        Alert cleared = alerts.readValue();
        assertThat(cleared.type()).isEqualTo("circuit_breaker_cleared");
        assertThat(cleared.alertId()).isEqualTo(2L);
        assertThat(cleared.conditionName()).isEqualTo("max_drawdown");
        assertThat(cleared.description()).isEqualTo("max_drawdown reset by ops: checked");
        assertThat(cleared.action()).isEqualTo("resume");
        assertThat(cleared.actionResult()).isEqualTo("published risk command main|2: resume account main (ACTIVE)");
        assertThat(cleared.triggeredAt()).isEqualTo(T0_SECONDS + 700);
        assertThat(cleared.context()).containsEntry("requested_by", "ops").containsEntry("reason", "checked");
        assertThat(commands.readValuesToList()).extracting(RiskCommand::action).containsExactly("halt", "resume");
        assertThat(lastMetrics().tradingState()).isEqualTo("ACTIVE");
    }

    @Test
    void shouldSayWhenAResetBreakerIsStillBeyondItsLimitAndTripItAgainOnTheNextRecord() {
        limits("*", "max_drawdown_pct", 20);
        deposit("main", "1000", T0);
        btc("10", "100", T0 + SECOND);
        btc("10", "75", T0 + 2 * SECOND);       // 25 %
        control("main", "reset", "max_drawdown", null, T0 + 3 * SECOND);
        btc("10", "75", T0 + 4 * SECOND);
        List<Alert> all = alerts();
        assertThat(all).extracting(Alert::type, Alert::alertId).containsExactly(
                org.assertj.core.groups.Tuple.tuple("circuit_breaker", 1L),
                org.assertj.core.groups.Tuple.tuple("circuit_breaker_cleared", 2L),
                org.assertj.core.groups.Tuple.tuple("circuit_breaker", 3L));
        assertThat(all.get(1).actionResult()).isEqualTo("published risk command main|2: resume account main (ACTIVE); "
                + "Drawdown (%) 25 is still beyond the limit 20: it trips again at the next update unless the limit is raised");
    }

    @Test
    void shouldResetOnlyTheNamedCondition() {
        limits("*", "max_drawdown_pct", 20, "max_leverage", 2, "cooldown_seconds", 0);
        deposit("main", "1000", T0);
        btc("30", "100", T0 + SECOND);          // leverage 3: reduce-only
        btc("30", "92", T0 + 2 * SECOND);       // equity 760, drawdown 24 %: halt; leverage 2760 / 760 = 3.63
        control("main", "reset", "max_drawdown", null, T0 + 3 * SECOND);
        List<Alert> all = alerts();
        assertThat(all).extracting(Alert::conditionName, Alert::type).containsExactly(
                org.assertj.core.groups.Tuple.tuple("max_leverage", "circuit_breaker"),
                org.assertj.core.groups.Tuple.tuple("max_drawdown", "circuit_breaker"),
                org.assertj.core.groups.Tuple.tuple("max_drawdown", "circuit_breaker_cleared"));
        assertThat(all.get(2).action()).isEqualTo("reduce_only");
        assertThat(commands.readValuesToList()).extracting(RiskCommand::action).containsExactly("reduce_only", "halt", "reduce_only");
        assertThat(lastMetrics().tradingState()).isEqualTo("REDUCE_ONLY");
    }

    @Test
    void shouldForceATradingStateWithSetStateAndLiftItWithSetStateActive() {
        deposit("main", "1000", T0);
        control("main", "set_state", null, "HALTED", T0 + SECOND);
        Alert halted = alerts.readValue();
        assertThat(halted.type()).isEqualTo("circuit_breaker");
        assertThat(halted.conditionName()).isEqualTo("manual");
        assertThat(halted.action()).isEqualTo("halt");
        assertThat(halted.description()).isEqualTo("Trading state set to HALTED by ops: checked");
        assertThat(halted.actionResult()).isEqualTo("published risk command main|1: halt account main");
        assertThat(lastMetrics().tradingState()).isEqualTo("HALTED");

        control("main", "set_state", null, "HALTED", T0 + 2 * SECOND); // already: nothing to say
        assertThat(alerts.isEmpty()).isTrue();

        control("main", "set_state", null, "ACTIVE", T0 + 3 * SECOND);
        Alert lifted = alerts.readValue();
        assertThat(lifted.type()).isEqualTo("circuit_breaker_cleared");
        assertThat(lifted.conditionName()).isEqualTo("manual");
        assertThat(lifted.description()).isEqualTo("manual lifted by set_state ACTIVE by ops: checked");
        assertThat(commands.readValuesToList()).extracting(RiskCommand::action).containsExactly("halt", "resume");
        assertThat(lastMetrics().tradingState()).isEqualTo("ACTIVE");
    }

    @Test
    void shouldHaltAnAccountWithTheKillSwitchAndLetAResetMakeItActiveAgain() {
        deposit("main", "1000", T0);
        control("main", "halt", null, null, T0 + SECOND);
        Alert halted = alerts.readValue();
        assertThat(halted.type()).isEqualTo("circuit_breaker");
        assertThat(halted.conditionName()).isEqualTo("manual");
        assertThat(halted.action()).isEqualTo("halt");
        assertThat(halted.severity()).isEqualTo("critical");
        assertThat(halted.description()).isEqualTo("Kill switch: account halted by ops: checked");
        assertThat(halted.actionResult()).isEqualTo("published risk command main|1: halt account main");
        assertThat(halted.triggeredAt()).isEqualTo(T0_SECONDS + 1);
        RiskCommand halt = commands.readValue();
        assertThat(halt).isEqualTo(new RiskCommand("main|1", "main", "halt", "*", "*", "Kill switch: account halted by ops: checked", 1L, T0 + SECOND));
        assertThat(lastMetrics().tradingState()).isEqualTo("HALTED");

        control("main", "halt", null, null, T0 + 2 * SECOND); // already halted: nothing to say
        assertThat(alerts.isEmpty()).isTrue();
        assertThat(commands.isEmpty()).isTrue();

        control("main", "reset", null, null, T0 + 3 * SECOND);
        Alert cleared = alerts.readValue();
        assertThat(cleared.type()).isEqualTo("circuit_breaker_cleared");
        assertThat(cleared.conditionName()).isEqualTo("manual");
        assertThat(cleared.description()).isEqualTo("manual reset by ops: checked");
        assertThat(cleared.actionResult()).isEqualTo("published risk command main|2: resume account main (ACTIVE)");
        assertThat(commands.readValuesToList()).extracting(RiskCommand::action).containsExactly("resume");
        assertThat(lastMetrics().tradingState()).isEqualTo("ACTIVE");
    }

    @Test
    void shouldLowerAHaltToReduceOnlyWithOneCommand() {
        limits("*", "max_drawdown_pct", 20);
        deposit("main", "1000", T0);
        btc("10", "100", T0 + SECOND);
        btc("10", "75", T0 + 2 * SECOND);       // halt
        control("main", "set_state", null, "REDUCE_ONLY", T0 + 3 * SECOND);
        assertThat(alerts()).extracting(Alert::conditionName, Alert::type, Alert::actionResult).containsExactly(
                org.assertj.core.groups.Tuple.tuple("max_drawdown", "circuit_breaker", "published risk command main|1: halt account main"),
                org.assertj.core.groups.Tuple.tuple("manual", "circuit_breaker", "no risk command: account main already HALTED"),
                org.assertj.core.groups.Tuple.tuple("max_drawdown", "circuit_breaker_cleared",
                        "published risk command main|2: reduce_only account main (REDUCE_ONLY); "
                                + "Drawdown (%) 25 is still beyond the limit 20: it trips again at the next update unless the limit is raised"));
        assertThat(commands.readValuesToList()).extracting(RiskCommand::action).containsExactly("halt", "reduce_only");
        assertThat(lastMetrics().tradingState()).isEqualTo("REDUCE_ONLY");
    }

    @Test
    void shouldNumberAlertsPerAccount() {
        limits("*", "max_position_notional", 2000);
        deposit("alice", "100000", T0);
        deposit("bob", "100000", T0);
        position("alice", "binance", BTC, "21", "100", "100", 0.0, T0 + SECOND);
        position("bob", "binance", BTC, "21", "100", "100", 0.0, T0 + 2 * SECOND);
        position("alice", "binance", ETH, "3", "1000", "1000", 0.0, T0 + 3 * SECOND);
        assertThat(alerts.readRecordsToList()).extracting(r -> r.key() + " " + r.value().alertId() + " " + r.value().symbol())
                .containsExactly("alice 1 " + BTC, "bob 1 " + BTC, "alice 2 " + ETH);
        assertThat(commands.readValuesToList()).extracting(RiskCommand::commandId).containsExactly("alice|1", "bob|1", "alice|2");
    }

    @Test
    void shouldSendABadRiskControlRecordToDeadLetters() {
        riskControl.pipeInput("main", text("{\"account\":\"main\",\"action\":\"unhalt\"}"), T0);
        riskControl.pipeInput("main", text("{\"account\":\"main\",\"action\":\"set_state\",\"state\":\"PAUSED\"}"), T0);
        riskControl.pipeInput("bob", text("{\"account\":\"main\",\"action\":\"reset\"}"), T0);
        riskControl.pipeInput("main", text("{\"account\":\"main\",\"action\":\"reset\",\"condition_name\":\"max_drawdwn\"}"), T0);
        assertThat(deadLetters.readValuesToList()).extracting(DeadLetter::error).containsExactly(
                "unknown action 'unhalt' (reset, set_state or halt)",
                "set_state needs state ACTIVE, REDUCE_ONLY or HALTED, was 'PAUSED'",
                "key 'bob' does not match account 'main'",
                "unknown condition_name 'max_drawdwn'");
        assertThat(alerts.isEmpty()).isTrue();
    }
}
