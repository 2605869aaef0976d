package io.etrms.streams.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.etrms.model.Alert;
import io.etrms.model.GroupLimits;
import io.etrms.model.GroupUpdate.Contribution;
import io.etrms.model.TradingState;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A group's drawdown: the peak of the summed equity, moved by transfers and by members joining or leaving. */
class GroupBreakersTest {

    private static final GroupLimits DRAWDOWN_10 = new GroupLimits(null, null, null, 10.0, null, null, 0L);

    /** A member with this equity and Σ transfers, no exposure. */
    private static Contribution member(String equity, String transfers) {
        return new Contribution(BigDecimal.ZERO, BigDecimal.ZERO, new BigDecimal(equity), BigDecimal.ZERO, new BigDecimal(transfers), Map.of());
    }

    @Test
    void shouldMeasureTheDrawdownOfTheSummedEquityWithoutCountingTransfersOrMembershipChanges() {
        Contribution a1 = member("100000", "100000");
        Contribution a2 = member("50000", "50000");
        GroupState s = GroupState.EMPTY.replace(null, a1).replace(null, a2);
        assertThat(s.peakEquity()).isEqualByComparingTo("150000"); // each joiner's equity moves the peak: 100 000 + 50 000

        // a1 loses 15 000: (150 000 − 135 000) / 150 000 × 100 = 10 %, the limit itself: no trip
        Contribution a1Down = member("85000", "100000");
        s = s.replace(a1, a1Down);
        assertThat(GroupBreakers.evaluate("acme", s, DRAWDOWN_10, 1_000, 60, 0).changes()).isEmpty();

        // 1 000 more: (150 000 − 134 000) / 150 000 × 100 = 10.666…%, to 34 significant digits
        Contribution a1Further = member("84000", "100000");
        s = s.replace(a1Down, a1Further);
        GroupBreakers.Outcome tripped = GroupBreakers.evaluate("acme", s, DRAWDOWN_10, 2_000, 60, 0);
        assertThat(tripped.changes()).singleElement().satisfies(c -> {
            assertThat(c.condition()).isEqualTo(Alert.GROUP_MAX_DRAWDOWN);
            assertThat(c.state()).isEqualTo(TradingState.HALTED);
            assertThat(c.figures().get("value")).isEqualTo(new BigDecimal("10.66666666666666666666666666666667"));
            assertThat(c.figures().get("peak_equity")).isEqualByComparingTo("150000");
            assertThat(c.description()).isEqualTo("Drawdown (%) of group acme 10.6667 exceeds the limit of 10");
        });
        s = tripped.state();

        // a2 withdraws 20 000: the peak moves with it, 150 000 − 20 000 = 130 000 (the equity 114 000 is below it by a1's loss only)
        Contribution a2Withdrew = member("30000", "30000");
        s = s.replace(a2, a2Withdrew);
        assertThat(s.peakEquity()).isEqualByComparingTo("130000");
        assertThat(s.totalEquity()).isEqualByComparingTo("114000");

        // a2 leaves with its 30 000: peak 100 000, equity 84 000
        s = s.replace(a2Withdrew, null);
        assertThat(s.members()).isEqualTo(1);
        assertThat(s.peakEquity()).isEqualByComparingTo("100000");
        assertThat(s.totalEquity()).isEqualByComparingTo("84000");
        // (100 000 − 84 000) / 100 000 = 16 %: still tripped, no second trip
        assertThat(GroupBreakers.evaluate("acme", s, DRAWDOWN_10, 3_000, 60, 0).changes()).isEmpty();

        // a1 recovers to 100 000 (drawdown 0): a halting group breaker latches all the same, until a reset
        s = s.replace(a1Further, member("100000", "100000"));
        assertThat(s.peakEquity()).isEqualByComparingTo("100000");
        assertThat(GroupBreakers.evaluate("acme", s, DRAWDOWN_10, 100_000, 60, 0).changes()).isEmpty();
        assertThat(GroupBreakers.reset("acme", s, Alert.GROUP_MAX_DRAWDOWN, "ops", null, 100_000).changes())
                .singleElement().satisfies(c -> assertThat(c.state()).isEqualTo(TradingState.ACTIVE));
    }

