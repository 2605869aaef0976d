package io.etrms.streams;

import static io.etrms.streams.TestRecords.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.etrms.model.Alert;
import io.etrms.model.DeadLetter;
import io.etrms.model.EtrmsConfig;
import io.etrms.model.PositionSnapshot;
import io.etrms.model.RiskCommand;
import io.etrms.model.RiskMetricsSnapshot;
import io.etrms.streams.account.AccountSettings;
import io.etrms.streams.breakers.DrawdownBasis;
import io.etrms.streams.breakers.Limits;
import io.etrms.streams.breakers.SessionCalendar;
import io.etrms.streams.instrument.InstrumentSettings;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code reconciliation} breaker, both stages chained: fills build our size in stage 1, the
 * exchange's {@code position-snapshots} reach stage 2, and a difference beyond the tolerance that
 * lasts the grace period (event time) makes the instrument reduce-only until the sizes agree again.
 * Every other condition is off; tolerance 0.00000001, grace 30 s, cooldown 60 s (which
 * reconciliation does not wait for).
 */
class ReconciliationBreakerTest {

    private static final String BTC = "BTC/USDT:USDT";
    private static final String ETH = "ETH/USDT";
    private static final String KEY = "binance|" + BTC;
    private static final long SECOND = 1000L;
    private static final long T0_SECONDS = T0 / 1000;
    /** 2026-11-25T00:00:00Z on the drivers' wall clock. */
    private static final Instant WALL0 = Instant.ofEpochMilli(T0 + 86_400_000L);
    private static final Limits RECONCILIATION_ONLY = new Limits(0, 0, 0, 0, 0, 0, 60, 0, 60, 0, SessionCalendar.UTC_MIDNIGHT, DrawdownBasis.EQUITY,
            0.00000001, 30);

    private TwoStages stages;
    private TestInputTopic<String, byte[]> snapshots;
    private TestOutputTopic<String, Alert> alerts;
    private TestOutputTopic<String, RiskCommand> commands;
    private TestOutputTopic<String, RiskMetricsSnapshot> metrics;
    private TestOutputTopic<String, DeadLetter> deadLetters;

    @BeforeEach
    void setUp() {
        EtrmsConfig config = EtrmsConfig.of(Map.of());
        stages = new TwoStages(InstrumentSettings.from(config),
                AccountSettings.from(config).withLimits(RECONCILIATION_ONLY).withSnapshotIntervals(Duration.ZERO, Duration.ZERO), WALL0);
        snapshots = stages.stage2.createInputTopic(stages.topics.positionSnapshots.name(), new StringSerializer(), new ByteArraySerializer());
        alerts = stages.output(stages.topics.alerts);
        commands = stages.output(stages.topics.riskCommands);
        metrics = stages.output(stages.topics.riskMetrics);
        deadLetters = stages.output(stages.topics.deadLetters);
    }

    @AfterEach
    void tearDown() {
        stages.close();
    }

    private void buy(String id, String quantity, long ts) {
        stages.fill(KEY, TestRecords.fill(id, "main", "binance", BTC, "buy", quantity, "100", "0", ts), ts);
    }

    private void snapshot(String symbol, String size, long ts) {
        snapshots.pipeInput("main", TestRecords.json(new PositionSnapshot("main", "binance", symbol, new BigDecimal(size), ts)), ts);
    }

    private Map<String, Map<String, String>> instrumentStates() {
        List<RiskMetricsSnapshot> all = metrics.readValuesToList();
        return all.get(all.size() - 1).riskMetrics().instrumentTradingStates();
    }

    private static BigDecimal decimal(Object jsonNumber) {
        return new BigDecimal(jsonNumber.toString());
    }

