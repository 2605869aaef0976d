package io.etrms.streams;

import static io.etrms.streams.TestRecords.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.etrms.model.Alert;
import io.etrms.model.EtrmsConfig;
import io.etrms.streams.account.AccountSettings;
import io.etrms.streams.breakers.DrawdownBasis;
import io.etrms.streams.breakers.Limits;
import io.etrms.streams.breakers.SessionCalendar;
import io.etrms.streams.instrument.InstrumentSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A tripped {@code max_gross_exposure} breaker waits to re-arm without stage 2 evaluating it on
 * every mark: only the marks that may move its value across the re-arm level (90 % of the limit,
 * either way) or that come once the value is inside and the cooldown may be over are evaluated.
 * Both stages chained, once evaluating every holder on every mark (the definition) and once with
 * the holder index (production): the same alerts, with fewer evaluations.
 *
 * <p>The same holds per instrument: a tripped {@code max_position_notional} breaker and a given
 * notional warning are evaluated only on the marks of their instrument that may cross their
 * re-arm level or the limit.
 *
 * <p>In the first test account main deposits 10 000 and buys 0.8 BTC at 20 000, so gross exposure
 * is 0.8 × price. Only the gross exposure limit is on: 15 000, re-armed at or below 13 500 (a price
 * of 16 875), cooldown 20 s, no warnings. The other two tests turn on only the position notional
 * limit and state their own figures. Each tick moves the price by less than stage 1's 10 %
 * outlier rule.
 */
class RearmBandTest {

    private static final String BTC = "BTC/USDT:USDT";
    private static final String KEY = "binance|" + BTC;
    private static final long SECOND = 1000L;
    private static final long T0_SECONDS = T0 / 1000;
    private static final Instant WALL0 = Instant.ofEpochMilli(T0 + 86_400_000L);
    private static final Limits EXPOSURE_ONLY = new Limits(0, 0, 0, 15_000, 0, 0, 60, 0, 20, 0, SessionCalendar.UTC_MIDNIGHT,
            DrawdownBasis.EQUITY, Limits.DEFAULT_RECONCILIATION_TOLERANCE, Limits.DEFAULT_RECONCILIATION_GRACE_SECONDS);

