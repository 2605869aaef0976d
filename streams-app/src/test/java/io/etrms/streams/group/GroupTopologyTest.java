package io.etrms.streams.group;

import static io.etrms.streams.TestRecords.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.etrms.model.Alert;
import io.etrms.model.RiskCommand;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Group limits across accounts processed independently: a1 and a2 in one stage-2 partition, a3
 * (and a4) in another, all in {@code acme/desk-1} (so in {@code acme} too); stage 3 sums their
 * figures per group. Positions: a1 1 BTC at 30 000 (exposure 30 000), a2 20 ETH at 2 000 (40 000),
 * a3 1 BTC at 30 000 and 2.5 ETH at 2 000 (35 000): the group's gross exposure is 105 000, of
 * which BTC 60 000.
 */
class GroupTopologyTest {

    private static final String BTC = "BTC/USDT";
    private static final String ETH = "ETH/USDT";
    private static final long T0_SECONDS = T0 / 1000;
    /** 2026-11-25T00:00:00Z on the drivers' wall clocks. */
    private static final Instant WALL0 = Instant.ofEpochMilli(T0 + 86_400_000L);
    private static final List<String> MEMBERS = List.of("a1", "a2", "a3");

    private GroupStages stages;

    /** Warnings off (etrms.limits.warning.pct=0): these are the trips and re-arms alone (GroupWarningsTest has the warnings). */
    private void start() {
        stages = new GroupStages(WALL0, new GroupSettings(Duration.ofSeconds(1), 60, 0), List.of(List.of("a1", "a2"), List.of("a3", "a4")));
    }

    @AfterEach
    void tearDown() {
        if (stages != null) {
            stages.close();
        }
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            out.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return out;
    }

    /** a1, a2, a3 join acme/desk-1 and open their positions (105 000 gross), a3's ETH last. */
    private void openPositions() {
        for (String account : MEMBERS) {
            stages.join(account, "acme/desk-1", T0);
        }
        stages.position("a1", BTC, "1", "30000", "30000", T0 + 2_000);   // gross 30 000
        stages.position("a2", ETH, "20", "2000", "2000", T0 + 3_000);    // 30 000 + 40 000 = 70 000
        stages.position("a3", BTC, "1", "30000", "30000", T0 + 4_000);   // 70 000 + 30 000 = 100 000: at the limit, not beyond
    }

    /** A number of an alert's context as it reads from JSON, exactly. */
    private static BigDecimal dec(Object jsonNumber) {
        return new BigDecimal(jsonNumber.toString());
    }

    private static void assertOneAlertEach(Map<String, List<Alert>> alerts, List<String> accounts, String type, String condition,
                                           String symbol) {
        assertThat(alerts.keySet()).containsExactlyInAnyOrderElementsOf(accounts);
        for (String account : accounts) {
            assertThat(alerts.get(account)).as(account).hasSize(1);
            Alert a = alerts.get(account).get(0);
            assertThat(a.type()).isEqualTo(type);
            assertThat(a.conditionName()).isEqualTo(condition);
            assertThat(a.exchange()).isEqualTo("*");
            assertThat(a.symbol()).isEqualTo(symbol);
        }
    }