    @Test
    void shouldTripAfterTheGracePeriodWithBothSizesAndClearWhenTheExchangeAgrees() {
        // Given: fills of 1 and 1.5 make our size 2.5
        buy("f1", "1", T0 + SECOND);
        buy("f2", "1.5", T0 + 2 * SECOND);
        long t0 = T0 + 10 * SECOND;

        // When: the exchange says 2.0 at t0 and still says so 29.999 s later
        snapshot(BTC, "2.0", t0);
        snapshot(BTC, "2.0", t0 + 29_999);

        // Then: |2.5 − 2.0| = 0.5 > 0.00000001, but not yet for 30 s
        assertThat(alerts.isEmpty()).isTrue();

        // When: a record at t0 + 30 s (the exchange's next snapshot, still 2.0)
        snapshot(BTC, "2.0", t0 + 30 * SECOND);

        // Then: the difference has lasted 30 s since the snapshot that first showed it
        Alert trip = alerts.readValue();
        assertThat(trip.type()).isEqualTo("circuit_breaker");
        assertThat(trip.alertId()).isEqualTo(1L);
        assertThat(trip.conditionName()).isEqualTo("reconciliation");
        assertThat(trip.exchange()).isEqualTo("binance");
        assertThat(trip.symbol()).isEqualTo(BTC);
        assertThat(trip.severity()).isEqualTo("warning");
        assertThat(trip.triggeredAt()).isEqualTo(T0_SECONDS + 40);
        assertThat(trip.description()).isEqualTo("Size difference of " + BTC + " on binance (ours 2.5, exchange 2) 0.5 exceeds the limit of 0.00000001");
        assertThat(trip.action()).isEqualTo("reduce_only");
        assertThat(trip.actionResult()).isEqualTo("published risk command main|1: reduce_only " + BTC + " on binance for main");
        Map<String, Object> context = trip.context();
        assertThat(context.keySet()).containsExactly("value", "threshold", "rearm_threshold", "limit", "our_size", "exchange_size",
                "difference", "tolerance", "grace_seconds", "snapshot_timestamp", "differs_since", "command_id");
        assertThat(decimal(context.get("value"))).isEqualByComparingTo("0.5");                // |2.5 − 2|
        assertThat(decimal(context.get("threshold"))).isEqualByComparingTo("0.00000001");
        assertThat(decimal(context.get("rearm_threshold"))).isEqualByComparingTo("0.00000001"); // no 90 % band
        assertThat(decimal(context.get("our_size"))).isEqualByComparingTo("2.5");             // 1 + 1.5
        assertThat(decimal(context.get("exchange_size"))).isEqualByComparingTo("2");
        assertThat(decimal(context.get("difference"))).isEqualByComparingTo("0.5");           // ours − exchange
        assertThat(decimal(context.get("tolerance"))).isEqualByComparingTo("0.00000001");
        assertThat(context.get("grace_seconds")).isEqualTo(30);
        assertThat(context.get("snapshot_timestamp")).isEqualTo(t0 + 30 * SECOND);
        assertThat(context.get("differs_since")).isEqualTo(t0);
        assertThat(context.get("command_id")).isEqualTo("main|1");
        assertThat(commands.readValue()).isEqualTo(new RiskCommand("main|1", "main", "reduce_only", "binance", BTC, trip.description(), 1L,
                t0 + 30 * SECOND));
        assertThat(instrumentStates()).isEqualTo(Map.of("binance", Map.of(BTC, "REDUCE_ONLY")));

        // When: 10 s later the exchange says 2.5 (within the 60 s cooldown, which reconciliation does not wait for)
        snapshot(BTC, "2.5", t0 + 40 * SECOND);

        // Then
        Alert cleared = alerts.readValue();
        assertThat(cleared.type()).isEqualTo("circuit_breaker_cleared");
        assertThat(cleared.alertId()).isEqualTo(2L);
        assertThat(cleared.conditionName()).isEqualTo("reconciliation");
        assertThat(cleared.severity()).isEqualTo("info");
        assertThat(cleared.triggeredAt()).isEqualTo(T0_SECONDS + 50);
        assertThat(cleared.description()).isEqualTo("Size difference of " + BTC + " on binance (ours 2.5, exchange 2.5) back to 0"
                + " (re-armed at or below 0.00000001, limit 0.00000001)");
        assertThat(cleared.action()).isEqualTo("resume");
        assertThat(cleared.actionResult()).isEqualTo("published risk command main|2: resume " + BTC + " on binance for main (ACTIVE)");
        assertThat(decimal(cleared.context().get("value"))).isEqualByComparingTo("0");
        assertThat(decimal(cleared.context().get("exchange_size"))).isEqualByComparingTo("2.5");
        assertThat(cleared.context()).doesNotContainKey("differs_since");
        assertThat(cleared.context().get("cooldown_seconds")).isEqualTo(0);
        assertThat(cleared.context().get("tripped_alert_id")).isEqualTo(1);
        assertThat(commands.readValue().action()).isEqualTo("resume");
        assertThat(instrumentStates()).isEmpty();
        assertThat(alerts.isEmpty()).isTrue();
    }

