package io.etrms.streams.account;

import static io.etrms.streams.TestRecords.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import io.etrms.model.Alert;
import io.etrms.model.RiskCommand;
import io.etrms.model.RiskMetricsSnapshot;
import io.etrms.model.RiskMetricsSnapshot.RiskMetrics;
import io.etrms.model.Topics;
import io.etrms.streams.TestRecords;
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
 * Early warnings and trading sessions in the account stage. As in {@link CircuitBreakerTopologyTest}
 * every limit is off in the configuration and each test sets what it checks on {@code risk-limits};
 * here warnings are on (the default, 80 % of each limit) unless a test says otherwise.
 */
class WarningsAndSessionsTopologyTest {

    private static final String BTC = "BTC/USDT:USDT";
    private static final long SECOND = 1000L;
    /** 2026-03-08T20:00:00Z: 16:00 in New York (EDT, UTC−4 since 02:00 local that morning). */
    private static final long MAR8_2000Z = 1_773_000_000_000L;
    /** 2026-03-08T21:00:00Z: 17:00 EDT, the start of New York's session of 8 March. */
    private static final long MAR8_2100Z = 1_773_003_600_000L;
    /** 2026-03-06T21:00:00Z: 16:00 EST (UTC−5): before the New York session of 6 March starts. */
    private static final long MAR6_2100Z = 1_772_830_800_000L;
    /** 2026-03-06T22:00:00Z: 17:00 EST, the start of New York's session of 6 March. */
    private static final long MAR6_2200Z = 1_772_834_400_000L;
    private static final long T0 = MAR8_2000Z;
    /** Every limit off, warnings at the default 80 %, sessions from 00:00 UTC. */
    private static final Limits ALL_OFF = new Limits(0, 0, 0, 0, 0, 0, 60, 0, 60);

    private final Topics topics = Topics.defaults();
    private TopologyTestDriver driver;
    private AccountInputs positions;
    private TestInputTopic<String, byte[]> transfers;
    private TestInputTopic<String, byte[]> riskLimits;
    private TestOutputTopic<String, Alert> alerts;
    private TestOutputTopic<String, RiskCommand> commands;
    private TestOutputTopic<String, RiskMetricsSnapshot> metrics;