    @ParameterizedTest(name = "every mark evaluated: {0}")
    @ValueSource(booleans = {false, true})
    void shouldRearmOnTheMarkThatEndsTheCooldownInsideTheBandAndNotOnTheOthers(boolean everyMark) {
        EtrmsConfig config = EtrmsConfig.of(Map.of());
        try (TwoStages stages = new TwoStages(InstrumentSettings.from(config), AccountSettings.from(config).withLimits(EXPOSURE_ONLY)
                .withSnapshotIntervals(Duration.ZERO, Duration.ZERO).withEveryMark(everyMark), WALL0)) {
            TestOutputTopic<String, Alert> alerts = stages.output(stages.topics.alerts);
            stages.transfer("main", TestRecords.transfer("d1", "main", "binance", "10000", T0), T0);
            fill(stages, "f1", "0.8", "20000", T0 + SECOND);

            // 0.8 × 20 000 = 16 000 > 15 000: trips at T0 + 1 s; its cooldown ends at T0 + 21 s
            Alert trip = alerts.readValue();
            assertThat(trip.type()).isEqualTo("circuit_breaker");
            assertThat(trip.conditionName()).isEqualTo("max_gross_exposure");
            assertThat(trip.triggeredAt()).isEqualTo(T0_SECONDS + 1);

            double evaluatedBefore = evaluated(stages);
            tick(stages, "19000", T0 + 5 * SECOND);  // 15 200 outside the band; equity 9 200, a new maximum drawdown: its figures only
            tick(stages, "17200", T0 + 10 * SECOND); // 13 760 outside; equity 7 760, a new maximum drawdown: its figures only
            tick(stages, "16800", T0 + 12 * SECOND); // 13 440 ≤ 13 500: crosses into the band: evaluated (inside, 11 s < 20 s)
            tick(stages, "16850", T0 + 15 * SECOND); // 13 480 still inside, cooldown not over, equity 7 480 above its low 7 440: let be
            assertThat(alerts.isEmpty()).as("inside the band but within the cooldown").isTrue();
            tick(stages, "16860", T0 + 22 * SECOND); // 13 488 inside, and 22 s − 1 s ≥ 20 s: evaluated, re-arms
            tick(stages, "16870", T0 + 25 * SECOND); // re-armed: 13 496 is far from the limit 15 000: let be

            Alert cleared = alerts.readValue();
            assertThat(cleared.type()).isEqualTo("circuit_breaker_cleared");
            assertThat(cleared.conditionName()).isEqualTo("max_gross_exposure");
            assertThat(cleared.triggeredAt()).isEqualTo(T0_SECONDS + 22);
            assertThat(cleared.description()).isEqualTo("Gross exposure back to 13488 (re-armed at or below 13500, limit 15000)");
            // 6 holder marks; the index evaluates 4 of them (2 for their figures, 2 in full)
            assertThat(evaluated(stages) - evaluatedBefore).isEqualTo(everyMark ? 6 : 4);

            // A second trip: buying 0.2 more at 16 870 makes the exposure 1.0 × 16 870 = 16 870 (cooldown until T0 + 50 s)
            fill(stages, "f2", "0.2", "16870", T0 + 30 * SECOND);
            assertThat(alerts.readValue().triggeredAt()).isEqualTo(T0_SECONDS + 30);
            // Size 1.0 at an entry of (0.8 × 20 000 + 0.2 × 16 870) / 1.0 = 19 374: equity = 10 000 + (price − 19 374)
            evaluatedBefore = evaluated(stages);
            tick(stages, "16000", T0 + 33 * SECOND); // 16 000 outside; equity 6 626 below its low 7 440: its figures only
            tick(stages, "14500", T0 + 36 * SECOND); // 14 500 outside; equity 5 126, a new low: its figures only
            tick(stages, "13400", T0 + 38 * SECOND); // 13 400 inside (within the cooldown): evaluated
            tick(stages, "14000", T0 + 40 * SECOND); // 14 000 outside again: evaluated, the breaker must know it
            tick(stages, "13450", T0 + 42 * SECOND); // inside: evaluated
            tick(stages, "13900", T0 + 44 * SECOND); // outside: evaluated
            tick(stages, "13950", T0 + 52 * SECOND); // the cooldown is over but the value is outside: let be
            tick(stages, "13980", T0 + 54 * SECOND); // outside: let be
            assertThat(evaluated(stages) - evaluatedBefore).isEqualTo(everyMark ? 8 : 6);

            // Then the account idles past its cooldown: the punctuation re-arms an idle breaker only if it is inside
            stages.advanceWallClock(Duration.ofSeconds(30));
            assertThat(alerts.readValuesToList()).as("outside the band when the cooldown ended").isEmpty();
        }
    }