    @Test
    void shouldTripOnThePunctuationWhenNoRecordComesAndReconcileAnInstrumentWeDoNotHold() {
        // Given: we hold no ETH; the exchange says 1 at t0, then nothing more comes for the account
        buy("f1", "1", T0 + SECOND);
        long t0 = T0 + 10 * SECOND;
        snapshot(BTC, "1", t0);   // BTC agrees
        snapshot(ETH, "1", t0);   // ETH: |0 − 1| = 1

        // When: the account's event clock moves on with the wall clock, 29 s then 30 s past t0
        stages.advanceWallClock(Duration.ofSeconds(29));
        assertThat(alerts.isEmpty()).isTrue();
        stages.advanceWallClock(Duration.ofSeconds(1));

        // Then
        Alert trip = alerts.readValue();
        assertThat(trip.conditionName()).isEqualTo("reconciliation");
        assertThat(trip.symbol()).isEqualTo(ETH);
        assertThat(trip.triggeredAt()).isEqualTo(T0_SECONDS + 40);
        assertThat(decimal(trip.context().get("our_size"))).isEqualByComparingTo("0");
        assertThat(decimal(trip.context().get("exchange_size"))).isEqualByComparingTo("1");
        assertThat(decimal(trip.context().get("difference"))).isEqualByComparingTo("-1");     // 0 − 1
        assertThat(alerts.isEmpty()).isTrue();
    }

    @Test
    void shouldEndADifferenceWhenOurFillsCatchUpAndIgnoreAnOlderSnapshot() {
        // Given: ours 1, the exchange already says 2.5 at t0 (our second fill is late)
        buy("f1", "1", T0 + SECOND);
        long t0 = T0 + 10 * SECOND;
        snapshot(BTC, "2.5", t0);

        // When: our fill of 1.5 arrives at t0 + 5 s: 1 + 1.5 = 2.5, the difference ends
        buy("f2", "1.5", t0 + 5 * SECOND);
        // an older snapshot (sent before the t0 one, arriving after it) is dropped: taken, its 1 would
        // differ from our 2.5 since t0 − 1 s and trip at the punctuation 30 s on
        snapshot(BTC, "1", t0 - SECOND);
        stages.advanceWallClock(Duration.ofSeconds(60));
        // our next fill makes 3.5 against the exchange's 2.5: not a difference until a snapshot shows it
        // (had the fill of t0 + 5 s not ended the one of t0, it would trip here, 70 s after t0)
        buy("f3", "1", t0 + 70 * SECOND);

        // Then: nothing trips
        assertThat(alerts.isEmpty()).isTrue();

        // When: the exchange's next snapshot still says 2.5 at t0 + 80 s, and 30 s later
        snapshot(BTC, "2.5", t0 + 80 * SECOND);
        snapshot(BTC, "2.5", t0 + 110 * SECOND);

        // Then: that difference counts from t0 + 80 s
        assertThat(alerts.readValuesToList()).singleElement().satisfies(a -> {
            assertThat(a.triggeredAt()).isEqualTo(T0_SECONDS + 120);
            assertThat(a.context().get("differs_since")).isEqualTo(t0 + 80 * SECOND);
            assertThat(decimal(a.context().get("difference"))).isEqualByComparingTo("1"); // 3.5 − 2.5
        });
    }