    @Test
    void shouldTripEveryMemberOnceWhenTheGroupsGrossExposureCrossesItsLimitAndReArmAfterTheCooldown() {
        start();
        stages.groupLimits("acme", map("max_gross_exposure", 100_000, "cooldown_seconds", 60), T0);
        openPositions();
        assertThat(stages.alerts()).isEmpty();
        assertThat(stages.state("acme").grossExposure()).isEqualByComparingTo("100000");

        stages.position("a3", ETH, "2.5", "2000", "2000", T0 + 5_000);   // 100 000 + 2.5 × 2 000 = 105 000 > 100 000

        Map<String, List<Alert>> trips = stages.alerts();
        assertOneAlertEach(trips, MEMBERS, Alert.TRIPPED, Alert.GROUP_MAX_GROSS_EXPOSURE, "*");
        for (String account : MEMBERS) {
            Alert a = trips.get(account).get(0);
            assertThat(a.alertId()).isEqualTo(1L);
            assertThat(a.severity()).isEqualTo(Alert.WARNING);
            assertThat(a.action()).isEqualTo(Alert.ACTION_REDUCE_ONLY);
            assertThat(a.description()).isEqualTo("Gross exposure of group acme 105000 exceeds the limit of 100000");
            assertThat(a.triggeredAt()).isEqualTo(T0_SECONDS + 5);
            assertThat(a.context()).containsEntry("group", "acme");
            assertThat(dec(a.context().get("value"))).isEqualByComparingTo("105000");
            assertThat(dec(a.context().get("limit"))).isEqualByComparingTo("100000");
            assertThat(dec(a.context().get("rearm_threshold"))).isEqualByComparingTo("90000");
            assertThat(a.actionResult()).isEqualTo("published risk command " + account + "|1: reduce_only account " + account);
        }
        assertThat(stages.tradingStates()).containsOnly(Map.entry("a1", "REDUCE_ONLY"), Map.entry("a2", "REDUCE_ONLY"),
                Map.entry("a3", "REDUCE_ONLY"));
        Map<String, List<RiskCommand>> commands = stages.commands();
        for (String account : MEMBERS) {
            assertThat(commands.get(account)).extracting(RiskCommand::commandId, RiskCommand::action, RiskCommand::exchange, RiskCommand::symbol)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(account + "|1", RiskCommand.REDUCE_ONLY, "*", "*"));
        }

        // a3 closes its ETH (100 000: inside the limit, not yet at 90 %) and halves its BTC: 30 000 + 40 000 + 15 000 = 85 000 ≤ 90 000
        stages.position("a3", ETH, "0", "2000", "2000", T0 + 6_000);
        stages.position("a3", BTC, "0.5", "30000", "30000", T0 + 7_000);
        assertThat(stages.state("acme").grossExposure()).isEqualByComparingTo("85000");
        assertThat(stages.alerts()).isEmpty(); // 2 s after the trip: the cooldown of 60 s has not passed

        // No update for 60 s of wall time: the group's clock moves on from T0 + 7 s to T0 + 67 s, 62 s after the trip
        stages.advanceWallClock(Duration.ofSeconds(60));