    @BeforeEach
    void setUp() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, TestRecords.uniqueId("warning-test"));
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(new AccountTopology(topics, AccountStage.settings(ALL_OFF)).buildTopology(),
                AccountStage.properties(props), Instant.ofEpochMilli(T0));
        positions = new AccountInputs(driver, topics);
        transfers = driver.createInputTopic(topics.transfers.name(), new StringSerializer(), new ByteArraySerializer());
        riskLimits = driver.createInputTopic(topics.riskLimits.name(), new StringSerializer(), new ByteArraySerializer());
        alerts = driver.createOutputTopic(topics.alerts.name(), new StringDeserializer(), topics.alerts.valueSerde());
        commands = driver.createOutputTopic(topics.riskCommands.name(), new StringDeserializer(), topics.riskCommands.valueSerde());
        metrics = driver.createOutputTopic(topics.riskMetrics.name(), new StringDeserializer(), topics.riskMetrics.valueSerde());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    private void limits(Object... fieldsAndValues) {
        Map<String, Object> json = new LinkedHashMap<>();
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            json.put((String) fieldsAndValues[i], fieldsAndValues[i + 1]);
        }
        riskLimits.pipeInput("*", TestRecords.json(json), T0);
    }

    private void deposit(String amount, long ts) {
        transfers.pipeInput("main", transfer("d" + ts, "main", "binance", amount, ts), ts);
    }

    /** main's BTC position of {@code size} entered at 100, marked at {@code price}: unrealized (price − 100) × size. */
    private void btc(String size, String price, long ts) {
        positions.position("main", "binance", BTC, size, "100", price, "0", 0.0, 0.0, ts);
    }

    private RiskMetrics lastMetrics() {
        List<RiskMetricsSnapshot> all = metrics.readValuesToList();
        return all.get(all.size() - 1).riskMetrics();
    }

    private static BigDecimal decimal(Object jsonNumber) {
        return new BigDecimal(jsonNumber.toString());
    }

    // ---------------------------------------------------------------- early warnings

    @Test
    void shouldWarnOnceBeforeTheBreachThenTripThenClearAndWarnAgainOnlyAfterTheValueLeftTheWarningBand() {
        // Limit 1000: warns above 80 % = 800, the warning re-arms at or below 90 % of that = 720;
        // the breaker trips above 1000 and re-arms at or below 900 (no cooldown here).
        limits("max_gross_exposure", 1000, "cooldown_seconds", 0);
        deposit("10000", T0);
        btc("7", "100", T0 + SECOND);             // exposure 7 × 100 = 700: nothing
        assertThat(alerts.isEmpty()).isTrue();

        btc("7", "115", T0 + 2 * SECOND);         // 7 × 115 = 805 > 800: the warning
        Alert warning = alerts.readValue();
        assertThat(warning.type()).isEqualTo("circuit_breaker_warning");
        assertThat(warning.alertId()).isEqualTo(1L);
        assertThat(warning.conditionName()).isEqualTo("max_gross_exposure");
        assertThat(warning.severity()).isEqualTo("warning");
        assertThat(warning.action()).isEqualTo("alert_only");
        assertThat(warning.actionResult()).isEqualTo("warning only: no risk command");
        assertThat(warning.exchange()).isEqualTo("*");
        assertThat(warning.symbol()).isEqualTo("*");
        assertThat(warning.triggeredAt()).isEqualTo((T0 + 2 * SECOND) / 1000);
        assertThat(warning.description())
                .isEqualTo("Gross exposure 805 is above the warning level 800 (80 % of the limit; max_gross_exposure trips above 1000)");
        assertThat(decimal(warning.context().get("value"))).isEqualByComparingTo("805");
        assertThat(decimal(warning.context().get("threshold"))).isEqualByComparingTo("800");
        assertThat(decimal(warning.context().get("rearm_threshold"))).isEqualByComparingTo("720");
        assertThat(decimal(warning.context().get("trip_threshold"))).isEqualByComparingTo("1000");
        assertThat(decimal(warning.context().get("limit"))).isEqualByComparingTo("1000");
        assertThat(decimal(warning.context().get("warning_pct"))).isEqualByComparingTo("80");
        assertThat(commands.isEmpty()).isTrue();
        assertThat(lastMetrics().tradingState()).isEqualTo("ACTIVE");

        btc("7", "120", T0 + 3 * SECOND);         // 840: still warned, silent
        assertThat(alerts.isEmpty()).isTrue();

        btc("7", "150", T0 + 4 * SECOND);         // 1050 > 1000: the trip
        Alert trip = alerts.readValue();
        assertThat(trip.type()).isEqualTo("circuit_breaker");
        assertThat(trip.alertId()).isEqualTo(2L);
        assertThat(commands.readValue().action()).isEqualTo("reduce_only");

        btc("7", "120", T0 + 5 * SECOND);         // 840 ≤ 900: cleared; 840 > 720, so the warning stays given
        Alert cleared = alerts.readValue();
        assertThat(cleared.type()).isEqualTo("circuit_breaker_cleared");
        assertThat(cleared.alertId()).isEqualTo(3L);
        assertThat(alerts.isEmpty()).isTrue();

        btc("7", "100", T0 + 6 * SECOND);         // 700 ≤ 720: the warning re-arms, silently
        assertThat(alerts.isEmpty()).isTrue();

        btc("7", "115", T0 + 7 * SECOND);         // 805 > 800 again: a new crossing, a new warning
        Alert again = alerts.readValue();
        assertThat(again.type()).isEqualTo("circuit_breaker_warning");
        assertThat(again.alertId()).isEqualTo(4L);
        assertThat(alerts.isEmpty()).isTrue();
        assertThat(commands.readValuesToList()).extracting(RiskCommand::action).containsExactly("resume");
    }

    @Test
    void shouldGiveOnlyTheTripWhenOneRecordGoesStraightPastTheLimit() {
        limits("max_gross_exposure", 1000);
        deposit("10000", T0);
        btc("7", "100", T0 + SECOND);             // 700
        btc("7", "150", T0 + 2 * SECOND);         // 1050: past the warning level and the limit at once
        assertThat(alerts.readValuesToList()).extracting(Alert::type, Alert::alertId).containsExactly(
                org.assertj.core.groups.Tuple.tuple("circuit_breaker", 1L));
    }

    @Test
    void shouldReArmTheWarningWithTheBreakerWhenTheClearingRecordIsBelowTheWarningBand() {
        limits("max_gross_exposure", 1000, "cooldown_seconds", 0);
        deposit("10000", T0);
        btc("7", "100", T0 + SECOND);             // 700
        btc("7", "150", T0 + 2 * SECOND);         // 1050: the trip (alert 1)
        btc("7", "100", T0 + 3 * SECOND);         // 700 ≤ 900 clears (alert 2); 700 ≤ 720 re-arms the warning as well
        btc("7", "115", T0 + 4 * SECOND);         // 805 > 800: a new crossing, a warning (alert 3)
        assertThat(alerts.readValuesToList()).extracting(Alert::type, Alert::alertId).containsExactly(
                org.assertj.core.groups.Tuple.tuple("circuit_breaker", 1L),
                org.assertj.core.groups.Tuple.tuple("circuit_breaker_cleared", 2L),
                org.assertj.core.groups.Tuple.tuple("circuit_breaker_warning", 3L));
    }

    @Test
    void shouldWarnOnADailyLossAtTheSettableShareOfTheLimitAndNotWarnWhenWarningsAreOff() {
        // Warning at 50 % of a 100 loss: daily PnL below −50; the trip below −100.
        limits("daily_loss_limit", 100, "warning_pct", 50);
        deposit("10000", T0);
        btc("10", "100", T0 + SECOND);
        btc("10", "95", T0 + 2 * SECOND);         // (95 − 100) × 10 = −50: not below −50
        assertThat(alerts.isEmpty()).isTrue();
        btc("10", "94.9", T0 + 3 * SECOND);       // −51 < −50
        Alert warning = alerts.readValue();
        assertThat(warning.type()).isEqualTo("circuit_breaker_warning");
        assertThat(warning.conditionName()).isEqualTo("daily_loss");
        assertThat(warning.description())
                .isEqualTo("Daily PnL -51 is below the warning level -50 (50 % of the limit; daily_loss trips below -100)");
        assertThat(decimal(warning.context().get("threshold"))).isEqualByComparingTo("-50");
        assertThat(decimal(warning.context().get("rearm_threshold"))).isEqualByComparingTo("-45");
        assertThat(decimal(warning.context().get("trip_threshold"))).isEqualByComparingTo("-100");

        limits("daily_loss_limit", 100, "warning_pct", 0, "max_gross_exposure", 1000);
        btc("10", "85", T0 + 4 * SECOND);         // exposure 850 (85 % of 1000), daily PnL −150: the trip only
        assertThat(alerts.readValuesToList()).extracting(Alert::type, Alert::conditionName).containsExactly(
                org.assertj.core.groups.Tuple.tuple("circuit_breaker", "daily_loss"));
    }

    // ---------------------------------------------------------------- sessions

    @Test
    void shouldStartTheDailyPnlAtFiveInTheAfternoonNewYorkTimeOnTheDayDaylightSavingBegins() {
        limits("session_start", "17:00", "session_time_zone", "America/New_York", "warning_pct", 0);
        deposit("10000", T0);                     // 16:00 EDT: the session that began 7 March 17:00 EST
        btc("10", "100", T0 + SECOND);
        btc("10", "95", MAR8_2100Z - SECOND);     // 16:59:59 EDT: total PnL −50, still that session: daily −50
        assertThat(lastMetrics().dailyPnl()).isEqualByComparingTo("-50");
        btc("10", "94", MAR8_2100Z);              // 17:00:00 EDT = 21:00Z: a new session from the −50 before it
        RiskMetrics after = lastMetrics();
        assertThat(after.totalPnl()).isEqualByComparingTo("-60");
        assertThat(after.dailyPnl()).isEqualByComparingTo("-10");   // −60 − (−50)
    }

    @Test
    void shouldStartTheSessionAnHourLaterInUtcBeforeDaylightSavingBegins() {
        limits("session_start", "17:00", "session_time_zone", "America/New_York", "warning_pct", 0);
        deposit("10000", MAR6_2100Z - 2 * SECOND);
        btc("10", "100", MAR6_2100Z - SECOND);
        btc("10", "95", MAR6_2100Z);              // 21:00Z is 16:00 EST: the same session, daily −50
        assertThat(lastMetrics().dailyPnl()).isEqualByComparingTo("-50");
        btc("10", "94", MAR6_2200Z - SECOND);     // 16:59:59 EST: still the same session, daily −60
        assertThat(lastMetrics().dailyPnl()).isEqualByComparingTo("-60");
        btc("10", "93", MAR6_2200Z);              // 17:00 EST = 22:00Z: new session from −60: −70 − (−60)
        assertThat(lastMetrics().dailyPnl()).isEqualByComparingTo("-10");
    }

    @Test
    void shouldKeepATrippedDailyLossHaltedUntilTheNextSessionStartsThenReArmByItself() {
        limits("daily_loss_limit", 100, "warning_pct", 0, "session_start", "17:00", "session_time_zone", "America/New_York",
                "lock_until_next_session", true, "cooldown_seconds", 0);
        deposit("10000", T0);
        btc("10", "100", T0 + SECOND);
        btc("10", "89", MAR8_2100Z - 20 * SECOND);   // daily PnL −110 < −100: halted
        Alert trip = alerts.readValue();
        assertThat(trip.conditionName()).isEqualTo("daily_loss");
        assertThat(commands.readValue().action()).isEqualTo("halt");
        btc("10", "100", MAR8_2100Z - 10 * SECOND);  // back to 0 in the same session: the lock holds
        assertThat(alerts.isEmpty()).isTrue();
        assertThat(lastMetrics().tradingState()).isEqualTo("HALTED");

        // No more records: the account's clock moves on with the wall clock; 11 s later it is past
        // 17:00 EDT, and the punctuation re-arms the lock without a reset.
        driver.advanceWallClockTime(Duration.ofSeconds(11));
        Alert cleared = alerts.readValue();
        assertThat(cleared.type()).isEqualTo("circuit_breaker_cleared");
        assertThat(cleared.conditionName()).isEqualTo("daily_loss");
        assertThat(cleared.description()).isEqualTo("daily_loss lock ended: the session of 2026-03-08 began at 17:00 America/New_York");
        assertThat(cleared.context().get("tripped_alert_id")).isEqualTo(1);
        assertThat(commands.readValue().action()).isEqualTo("resume");
        assertThat(lastMetrics().tradingState()).isEqualTo("ACTIVE");

        btc("10", "99", MAR8_2100Z + SECOND);        // the new session: daily PnL −10, no new trip
        assertThat(alerts.isEmpty()).isTrue();
        assertThat(lastMetrics().dailyPnl()).isEqualByComparingTo("-10");
    }

    // ---------------------------------------------------------------- drawdown basis

    @Test
    void shouldMeasureTheDrawdownFromTheClosedTradeHighWaterMarkWhenTheBasisIsClosed() {
        limits("max_drawdown_pct", 10, "drawdown_basis", "closed", "warning_pct", 0);
        deposit("1000", T0);                       // closed-trade equity 1000: the peak
        btc("10", "100", T0 + SECOND);
        btc("10", "120", T0 + 2 * SECOND);         // live equity 1000 + (120 − 100) × 10 = 1200; an open profit sets no peak
        RiskMetrics up = lastMetrics();
        assertThat(up.peakEquity()).isEqualByComparingTo("1000");
        assertThat(up.currentDrawdown()).isEqualTo(0.0);       // live equity above the peak

        btc("10", "95", T0 + 3 * SECOND);          // 950: (1000 − 950) / 1000 = 5 % (on live equity's peak 1200 it would be 20.8 %)
        RiskMetrics down = lastMetrics();
        assertThat(down.peakEquity()).isEqualByComparingTo("1000");
        assertThat(down.currentDrawdown()).isEqualTo(5.0);
        assertThat(alerts.isEmpty()).isTrue();

        btc("10", "89", T0 + 4 * SECOND);          // 890: (1000 − 890) / 1000 = 11 % > 10 %
        Alert trip = alerts.readValue();
        assertThat(trip.conditionName()).isEqualTo("max_drawdown");
        assertThat(decimal(trip.context().get("peak_equity"))).isEqualByComparingTo("1000");
        assertThat(decimal(trip.context().get("total_equity"))).isEqualByComparingTo("890");
        assertThat(decimal(trip.context().get("value"))).isEqualByComparingTo("11");
    }
}