    @Test
    void shouldTakeTheToleranceAndGraceFromRiskLimitsAndSwitchOffWithAToleranceOfZero() {
        TestInputTopic<String, byte[]> limits = stages.stage2.createInputTopic(stages.topics.riskLimits.name(), new StringSerializer(),
                new ByteArraySerializer());
        limits.pipeInput("main", TestRecords.text("{\"reconciliation_tolerance\":0.5,\"reconciliation_grace_seconds\":5}"), T0);
        limits.pipeInput("alt", TestRecords.text("{\"reconciliation_tolerance\":0}"), T0);
        buy("f1", "2.5", T0 + SECOND);
        long t0 = T0 + 10 * SECOND;

        snapshot(BTC, "2.0", t0);                 // |2.5 − 2| = 0.5: not above 0.5
        snapshot(BTC, "2.0", t0 + 60 * SECOND);
        assertThat(alerts.isEmpty()).isTrue();

        snapshot(BTC, "1.99", t0 + 61 * SECOND);  // 0.51 > 0.5, from t0 + 61 s
        snapshot(BTC, "1.99", t0 + 65 * SECOND);  // 4 s: within the 5 s grace
        assertThat(alerts.isEmpty()).isTrue();
        snapshot(BTC, "1.99", t0 + 66 * SECOND);  // 5 s
        assertThat(alerts.readValuesToList()).singleElement().satisfies(a -> {
            assertThat(a.triggeredAt()).isEqualTo(T0_SECONDS + 76);
            assertThat(decimal(a.context().get("value"))).isEqualByComparingTo("0.51");
            assertThat(decimal(a.context().get("tolerance"))).isEqualByComparingTo("0.5");
            assertThat(a.context().get("grace_seconds")).isEqualTo(5);
        });

        // alt has reconciliation switched off: any difference, however long, is no breaker
        snapshots.pipeInput("alt", TestRecords.json(new PositionSnapshot("alt", "binance", BTC, new BigDecimal("7"), t0)), t0);
        snapshots.pipeInput("alt", TestRecords.json(new PositionSnapshot("alt", "binance", BTC, new BigDecimal("7"), t0 + 3600 * SECOND)),
                t0 + 3600 * SECOND);
        assertThat(alerts.isEmpty()).isTrue();
    }

    @Test
    void shouldSendABadSnapshotToDeadLettersWithTheReason() {
        snapshots.pipeInput("main", TestRecords.text("{\"account\":\"main\",\"exchange\":\"binance\",\"symbol\":\"BTC/USDT:USDT\","
                + "\"timestamp\":" + T0 + "}"), T0);
        snapshots.pipeInput("main", TestRecords.text("{\"account\":\"main\",\"exchange\":\"bin|ance\",\"symbol\":\"BTC/USDT:USDT\","
                + "\"size\":1e-19,\"timestamp\":" + T0 + "}"), T0);
        snapshots.pipeInput("bob", TestRecords.json(new PositionSnapshot("main", "binance", BTC, BigDecimal.ONE, T0)), T0);

        List<DeadLetter> letters = deadLetters.readValuesToList();
        assertThat(letters).extracting(DeadLetter::error).containsExactly(
                "missing field size",
                "exchange must not contain '|'; size has more than 18 decimal places: 1E-19",
                "key 'bob' does not match account 'main'");
        assertThat(letters).extracting(DeadLetter::sourceTopic).containsOnly(stages.topics.positionSnapshots.name());
        assertThat(alerts.isEmpty()).isTrue();
    }
}
