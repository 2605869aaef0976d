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
 * Session rules set per group in the account stage: an account's session start, time zone and
 * lock come from its own {@code risk-limits} record, else from its groups' {@code group-limits}
 * records from the deepest up, else from the {@code *} record, else from the configuration (00:00
 * UTC here). Every limit is off in the configuration, as in {@link WarningsAndSessionsTopologyTest}.
 */
class GroupSessionsTopologyTest {

    private static final String BTC = "BTC/USDT:USDT";
    private static final String ETH = "ETH/USDT:USDT";
    private static final long SECOND = 1000L;
    /** 2026-03-08T20:00:00Z: 16:00 in New York (EDT, UTC−4 since 02:00 local that morning). */
    private static final long MAR8_2000Z = 1_773_000_000_000L;
    /** 2026-03-08T21:00:00Z: 17:00 EDT, the start of New York's session of 8 March. */
    private static final long MAR8_2100Z = 1_773_003_600_000L;
    /** 2026-03-09T00:00:00Z = epoch day 20521 × 86 400 000: the start of the UTC session of 9 March. */
    private static final long MAR9_0000Z = 1_773_014_400_000L;
    /** 2026-03-09T21:00:00Z = MAR8_2100Z + 86 400 000: 17:00 EDT, the start of New York's session of 9 March. */
    private static final long MAR9_2100Z = 1_773_090_000_000L;
    /** 2026-03-10T00:00:00Z = MAR9_0000Z + 86 400 000. */
    private static final long MAR10_0000Z = 1_773_100_800_000L;
    /** 2026-03-10T21:00:00Z = MAR9_2100Z + 86 400 000: 17:00 EDT on 10 March. */
    private static final long MAR10_2100Z = 1_773_176_400_000L;
    /** 2026-03-11T00:00:00Z = MAR10_0000Z + 86 400 000. */
    private static final long MAR11_0000Z = 1_773_187_200_000L;
    private static final long T0 = MAR8_2000Z;
    /** Every limit off, warnings at the default 80 %, sessions from 00:00 UTC. */
    private static final Limits ALL_OFF = new Limits(0, 0, 0, 0, 0, 0, 60, 0, 60);

    private final Topics topics = Topics.defaults();
    private TopologyTestDriver driver;
    private AccountInputs positions;
    private TestInputTopic<String, byte[]> transfers;
    private TestInputTopic<String, byte[]> riskLimits;
    private TestInputTopic<String, byte[]> groupLimits;
    private TestInputTopic<String, byte[]> accountGroups;
    private TestOutputTopic<String, Alert> alerts;
    private TestOutputTopic<String, RiskCommand> commands;
    private TestOutputTopic<String, RiskMetricsSnapshot> metrics;