        Map<String, List<Alert>> clears = stages.alerts();
        assertOneAlertEach(clears, MEMBERS, Alert.CLEARED, Alert.GROUP_MAX_GROSS_EXPOSURE, "*");
        for (String account : MEMBERS) {
            Alert a = clears.get(account).get(0);
            assertThat(a.alertId()).isEqualTo(2L);
            assertThat(a.action()).isEqualTo(Alert.ACTION_RESUME);
            assertThat(a.context()).containsEntry("tripped_alert_id", 1);
            assertThat(dec(a.context().get("value"))).isEqualByComparingTo("85000");
            assertThat(a.triggeredAt()).isEqualTo(T0_SECONDS + 67);
        }
        commands = stages.commands();
        for (String account : MEMBERS) {
            assertThat(commands.get(account)).extracting(RiskCommand::action).containsExactly(RiskCommand.RESUME);
        }
        assertThat(stages.tradingStates()).containsOnly(Map.entry("a1", "ACTIVE"), Map.entry("a2", "ACTIVE"), Map.entry("a3", "ACTIVE"));
    }

    @Test
    void shouldRestrictTheConcentratedSymbolOnEveryExchangeOfEveryMember() {
        start();
        openPositions();
        stages.position("a3", ETH, "2.5", "2000", "2000", T0 + 5_000);
        assertThat(stages.alerts()).isEmpty(); // no group limits yet

        // The desk's limit, applied at the next punctuation: BTC 60 000 of 105 000 = 57.142857…% > 50 %; ETH 45 000 = 42.857…% is not
        stages.groupLimits("acme/desk-1", map("max_concentration_pct", 50), T0);
        stages.advanceWallClock(Duration.ofSeconds(1));

        Map<String, List<Alert>> trips = stages.alerts();
        assertOneAlertEach(trips, MEMBERS, Alert.TRIPPED, Alert.GROUP_CONCENTRATION, BTC);
        for (String account : MEMBERS) {
            Alert a = trips.get(account).get(0);
            assertThat(a.description()).isEqualTo("Share (%) of BTC/USDT in the gross exposure of group acme/desk-1 57.1429 exceeds the limit of 50");
            // 60 000 × 100 / 105 000 to 34 significant digits
            assertThat(dec(a.context().get("value"))).isEqualTo(new BigDecimal("57.14285714285714285714285714285714"));
            assertThat(a.context()).containsEntry("group", "acme/desk-1");
            assertThat(dec(a.context().get("symbol_exposure"))).isEqualByComparingTo("60000");
            assertThat(dec(a.context().get("gross_exposure"))).isEqualByComparingTo("105000");
        }
        Map<String, List<RiskCommand>> commands = stages.commands();
        for (String account : MEMBERS) {
            assertThat(commands.get(account)).extracting(RiskCommand::action, RiskCommand::exchange, RiskCommand::symbol)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(RiskCommand.REDUCE_ONLY, "*", BTC));
        }
    }

    @Test
    void shouldHaltEveryMemberOnTheGroupsDailyLossUntilAResetOnAnyMember() {
        start();
        stages.groupLimits("acme", map("daily_loss_limit", 1_000), T0);
        openPositions();
        assertThat(stages.alerts()).isEmpty();

        // BTC 30 000 → 29 400: a1 and a3 each lose 1 × 600; a1's partition first (Σ −600 ≥ −1 000), then a3's: Σ −1 200 < −1 000
        stages.tick(BTC, "29400", T0 + 10_000);

        Map<String, List<Alert>> trips = stages.alerts();
        assertOneAlertEach(trips, MEMBERS, Alert.TRIPPED, Alert.GROUP_DAILY_LOSS, "*");
        for (String account : MEMBERS) {
            Alert a = trips.get(account).get(0);
            assertThat(a.severity()).isEqualTo(Alert.CRITICAL);
            assertThat(a.action()).isEqualTo(Alert.ACTION_HALT);
            assertThat(a.description()).isEqualTo("Daily PnL of group acme -1200 is below -1000");
            assertThat(dec(a.context().get("daily_pnl"))).isEqualByComparingTo("-1200");
        }
        assertThat(stages.commands().values()).allSatisfy(c -> assertThat(c).extracting(RiskCommand::action).containsExactly(RiskCommand.HALT));
        assertThat(stages.tradingStates()).containsOnly(Map.entry("a1", "HALTED"), Map.entry("a2", "HALTED"), Map.entry("a3", "HALTED"));

        // The price recovers (Σ 0): a halting breaker latches
        stages.tick(BTC, "30000", T0 + 20_000);
        stages.advanceWallClock(Duration.ofSeconds(120));
        assertThat(stages.alerts()).isEmpty();

        // A reset of the group condition on a2 re-arms it in the group: a2 at once, a1 and a3 through stage 3
        stages.control("a2", map("account", "a2", "action", "reset", "condition_name", Alert.GROUP_DAILY_LOSS, "reason", "checked",
                "requested_by", "ops", "timestamp", T0 + 30_000), T0 + 30_000);
        Map<String, List<Alert>> clears = stages.alerts();
        assertOneAlertEach(clears, MEMBERS, Alert.CLEARED, Alert.GROUP_DAILY_LOSS, "*");
        assertThat(clears.get("a1").get(0).description()).isEqualTo("group_daily_loss of group acme reset by ops: checked");
        assertThat(stages.commands().values()).allSatisfy(c -> assertThat(c).extracting(RiskCommand::action).containsExactly(RiskCommand.RESUME));
    }

    @Test
    void shouldGiveAJoiningMemberTheTrippedBreakersAndTakeALeavingMembersFiguresOutExactly() {
        start();
        stages.groupLimits("acme", map("max_gross_exposure", 100_000, "cooldown_seconds", 0), T0);
        openPositions();
        stages.position("a3", ETH, "2.5", "2000", "2000", T0 + 5_000);   // 105 000 > 100 000
        assertOneAlertEach(stages.alerts(), MEMBERS, Alert.TRIPPED, Alert.GROUP_MAX_GROSS_EXPOSURE, "*");
        stages.commands();

        // a4 (no position) joins while the group is tripped: it alone gets the trip
        stages.join("a4", "acme/desk-1", T0 + 6_000);
        Map<String, List<Alert>> joined = stages.alerts();
        assertOneAlertEach(joined, List.of("a4"), Alert.TRIPPED, Alert.GROUP_MAX_GROSS_EXPOSURE, "*");
        assertThat(joined.get("a4").get(0).description())
                .isEqualTo("Gross exposure of group acme 105000 exceeds the limit of 100000 (a4 joined group acme while it was tripped)");
        assertThat(stages.state("acme").members()).isEqualTo(4);

        // a3 leaves: acme and acme/desk-1 lose exactly its figures, 105 000 − 35 000 = 70 000 (BTC 60 000 − 30 000, ETH 45 000 − 5 000)
        stages.leave("a3", T0 + 7_000);
        for (String g : List.of("acme", "acme/desk-1")) {
            GroupState s = stages.state(g);
            assertThat(s.members()).isEqualTo(3);
            assertThat(s.grossExposure()).isEqualByComparingTo("70000");
            assertThat(s.netExposure()).isEqualByComparingTo("70000");
            assertThat(s.symbolExposure()).containsOnlyKeys(BTC, ETH);
            assertThat(s.symbolExposure().get(BTC)).isEqualByComparingTo("30000");
            assertThat(s.symbolExposure().get(ETH)).isEqualByComparingTo("40000");
        }
        // a3 is no longer restricted by the group; 70 000 ≤ 90 000 without cooldown re-arms the others
        Map<String, List<Alert>> clears = stages.alerts();
        assertOneAlertEach(clears, List.of("a1", "a2", "a3", "a4"), Alert.CLEARED, Alert.GROUP_MAX_GROSS_EXPOSURE, "*");
        assertThat(clears.get("a3").get(0).description())
                .isEqualTo("group_max_gross_exposure of group acme no longer applies: a3 left the group");
        assertThat(clears.get("a1").get(0).description())
                .isEqualTo("group_max_gross_exposure of group acme: Gross exposure of group acme back to 70000 (re-armed at or below 90000, limit 100000)");
    }

    @Test
    void shouldDeadLetterAnInvalidMembershipAndKeepTheAccountsGroup() {
        start();
        stages.join("a1", "acme/desk-1", T0);
        stages.position("a1", BTC, "1", "30000", "30000", T0 + 1_000);

        stages.accountGroupsRecord("a1", io.etrms.streams.TestRecords.json(map("account", "a1", "group", "acme//desk-2")), T0 + 2_000);
        stages.accountGroupsRecord("a1", io.etrms.streams.TestRecords.json(map("account", "a2", "group", "acme/desk-2")), T0 + 3_000);

        assertThat(stages.deadLetters()).extracting(io.etrms.model.DeadLetter::error).containsExactly(
                "group 'acme//desk-2' must be ids separated by '/' (no empty level, '|', spaces or control characters)",
                "key 'a1' does not match account 'a2'");
        assertThat(stages.state("acme/desk-1").grossExposure()).isEqualByComparingTo("30000");
        assertThat(stages.state("acme/desk-2")).isNull();
    }

    @Test
    void shouldKeepAMembersBreakerTrippedUntilTheLastOfItsGroupsReArmsAndMoveItsFiguresBetweenDesks() {
        start();
        stages.groupLimits("acme", map("max_gross_exposure", 100_000, "cooldown_seconds", 0), T0);
        stages.groupLimits("acme/desk-1", map("max_gross_exposure", 60_000, "cooldown_seconds", 0), T0);
        stages.join("a1", "acme/desk-1", T0);
        stages.join("a2", "acme/desk-1", T0);
        stages.join("a3", "acme/desk-2", T0);

        stages.position("a1", BTC, "1", "30000", "30000", T0 + 1_000);   // desk-1 30 000, acme 30 000
        stages.position("a2", ETH, "20", "2000", "2000", T0 + 2_000);    // desk-1 70 000 > 60 000: desk-1 trips
        Map<String, List<Alert>> desk = stages.alerts();
        assertOneAlertEach(desk, List.of("a1", "a2"), Alert.TRIPPED, Alert.GROUP_MAX_GROSS_EXPOSURE, "*");
        assertThat(desk.get("a1").get(0).description()).isEqualTo("Gross exposure of group acme/desk-1 70000 exceeds the limit of 60000");

        stages.position("a3", BTC, "1", "30000", "30000", T0 + 3_000);   // acme 100 000
        stages.position("a3", ETH, "2.5", "2000", "2000", T0 + 4_000);   // acme 105 000 > 100 000: acme trips
        // a1 and a2 already have the breaker (desk-1's): one alert per trip, a3 gets acme's
        assertOneAlertEach(stages.alerts(), List.of("a3"), Alert.TRIPPED, Alert.GROUP_MAX_GROSS_EXPOSURE, "*");

        // a3 back to 0.5 BTC: acme 30 000 + 40 000 + 15 000 = 85 000 ≤ 90 000 re-arms; desk-1 (70 000 > 54 000) stays
        stages.position("a3", ETH, "0", "2000", "2000", T0 + 5_000);
        stages.position("a3", BTC, "0.5", "30000", "30000", T0 + 6_000);
        assertOneAlertEach(stages.alerts(), List.of("a3"), Alert.CLEARED, Alert.GROUP_MAX_GROSS_EXPOSURE, "*");

        // a2 down to 10 ETH: desk-1 30 000 + 20 000 = 50 000 ≤ 54 000 re-arms it, the last group holding a1's and a2's breaker
        stages.position("a2", ETH, "10", "2000", "2000", T0 + 7_000);
        assertOneAlertEach(stages.alerts(), List.of("a1", "a2"), Alert.CLEARED, Alert.GROUP_MAX_GROSS_EXPOSURE, "*");

        // a2 moves to desk-2: desk-1 loses its 20 000, desk-2 gains it, acme (65 000) keeps it; nothing trips or re-arms
        int sent = stages.groupUpdatesSent();
        stages.join("a2", "acme/desk-2", T0 + 8_000);
        assertThat(stages.groupUpdatesSent() - sent).isEqualTo(2); // "left" to desk-1, its figures to desk-2; none to acme
        assertThat(stages.state("acme/desk-1").members()).isEqualTo(1);
        assertThat(stages.state("acme/desk-1").grossExposure()).isEqualByComparingTo("30000");
        assertThat(stages.state("acme/desk-2").members()).isEqualTo(2);
        assertThat(stages.state("acme/desk-2").grossExposure()).isEqualByComparingTo("35000");
        assertThat(stages.state("acme").members()).isEqualTo(3);
        assertThat(stages.state("acme").grossExposure()).isEqualByComparingTo("65000");
        assertThat(stages.alerts()).isEmpty();

        // A tick that leaves every figure as it was sends the groups nothing
        sent = stages.groupUpdatesSent();
        stages.tick(BTC, "30000", T0 + 9_000);
        assertThat(stages.groupUpdatesSent()).isEqualTo(sent);
    }
}