    @Test
    void shouldJudgeTheAbsoluteNetExposureOfTheGroup() {
        // a1 long 60 000, a2 short 50 000: gross 110 000, net 60 000 − 50 000 = 10 000
        Contribution a1 = new Contribution(new BigDecimal("60000"), new BigDecimal("60000"), BigDecimal.ZERO, BigDecimal.ZERO,
                BigDecimal.ZERO, Map.of("BTC", new BigDecimal("60000")));
        Contribution a2 = new Contribution(new BigDecimal("50000"), new BigDecimal("-50000"), BigDecimal.ZERO, BigDecimal.ZERO,
                BigDecimal.ZERO, Map.of("BTC", new BigDecimal("50000")));
        GroupState s = GroupState.EMPTY.replace(null, a1).replace(null, a2);
        GroupLimits net = new GroupLimits(null, 10_000.0, null, null, null, null, 0L);
        assertThat(GroupBreakers.evaluate("acme", s, net, 1_000, 60, 0).changes()).isEmpty(); // 10 000 is the limit itself

        // a2 covers 20 000 of its short: net 60 000 − 30 000 = 30 000 > 10 000
        Contribution a2Less = new Contribution(new BigDecimal("30000"), new BigDecimal("-30000"), BigDecimal.ZERO, BigDecimal.ZERO,
                BigDecimal.ZERO, Map.of("BTC", new BigDecimal("30000")));
        GroupBreakers.Outcome out = GroupBreakers.evaluate("acme", s.replace(a2, a2Less), net, 2_000, 60, 0);
        assertThat(out.changes()).singleElement().satisfies(c -> {
            assertThat(c.condition()).isEqualTo(Alert.GROUP_MAX_NET_EXPOSURE);
            assertThat(c.state()).isEqualTo(TradingState.REDUCE_ONLY);
            assertThat(c.figures().get("value")).isEqualByComparingTo("30000");
            assertThat(c.figures().get("net_exposure")).isEqualByComparingTo("30000");
            assertThat(c.description()).isEqualTo("Net exposure (absolute) of group acme 30000 exceeds the limit of 10000");
        });
        // all short: net −90 000, judged as 90 000
        Contribution a1Short = new Contribution(new BigDecimal("60000"), new BigDecimal("-60000"), BigDecimal.ZERO, BigDecimal.ZERO,
                BigDecimal.ZERO, Map.of("BTC", new BigDecimal("60000")));
        GroupState shortGroup = s.replace(a2, a2Less).replace(a1, a1Short);
        assertThat(shortGroup.netExposure()).isEqualByComparingTo("-90000");
        assertThat(GroupBreakers.evaluate("acme", shortGroup, net, 3_000, 60, 0).changes()).singleElement()
                .satisfies(c -> assertThat(c.figures().get("value")).isEqualByComparingTo("90000"));
    }

    /** A member with this daily PnL, nothing else. */
    private static Contribution pnl(String dailyPnl) {
        return new Contribution(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, new BigDecimal(dailyPnl), BigDecimal.ZERO, Map.of());
    }