    /**
     * A tripped {@code max_position_notional} breaker watches its instrument, and of that
     * instrument's marks only those that may move the position's notional across its re-arm level
     * are evaluated in full. Only the position notional limit is on: 15 000, re-armed at or below
     * 13 500 (a price of 16 875 for 0.8 BTC), cooldown 20 s, no warnings. Equity is
     * 10 000 + 0.8 × (price − 20 000).
     */
    @ParameterizedTest(name = "every mark evaluated: {0}")
    @ValueSource(booleans = {false, true})
    void shouldEvaluateATrippedNotionalBreakersOwnMarksOnlyNearItsRearmLevel(boolean everyMark) {
        Limits notionalOnly = new Limits(0, 0, 0, 0, 15_000, 0, 60, 0, 20, 0, SessionCalendar.UTC_MIDNIGHT,
                DrawdownBasis.EQUITY, Limits.DEFAULT_RECONCILIATION_TOLERANCE, Limits.DEFAULT_RECONCILIATION_GRACE_SECONDS);
        try (TwoStages stages = twoStages(notionalOnly, everyMark)) {
            TestOutputTopic<String, Alert> alerts = stages.output(stages.topics.alerts);
            stages.transfer("main", TestRecords.transfer("d1", "main", "binance", "10000", T0), T0);
            fill(stages, "f1", "0.8", "20000", T0 + SECOND);

            // 0.8 × 20 000 = 16 000 > 15 000: trips at T0 + 1 s; its cooldown ends at T0 + 21 s
            Alert trip = alerts.readValue();
            assertThat(trip.type()).isEqualTo(Alert.TRIPPED);
            assertThat(trip.conditionName()).isEqualTo(Alert.MAX_POSITION_NOTIONAL);
            assertThat(trip.triggeredAt()).isEqualTo(T0_SECONDS + 1);

            double evaluatedBefore = evaluated(stages);
            tick(stages, "19000", T0 + 3 * SECOND);  // 15 200 outside; equity 9 200, a new maximum drawdown: its figures only
            tick(stages, "19500", T0 + 5 * SECOND);  // 15 600 outside; equity 9 600 between its low and its peak: let be
            tick(stages, "19800", T0 + 7 * SECOND);  // 15 840: let be
            tick(stages, "19200", T0 + 9 * SECOND);  // 15 360, equity 9 360: let be
            tick(stages, "17500", T0 + 11 * SECOND); // 14 000 outside; equity 8 000, a new low: its figures only
            tick(stages, "16800", T0 + 13 * SECOND); // 13 440 ≤ 13 500: crosses into the band: evaluated (12 s < 20 s)
            tick(stages, "16850", T0 + 17 * SECOND); // 13 480 inside, cooldown not over, equity 7 480 above its low 7 440: let be
            assertThat(alerts.isEmpty()).as("inside the band but within the cooldown").isTrue();
            tick(stages, "16860", T0 + 22 * SECOND); // 13 488 inside, and 22 s − 1 s ≥ 20 s: evaluated, re-arms
            tick(stages, "16870", T0 + 25 * SECOND); // re-armed: 13 496 is far from the limit 15 000: let be

            Alert cleared = alerts.readValue();
            assertThat(cleared.type()).isEqualTo(Alert.CLEARED);
            assertThat(cleared.conditionName()).isEqualTo(Alert.MAX_POSITION_NOTIONAL);
            assertThat(cleared.triggeredAt()).isEqualTo(T0_SECONDS + 22);
            assertThat(cleared.description())
                    .isEqualTo("Notional of BTC/USDT:USDT on binance back to 13488 (re-armed at or below 13500, limit 15000)");
            // 9 holder marks; the index evaluates 4 of them (2 for their figures, 2 in full)
            assertThat(evaluated(stages) - evaluatedBefore).isEqualTo(everyMark ? 9 : 4);
            assertThat(alerts.isEmpty()).isTrue();
        }
    }