    @BeforeEach
    void setUp() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, TestRecords.uniqueId("group-session-test"));
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(new AccountTopology(topics, AccountStage.settings(ALL_OFF)).buildTopology(),
                AccountStage.properties(props), Instant.ofEpochMilli(T0));
        positions = new AccountInputs(driver, topics);
        transfers = driver.createInputTopic(topics.transfers.name(), new StringSerializer(), new ByteArraySerializer());
        riskLimits = driver.createInputTopic(topics.riskLimits.name(), new StringSerializer(), new ByteArraySerializer());
        groupLimits = driver.createInputTopic(topics.groupLimits.name(), new StringSerializer(), new ByteArraySerializer());
        accountGroups = driver.createInputTopic(topics.accountGroups.name(), new StringSerializer(), new ByteArraySerializer());
        alerts = driver.createOutputTopic(topics.alerts.name(), new StringDeserializer(), topics.alerts.valueSerde());
        commands = driver.createOutputTopic(topics.riskCommands.name(), new StringDeserializer(), topics.riskCommands.valueSerde());
        metrics = driver.createOutputTopic(topics.riskMetrics.name(), new StringDeserializer(), topics.riskMetrics.valueSerde());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    private static Map<String, Object> map(Object... fieldsAndValues) {
        Map<String, Object> json = new LinkedHashMap<>();
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            json.put((String) fieldsAndValues[i], fieldsAndValues[i + 1]);
        }
        return json;
    }

    private void riskLimits(String key, Object... fieldsAndValues) {
        riskLimits.pipeInput(key, TestRecords.json(map(fieldsAndValues)), T0);
    }

    private void groupLimits(String group, Object... fieldsAndValues) {
        groupLimits.pipeInput(group, TestRecords.json(map(fieldsAndValues)), T0);
    }

    private void join(String account, String group) {
        accountGroups.pipeInput(account, TestRecords.json(map("account", account, "group", group, "timestamp", T0 - 10 * SECOND)), T0);
    }

    private void deposit(String account, long ts) {
        transfers.pipeInput(account, transfer("d-" + account + ts, account, "binance", "10000", ts), ts);
    }

    /** {@code account}'s position of 10 {@code symbol} entered at 100, marked at {@code price}: unrealized (price − 100) × 10. */
    private void hold(String account, String symbol, String price, long ts) {
        positions.position(account, "binance", symbol, "10", "100", price, "0", 0.0, 0.0, ts);
    }

    /** main's 10 BTC at {@code price}. */
    private void btc(String price, long ts) {
        hold("main", BTC, price, ts);
    }

    /** The figures of {@code account}'s latest published risk metrics (read with the others: call once per step). */
    private Map<String, RiskMetrics> latest() {
        Map<String, RiskMetrics> out = new LinkedHashMap<>();
        for (var record : metrics.readKeyValuesToList()) {
            out.put(record.key, record.value.riskMetrics());
        }
        return out;
    }

    private RiskMetrics latest(String account) {
        return latest().get(account);
    }

    @Test
    void shouldStartTheDailyPnlAtTheSessionStartOfAGroupAboveTheAccountsGroupOverTheDefaultRecord() {
        // The default record's 18:00 London (GMT in March: 18:00Z) loses to the group's 17:00 New York.
        riskLimits("*", "session_start", "18:00", "session_time_zone", "Europe/London", "warning_pct", 0);
        groupLimits("acme", "session_start", "17:00", "session_time_zone", "America/New_York");
        join("main", "acme/desk-1");
        deposit("main", T0);                      // 16:00 EDT: the New York session that began 7 March 17:00 EST
        btc("100", T0 + SECOND);
        btc("95", MAR8_2100Z - SECOND);           // 16:59:59 EDT: total PnL (95 − 100) × 10 = −50, the same session: daily −50
        assertThat(latest("main").dailyPnl()).isEqualByComparingTo("-50");
        btc("94", MAR8_2100Z);                    // 17:00:00 EDT = 21:00Z: a new session from the −50 before it
        RiskMetrics after = latest("main");
        assertThat(after.totalPnl()).isEqualByComparingTo("-60");
        assertThat(after.dailyPnl()).isEqualByComparingTo("-10");   // −60 − (−50); under 18:00Z or 00:00Z rules it would be −60
    }

    @Test
    void shouldTakeEachRuleFromTheDeepestGroupThatSetsIt() {
        // acme/desk-1 moves the start to 16:00 and sets no zone: the zone is still acme's New York.
        // 16:00 EDT on 8 March = 20:00Z = T0; acme's own 17:00 EDT (21:00Z) is then no boundary.
        groupLimits("acme", "session_start", "17:00", "session_time_zone", "America/New_York");
        groupLimits("acme/desk-1", "session_start", "16:00");
        join("main", "acme/desk-1");
        deposit("main", T0 - 3 * SECOND);         // 15:59:57 EDT: the session that began 7 March 16:00 EST
        btc("100", T0 - 2 * SECOND);
        btc("95", T0 - SECOND);                   // total −50, daily −50
        assertThat(latest("main").dailyPnl()).isEqualByComparingTo("-50");
        btc("94", T0);                            // 16:00:00 EDT: a new session from −50: −60 − (−50)
        assertThat(latest("main").dailyPnl()).isEqualByComparingTo("-10");
        btc("93", MAR8_2100Z);                    // 17:00 EDT: the same session: −70 − (−50)
        assertThat(latest("main").dailyPnl()).isEqualByComparingTo("-20");
    }

    @Test
    void shouldPreferTheAccountsOwnRecordToItsGroups() {
        groupLimits("acme", "session_start", "17:00", "session_time_zone", "America/New_York");
        groupLimits("acme/desk-1", "session_start", "16:00");
        riskLimits("main", "session_start", "00:00", "session_time_zone", "UTC", "warning_pct", 0);
        join("main", "acme/desk-1");
        deposit("main", T0 - 3 * SECOND);         // the UTC session of 8 March (from 00:00Z)
        btc("100", T0 - 2 * SECOND);
        btc("95", T0 - SECOND);                   // daily −50
        btc("94", T0);                            // 20:00Z (the desk's 16:00 EDT): no boundary for main, −60 − 0
        assertThat(latest("main").dailyPnl()).isEqualByComparingTo("-60");
        btc("93", MAR8_2100Z);                    // 21:00Z (acme's 17:00 EDT): none either, −70 − 0
        assertThat(latest("main").dailyPnl()).isEqualByComparingTo("-70");
        btc("92", MAR9_0000Z);                    // 00:00Z: its own session start, −80 − (−70)
        assertThat(latest("main").dailyPnl()).isEqualByComparingTo("-10");
    }

    @Test
    void shouldKeepMidnightUtcForAnAccountOutsideTheGroup() {
        groupLimits("acme", "session_start", "17:00", "session_time_zone", "America/New_York");
        groupLimits("beta", "max_gross_exposure", 1_000_000);   // a group record without session rules
        join("main", "acme/desk-1");
        join("bob", "beta");
        deposit("main", T0);
        deposit("bob", T0);
        btc("100", T0 + SECOND);
        hold("bob", ETH, "100", T0 + 2 * SECOND);
        btc("95", MAR8_2100Z - 2 * SECOND);       // main: daily −50
        hold("bob", ETH, "95", MAR8_2100Z - SECOND);   // bob: (95 − 100) × 10 = −50 since 00:00Z: daily −50
        latest();
        btc("94", MAR8_2100Z);                    // main's 17:00 EDT: −60 − (−50)
        hold("bob", ETH, "94", MAR8_2100Z + SECOND);   // bob's session goes on: −60 − 0
        Map<String, RiskMetrics> at2100 = latest();
        assertThat(at2100.get("main").dailyPnl()).isEqualByComparingTo("-10");
        assertThat(at2100.get("bob").dailyPnl()).isEqualByComparingTo("-60");
        hold("bob", ETH, "93", MAR9_0000Z);       // 00:00Z: bob's new session from −60: −70 − (−60)
        assertThat(latest("bob").dailyPnl()).isEqualByComparingTo("-10");
    }

    @Test
    void shouldKeepADailyLossHaltedUntilTheGroupsNextSessionThenReArmByItself() {
        riskLimits("*", "daily_loss_limit", 100, "warning_pct", 0, "cooldown_seconds", 0);
        groupLimits("acme", "session_start", "17:00", "session_time_zone", "America/New_York", "lock_until_next_session", true);
        join("main", "acme/desk-1");
        deposit("main", T0);
        btc("100", T0 + SECOND);
        btc("89", MAR8_2100Z - 20 * SECOND);      // daily PnL (89 − 100) × 10 = −110 < −100: halted
        Alert trip = alerts.readValue();
        assertThat(trip.conditionName()).isEqualTo("daily_loss");
        assertThat(commands.readValue().action()).isEqualTo("halt");
        btc("100", MAR8_2100Z - 10 * SECOND);     // back to 0 in the same session: the group's lock holds
        assertThat(alerts.isEmpty()).isTrue();
        assertThat(latest("main").tradingState()).isEqualTo("HALTED");

        // No more records: the account's clock moves on with the wall clock, 21:00Z − 10 s + 11 s =
        // 21:00:01Z, past 17:00 EDT: the punctuation re-arms it without a reset.
        driver.advanceWallClockTime(Duration.ofSeconds(11));
        Alert cleared = alerts.readValue();
        assertThat(cleared.type()).isEqualTo("circuit_breaker_cleared");
        assertThat(cleared.conditionName()).isEqualTo("daily_loss");
        assertThat(cleared.description()).isEqualTo("daily_loss lock ended: the session of 2026-03-08 began at 17:00 America/New_York");
        assertThat(commands.readValue().action()).isEqualTo("resume");
        assertThat(latest("main").tradingState()).isEqualTo("ACTIVE");
    }

    @Test
    void shouldApplyAChangedGroupRuleFromTheNextBoundaryOfTheRuleInForce() {
        join("main", "acme/desk-1");
        deposit("main", T0);                      // the UTC session of 8 March, until 9 March 00:00Z
        btc("100", T0 + SECOND);
        btc("95", T0 + 2 * SECOND);               // daily −50
        groupLimits("acme", "session_start", "17:00", "session_time_zone", "America/New_York");
        btc("94", MAR8_2100Z);                    // 17:00 EDT, but the UTC session still runs: −60 − 0
        assertThat(latest("main").dailyPnl()).isEqualByComparingTo("-60");
        btc("93", MAR9_0000Z);                    // its end: a new session by the new rule (New York's of 8 March), −70 − (−60)
        assertThat(latest("main").dailyPnl()).isEqualByComparingTo("-10");
        btc("92", MAR9_2100Z - SECOND);           // 16:59:59 EDT on 9 March: the same session, −80 − (−60)
        assertThat(latest("main").dailyPnl()).isEqualByComparingTo("-20");
        btc("91", MAR9_2100Z);                    // 17:00 EDT: the next, −90 − (−80)
        assertThat(latest("main").dailyPnl()).isEqualByComparingTo("-10");

        groupLimits.pipeInput("acme", null, T0);  // a tombstone
        // The group's rules are gone; the New York session they began runs to its end (10 March 21:00Z).
        btc("90", MAR10_0000Z);                   // 00:00Z is no boundary of it: −100 − (−80)
        assertThat(latest("main").dailyPnl()).isEqualByComparingTo("-20");
        btc("89", MAR10_2100Z);                   // its end: a new session by 00:00 UTC (that of 10 March), −110 − (−100)
        assertThat(latest("main").dailyPnl()).isEqualByComparingTo("-10");
        btc("88", MAR11_0000Z);                   // 00:00Z: the next, −120 − (−110)
        assertThat(latest("main").dailyPnl()).isEqualByComparingTo("-10");
    }

    @Test
    void shouldFollowTheDefaultRulesAfterTheAccountLeftTheGroupFromTheEndOfTheSessionUnderWay() {
        groupLimits("acme", "session_start", "17:00", "session_time_zone", "America/New_York");
        join("main", "acme/desk-1");
        deposit("main", T0);                      // New York's session of 7 March, until 8 March 21:00Z
        btc("100", T0 + SECOND);
        btc("95", MAR8_2100Z - SECOND);           // daily −50
        btc("94", MAR8_2100Z);                    // New York's session of 8 March, until 9 March 21:00Z, from −50: −60 − (−50)
        assertThat(latest("main").dailyPnl()).isEqualByComparingTo("-10");

        accountGroups.pipeInput("main", null, MAR8_2100Z);  // main leaves acme/desk-1 (a tombstone)
        btc("93", MAR9_0000Z);                    // 00:00Z is no boundary of the session under way (from −50): −70 − (−50)
        assertThat(latest("main").dailyPnl()).isEqualByComparingTo("-20");
        btc("92", MAR9_2100Z);                    // its end: the UTC session of 9 March, −80 − (−70)
        assertThat(latest("main").dailyPnl()).isEqualByComparingTo("-10");
        btc("91", MAR10_0000Z);                   // 00:00Z: the next by 00:00 UTC, −90 − (−80)
        assertThat(latest("main").dailyPnl()).isEqualByComparingTo("-10");
    }
}
