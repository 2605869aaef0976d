package io.etrms.streams.group;

import static io.etrms.streams.TestRecords.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.etrms.model.Alert;
import io.etrms.model.GroupAction;
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
 * Early warnings of a group limit, through both stages (a1, a2 in one stage-2 partition, a3 in
 * another, all in {@code acme/desk-1}, so in {@code acme}): {@code acme} has a gross exposure limit
 * of 100 000, which warns above 80 % of it, 80 000, and re-arms its warning at or below 90 % of
 * that, 72 000. Positions: a1 1 BTC at 30 000, a2 20 ETH at 2 000 (40 000), a3 ETH at 2 000.
 */
class GroupWarningsTest {

    private static final String BTC = "BTC/USDT";
    private static final String ETH = "ETH/USDT";
    private static final long T0_SECONDS = T0 / 1000;
    private static final Instant WALL0 = Instant.ofEpochMilli(T0 + 86_400_000L);
    private static final List<String> MEMBERS = List.of("a1", "a2", "a3");

    private GroupStages stages;

    /** @param warningPct the deployment's etrms.limits.warning.pct */
    private void start(double warningPct, Map<String, Object> acmeLimits) {
        stages = new GroupStages(WALL0, new GroupSettings(Duration.ofSeconds(1), 60, warningPct), List.of(List.of("a1", "a2"), List.of("a3")));
        stages.groupLimits("acme", acmeLimits, T0);
        for (String account : MEMBERS) {
            stages.join(account, "acme/desk-1", T0);
        }
        stages.position("a1", BTC, "1", "30000", "30000", T0 + 2_000);   // gross 30 000
        stages.position("a2", ETH, "20", "2000", "2000", T0 + 3_000);    // 30 000 + 40 000 = 70 000: below 80 000
        assertThat(stages.alerts()).isEmpty();
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

    private static BigDecimal dec(Object jsonNumber) {
        return new BigDecimal(jsonNumber.toString());
    }

    /** Exactly one alert for each member, of this type, with this alert_id; returns them by account. */
    private static Map<String, Alert> oneEach(Map<String, List<Alert>> alerts, String type, long alertId) {
        assertThat(alerts.keySet()).containsExactlyInAnyOrderElementsOf(MEMBERS);
        Map<String, Alert> out = new LinkedHashMap<>();
        for (String account : MEMBERS) {
            assertThat(alerts.get(account)).as(account).hasSize(1);
            Alert a = alerts.get(account).get(0);
            assertThat(a.type()).as(account).isEqualTo(type);
            assertThat(a.alertId()).as(account).isEqualTo(alertId);
            assertThat(a.conditionName()).isEqualTo(Alert.GROUP_MAX_GROSS_EXPOSURE);
            assertThat(a.exchange()).isEqualTo("*");
            assertThat(a.symbol()).isEqualTo("*");
            out.put(account, a);
        }
        return out;
    }

    private static void assertWarning(Alert a, String account, long alertId, long atSeconds) {
        assertThat(a.account()).isEqualTo(account);
        assertThat(a.severity()).isEqualTo(Alert.WARNING);
        assertThat(a.action()).isEqualTo(Alert.ACTION_ALERT_ONLY);
        assertThat(a.actionResult()).isEqualTo("warning only: no risk command");
        assertThat(a.description()).isEqualTo(
                "Gross exposure of group acme 85000 is above the warning level 80000 (80 % of the limit; group_max_gross_exposure trips above 100000)");
        assertThat(a.triggeredAt()).isEqualTo(atSeconds);
        assertThat(a.timestamp()).isEqualTo(atSeconds * 1000);
        assertThat(a.context()).containsEntry("group", "acme").containsEntry("members", 3);
        assertThat(dec(a.context().get("value"))).isEqualByComparingTo("85000");
        assertThat(dec(a.context().get("gross_exposure"))).isEqualByComparingTo("85000");
        assertThat(dec(a.context().get("threshold"))).isEqualByComparingTo("80000");          // 0.8 × 100 000
        assertThat(dec(a.context().get("rearm_threshold"))).isEqualByComparingTo("72000");    // 0.9 × 80 000
        assertThat(dec(a.context().get("trip_threshold"))).isEqualByComparingTo("100000");
        assertThat(dec(a.context().get("limit"))).isEqualByComparingTo("100000");
        assertThat(dec(a.context().get("warning_pct"))).isEqualByComparingTo("80");
        assertThat(a.context()).doesNotContainKey("command_id");
    }

    @Test
    void shouldWarnEveryMemberOncePerCrossingOfTheGroupsWarningLevel() {
        start(80, map("max_gross_exposure", 100_000, "cooldown_seconds", 0));

        stages.position("a3", ETH, "7.5", "2000", "2000", T0 + 4_000);   // 70 000 + 7.5 × 2 000 = 85 000 > 80 000

        Map<String, Alert> warnings = oneEach(stages.alerts(), Alert.WARNED, 1);
        for (String account : MEMBERS) {
            assertWarning(warnings.get(account), account, 1, T0_SECONDS + 4);
        }
        assertThat(stages.actions).hasSize(3).allSatisfy(action -> {
            assertThat(action.warning()).isTrue();
            assertThat(action.tripped()).isFalse();
            assertThat(action.group()).isEqualTo("acme");
        });
        assertThat(stages.actions).extracting(GroupAction::account).containsExactlyInAnyOrderElementsOf(MEMBERS);
        assertThat(stages.commands()).isEmpty();
        assertThat(stages.tradingStates()).containsOnly(Map.entry("a1", "ACTIVE"), Map.entry("a2", "ACTIVE"), Map.entry("a3", "ACTIVE"));
        assertThat(stages.state("acme").warned()).containsOnlyKeys(GroupState.key(Alert.GROUP_MAX_GROSS_EXPOSURE, Alert.ANY));

        // 70 000 + 9 × 2 000 = 88 000: still above the warning level, the warning stays given
        stages.position("a3", ETH, "9", "2000", "2000", T0 + 5_000);
        assertThat(stages.alerts()).isEmpty();

        // 70 000 + 17.5 × 2 000 = 105 000 > 100 000: the trip, and no second warning
        stages.position("a3", ETH, "17.5", "2000", "2000", T0 + 6_000);
        Map<String, Alert> trips = oneEach(stages.alerts(), Alert.TRIPPED, 2);
        for (String account : MEMBERS) {
            assertThat(trips.get(account).description()).isEqualTo("Gross exposure of group acme 105000 exceeds the limit of 100000");
            assertThat(trips.get(account).action()).isEqualTo(Alert.ACTION_REDUCE_ONLY);
        }
        Map<String, List<RiskCommand>> commands = stages.commands();
        for (String account : MEMBERS) {
            assertThat(commands.get(account)).extracting(RiskCommand::action).containsExactly(RiskCommand.REDUCE_ONLY);
        }

        // a3 closes its ETH: 70 000 ≤ 90 000 (0.9 × the limit), cooldown 0: re-armed; and 70 000 ≤ 72 000 re-arms the warning
        stages.position("a3", ETH, "0", "2000", "2000", T0 + 7_000);
        Map<String, Alert> clears = oneEach(stages.alerts(), Alert.CLEARED, 3);
        for (String account : MEMBERS) {
            assertThat(dec(clears.get(account).context().get("value"))).isEqualByComparingTo("70000");
            assertThat(clears.get(account).action()).isEqualTo(Alert.ACTION_RESUME);
        }
        assertThat(stages.state("acme").warned()).isEmpty();
        stages.commands();

        // 85 000 again: a new crossing, a new warning
        stages.position("a3", ETH, "7.5", "2000", "2000", T0 + 8_000);
        warnings = oneEach(stages.alerts(), Alert.WARNED, 4);
        for (String account : MEMBERS) {
            assertWarning(warnings.get(account), account, 4, T0_SECONDS + 8);
        }
        assertThat(stages.commands()).isEmpty();
    }

    @Test
    void shouldWarnAtTheGroupsOwnWarningLevelOverTheDeployments() {
        start(80, map("max_gross_exposure", 100_000, "warning_pct", 90, "cooldown_seconds", 0));

        stages.position("a3", ETH, "7.5", "2000", "2000", T0 + 4_000);   // 85 000: below the group's 90 % (90 000)
        assertThat(stages.alerts()).isEmpty();

        stages.position("a3", ETH, "12.5", "2000", "2000", T0 + 5_000);  // 70 000 + 25 000 = 95 000 > 90 000
        Map<String, Alert> warnings = oneEach(stages.alerts(), Alert.WARNED, 1);
        for (String account : MEMBERS) {
            Alert a = warnings.get(account);
            assertThat(a.description()).isEqualTo(
                    "Gross exposure of group acme 95000 is above the warning level 90000 (90 % of the limit; group_max_gross_exposure trips above 100000)");
            assertThat(dec(a.context().get("threshold"))).isEqualByComparingTo("90000");        // 0.9 × 100 000
            assertThat(dec(a.context().get("rearm_threshold"))).isEqualByComparingTo("81000");  // 0.9 × 90 000
            assertThat(dec(a.context().get("warning_pct"))).isEqualByComparingTo("90");
        }
    }

    @Test
    void shouldNotWarnWhenWarningsAreOff() {
        start(0, map("max_gross_exposure", 100_000, "cooldown_seconds", 0));   // etrms.limits.warning.pct=0, no warning_pct

        stages.position("a3", ETH, "7.5", "2000", "2000", T0 + 4_000);   // 85 000
        stages.position("a3", ETH, "9", "2000", "2000", T0 + 5_000);     // 88 000
        assertThat(stages.alerts()).isEmpty();
        assertThat(stages.actions).isEmpty();

        stages.position("a3", ETH, "17.5", "2000", "2000", T0 + 6_000);  // 105 000: the trip is each member's first alert
        oneEach(stages.alerts(), Alert.TRIPPED, 1);
        assertThat(stages.state("acme").warned()).isEmpty();
    }

    @Test
    void shouldNotWarnForAGroupWhoseOwnWarningPctIsZero() {
        start(80, map("max_gross_exposure", 100_000, "cooldown_seconds", 0, "warning_pct", 0));  // the deployment warns at 80 %, acme not

        stages.position("a3", ETH, "7.5", "2000", "2000", T0 + 4_000);   // 85 000 > 80 000: no warning for acme
        assertThat(stages.alerts()).isEmpty();
        stages.position("a3", ETH, "17.5", "2000", "2000", T0 + 5_000);  // 105 000: the trip is each member's first alert
        oneEach(stages.alerts(), Alert.TRIPPED, 1);
    }

    @Test
    void shouldNotWarnAMemberWhoseBreakerOfTheConditionAnotherGroupHasTripped() {
        stages = new GroupStages(WALL0, new GroupSettings(Duration.ofSeconds(1), 60, 80), List.of(List.of("a1", "a2"), List.of("a3")));
        stages.groupLimits("acme", map("max_gross_exposure", 100_000, "cooldown_seconds", 0), T0);
        stages.groupLimits("acme/desk-1", map("max_gross_exposure", 50_000, "cooldown_seconds", 0), T0);
        stages.join("a1", "acme/desk-1", T0);
        stages.join("a2", "acme/desk-1", T0);
        stages.join("a3", "acme/desk-2", T0);
        stages.position("a1", BTC, "1", "30000", "30000", T0 + 2_000);   // desk-1 and acme 30 000: below 40 000 (80 % of 50 000)
        // 30 000 + 40 000 = 70 000: desk-1 straight past its 50 000 (the trip alone); acme below its 80 000
        stages.position("a2", ETH, "20", "2000", "2000", T0 + 3_000);
        Map<String, List<Alert>> trips = stages.alerts();
        assertThat(trips.keySet()).containsExactlyInAnyOrder("a1", "a2");
        assertThat(trips.values()).allSatisfy(list -> assertThat(list).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(Alert.TRIPPED);
            assertThat(a.context()).containsEntry("group", "acme/desk-1");
        }));
        stages.actions.clear();

        // a3 (acme/desk-2): acme 70 000 + 15 000 = 85 000 > 80 000. a1 and a2 are held reduce-only by desk-1's breaker of the
        // same condition: no warning for them; a3 gets its first alert
        stages.position("a3", ETH, "7.5", "2000", "2000", T0 + 4_000);
        assertThat(stages.actions).extracting(GroupAction::account).containsExactlyInAnyOrder("a1", "a2", "a3");
        Map<String, List<Alert>> warnings = stages.alerts();
        assertThat(warnings.keySet()).containsExactly("a3");
        assertThat(warnings.get("a3")).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(Alert.WARNED);
            assertThat(a.alertId()).isEqualTo(1L);
            assertWarning(a, "a3", 1, T0_SECONDS + 4);
        });
    }
}