    @Test
    void shouldWarnBelowTheWarningLevelOfTheDailyLossAndReArmTheWarningAfterTheCooldown() {
        // daily_loss_limit 1 000 at the deployment's 80 %: warns below −800, its warning re-arms at −720 (0.9 × −800) or above
        GroupLimits loss = new GroupLimits(null, null, 1_000.0, null, null, null, 60L);
        Contribution a1 = pnl("-500");
        Contribution a2 = pnl("-350");
        GroupState s = GroupState.EMPTY.replace(null, a1).replace(null, a2);   // −500 − 350 = −850 < −800
        GroupBreakers.Outcome out = GroupBreakers.evaluate("acme", s, loss, 1_000, 60, 80);
        assertThat(out.changes()).singleElement().satisfies(c -> {
            assertThat(c.warning()).isTrue();
            assertThat(c.condition()).isEqualTo(Alert.GROUP_DAILY_LOSS);
            assertThat(c.state()).isEqualTo(TradingState.ACTIVE);
            assertThat(c.description()).isEqualTo(
                    "Daily PnL of group acme -850 is below the warning level -800 (80 % of the limit; group_daily_loss trips below -1000)");
            assertThat(c.figures().get("value")).isEqualByComparingTo("-850");
            assertThat(c.figures().get("threshold")).isEqualByComparingTo("-800");
            assertThat(c.figures().get("rearm_threshold")).isEqualByComparingTo("-720");
            assertThat(c.figures().get("trip_threshold")).isEqualByComparingTo("-1000");
            assertThat(c.figures().get("warning_pct")).isEqualByComparingTo("80");
            assertThat(c.figures().get("daily_pnl")).isEqualByComparingTo("-850");
        });
        s = out.state();
        assertThat(s.tripped()).isEmpty();

        // −500 − 200 = −700 ≥ −720: back inside, but 1 s after the warning (cooldown 60 s): still given
        Contribution a2Better = pnl("-200");
        s = s.replace(a2, a2Better);
        out = GroupBreakers.evaluate("acme", s, loss, 2_000, 60, 80);
        assertThat(out.changes()).isEmpty();
        s = out.state();
        assertThat(s.warned()).containsOnlyKeys(GroupState.key(Alert.GROUP_DAILY_LOSS, Alert.ANY));
        // −850 again at 3 s: the warning was never re-armed, so no second one
        s = s.replace(a2Better, a2);
        out = GroupBreakers.evaluate("acme", s, loss, 3_000, 60, 80);
        assertThat(out.changes()).isEmpty();
        s = out.state();

        // −700 at 61 s: 60 s after the warning and inside: re-armed, silently
        s = s.replace(a2, a2Better);
        out = GroupBreakers.evaluate("acme", s, loss, 61_000, 60, 80);
        assertThat(out.changes()).isEmpty();
        s = out.state();
        assertThat(s.warned()).isEmpty();

        // −850 at 62 s: a new warning
        s = s.replace(a2Better, a2);
        out = GroupBreakers.evaluate("acme", s, loss, 62_000, 60, 80);
        assertThat(out.changes()).singleElement().satisfies(c -> assertThat(c.warning()).isTrue());
        s = out.state();

        // −500 − 600 = −1 100 < −1 000: the trip alone (the warning is given)
        s = s.replace(a2, pnl("-600"));
        out = GroupBreakers.evaluate("acme", s, loss, 63_000, 60, 80);
        assertThat(out.changes()).singleElement().satisfies(c -> {
            assertThat(c.warning()).isFalse();
            assertThat(c.state()).isEqualTo(TradingState.HALTED);
            assertThat(c.description()).isEqualTo("Daily PnL of group acme -1100 is below -1000");
        });
    }

    @Test
    void shouldGiveOnlyTheTripWhenTheValueGoesStraightPastTheLimit() {
        GroupLimits gross = new GroupLimits(100_000.0, null, null, null, null, null, 0L);
        // 70 000, then 105 000 in one update: beyond 80 000 and 100 000 at once
        Contribution before = new Contribution(new BigDecimal("70000"), new BigDecimal("70000"), BigDecimal.ZERO, BigDecimal.ZERO,
                BigDecimal.ZERO, Map.of("BTC", new BigDecimal("70000")));
        Contribution after = new Contribution(new BigDecimal("105000"), new BigDecimal("105000"), BigDecimal.ZERO, BigDecimal.ZERO,
                BigDecimal.ZERO, Map.of("BTC", new BigDecimal("105000")));
        GroupState s = GroupState.EMPTY.replace(null, before);
        GroupBreakers.Outcome out = GroupBreakers.evaluate("acme", s, gross, 1_000, 60, 80);
        assertThat(out.changes()).isEmpty();
        out = GroupBreakers.evaluate("acme", out.state().replace(before, after), gross, 2_000, 60, 80);
        assertThat(out.changes()).singleElement().satisfies(c -> {
            assertThat(c.warning()).isFalse();
            assertThat(c.state()).isEqualTo(TradingState.REDUCE_ONLY);
        });
        // the warning counts as given while tripped
        assertThat(out.state().warned()).containsOnlyKeys(GroupState.key(Alert.GROUP_MAX_GROSS_EXPOSURE, Alert.ANY));
    }
}