    /**
     * A given {@code max_position_notional} warning watches its instrument: of its marks, only those
     * that may move the notional across the warning's re-arm level or above the limit are evaluated
     * in full. The limit is 20 000 with warnings at 80 %: warned above 16 000, re-armed at or below
     * 14 400, cooldown 20 s. Account main buys 0.85 BTC at 20 000 (notional 17 000): equity is
     * 10 000 + 0.85 × (price − 20 000).
     */
    @ParameterizedTest(name = "every mark evaluated: {0}")
    @ValueSource(booleans = {false, true})
    void shouldEvaluateAGivenNotionalWarningsOwnMarksOnlyNearItsRearmLevelAndTheLimit(boolean everyMark) {
        Limits notionalOnly = new Limits(0, 0, 0, 0, 20_000, 0, 60, 0, 20, 80, SessionCalendar.UTC_MIDNIGHT,
                DrawdownBasis.EQUITY, Limits.DEFAULT_RECONCILIATION_TOLERANCE, Limits.DEFAULT_RECONCILIATION_GRACE_SECONDS);
        try (TwoStages stages = twoStages(notionalOnly, everyMark)) {
            TestOutputTopic<String, Alert> alerts = stages.output(stages.topics.alerts);
            stages.transfer("main", TestRecords.transfer("d1", "main", "binance", "10000", T0), T0);
            fill(stages, "f1", "0.85", "20000", T0 + SECOND);

            Alert warned = alerts.readValue();
            assertThat(warned.type()).isEqualTo(Alert.WARNED);
            assertThat(warned.conditionName()).isEqualTo(Alert.MAX_POSITION_NOTIONAL);
            assertThat(warned.triggeredAt()).isEqualTo(T0_SECONDS + 1);

            double evaluatedBefore = evaluated(stages);
            tick(stages, "19000", T0 + 3 * SECOND);  // 16 150; equity 9 150, a new maximum drawdown: its figures only
            tick(stages, "19400", T0 + 5 * SECOND);  // 16 490, far from 14 400 and 20 000; equity 9 490: let be
            tick(stages, "19900", T0 + 7 * SECOND);  // 16 915: let be
            tick(stages, "18000", T0 + 9 * SECOND);  // 15 300 below the warning level, above its re-arm level; equity 8 300, a new low: its figures only
            tick(stages, "18500", T0 + 11 * SECOND); // 15 725; equity 8 725: let be
            tick(stages, "16800", T0 + 13 * SECOND); // 14 280 ≤ 14 400: crosses into the re-arm band: evaluated (12 s < 20 s)
            tick(stages, "17000", T0 + 15 * SECOND); // 14 450 > 14 400: crosses out again: evaluated
            tick(stages, "16900", T0 + 25 * SECOND); // 14 365 inside, 24 s ≥ 20 s: evaluated, the warning re-arms (no alert)
            tick(stages, "18500", T0 + 27 * SECOND); // 15 725 ≤ 16 000: not warned again: let be
            assertThat(alerts.isEmpty()).as("a warning re-arms without an alert").isTrue();
            tick(stages, "19200", T0 + 29 * SECOND); // 16 320 > 16 000: evaluated, warned again

            Alert again = alerts.readValue();
            assertThat(again.type()).isEqualTo(Alert.WARNED);
            assertThat(again.triggeredAt()).isEqualTo(T0_SECONDS + 29);
            assertThat(again.description()).isEqualTo("Notional of BTC/USDT:USDT on binance 16320 is above the warning level 16000"
                    + " (80 % of the limit; max_position_notional trips above 20000)");
            // 10 holder marks; the index evaluates 6 of them (2 for their figures, 4 in full)
            assertThat(evaluated(stages) - evaluatedBefore).isEqualTo(everyMark ? 10 : 6);
        }
    }

    private static TwoStages twoStages(Limits limits, boolean everyMark) {
        EtrmsConfig config = EtrmsConfig.of(Map.of());
        return new TwoStages(InstrumentSettings.from(config), AccountSettings.from(config).withLimits(limits)
                .withSnapshotIntervals(Duration.ZERO, Duration.ZERO).withEveryMark(everyMark), WALL0);
    }

    private static void fill(TwoStages stages, String id, String quantity, String price, long ts) {
        stages.fill(KEY, TestRecords.fill(id, "main", "binance", BTC, "buy", quantity, price, "0", ts), ts);
    }

    private static void tick(TwoStages stages, String price, long ts) {
        stages.tick(KEY, TestRecords.tick("binance", BTC, price, ts), ts);
    }

    private static double evaluated(TwoStages stages) {
        return stages.stage2.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals("evaluated-holder-marks-total") && e.getKey().group().contains("etrms"))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum();
    }
}
