package io.etrms.streams.account;

import static io.etrms.streams.TestRecords.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.etrms.model.AccountUpdate;
import io.etrms.model.EtrmsConfig;
import io.etrms.model.Topic;
import io.etrms.model.Topics;
import io.etrms.streams.TestRecords;
import io.etrms.streams.breakers.DrawdownBasis;
import io.etrms.streams.breakers.Limits;
import io.etrms.streams.breakers.SessionCalendar;
import io.etrms.streams.instrument.InstrumentSettings;
import io.etrms.streams.instrument.InstrumentTopology;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeSet;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The holder index lets stage 2 evaluate, on a mark, only the holders the mark may have brought
 * near a threshold. This test runs the same seeded random market (fills, trending and jumping
 * ticks, deposits and withdrawals, limit changes, resets, midnights, wall-clock punctuations)
 * through stage 1 and then through two stage-2 drivers: one evaluating every holder on every
 * mark, the definition, and the production one. With every snapshot published at once, the two
 * must publish exactly the same records on every topic, in the same order.
 */
class FilteredMarksTest {

    private static final List<String> ACCOUNTS = List.of("alice", "bob", "carol", "dave", "erin", "frank", "grace");
    private static final List<String> INSTRUMENTS = List.of("binance|BTC/USDT:USDT", "binance|ETH/USDT", "coinbase|BTC-USD");
    private static final long WALL0 = T0 + 86_400_000L;

    private final Topics topics = Topics.defaults();

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void shouldPublishExactlyWhatEvaluatingEveryHolderOnEveryMarkPublishes(long seed) {
        Outcome outcome = runBoth(seed, new Limits(15, 3000, 4, 60_000, 25_000, 4, 60, 0, 5), market -> { });

        assertThat(outcome.alerts()).as("the market trips breakers").hasSizeGreaterThan(5);
        assertThat(outcome.holderMarks()).as("holders marked").isGreaterThan(2000);
        // This market is built to trip, re-arm and reset breakers and to change limits all the time,
        // which makes holders hot (evaluated on every mark); still the index lets some marks be.
        assertThat(outcome.evaluated() / outcome.holderMarks()).as("share of holder marks evaluated, seed " + seed).isLessThan(0.95);
    }

    /**
     * Only the account-wide exposure and leverage limits on, no warnings, a 20 s cooldown and no
     * limit changes: the accounts' breakers trip and then wait to re-arm with no other reason to be
     * evaluated on every mark, so the holder index lets them be while their values stay outside the
     * re-arm band (90 % of the limit). In these seeds the values come back inside on fills, not on
     * marks: {@code RearmBandTest} covers the crossings and the cooldown on marks.
     */
    @ParameterizedTest
    @ValueSource(longs = {4, 5})
    void shouldRearmExposureAndLeverageBreakersExactlyAsEvaluatingEveryMarkDoes(long seed) {
        Limits exposureAndLeverage = new Limits(0, 0, 0.5, 25_000, 0, 0, 60, 0, 20, 0, SessionCalendar.UTC_MIDNIGHT, DrawdownBasis.EQUITY,
                Limits.DEFAULT_RECONCILIATION_TOLERANCE, Limits.DEFAULT_RECONCILIATION_GRACE_SECONDS);
        Outcome outcome = runBoth(seed, exposureAndLeverage, market -> {
            market.varyLimits = false;
            market.tickShare = 85; // few fills and wide swings: the marks move the values across the re-arm levels
            market.fillShare = 5;
            market.sigma = 0.012;
        });

        List<String> rearmed = outcome.alerts().stream().filter(a -> a.contains("(re-armed at or below")).toList();
        assertThat(rearmed).as("exposure and leverage breakers re-armed by their values after the cooldown")
                .anyMatch(a -> a.contains("\"max_gross_exposure\"")).anyMatch(a -> a.contains("\"max_leverage\""))
                .allMatch(a -> a.contains("\"max_gross_exposure\"") || a.contains("\"max_leverage\""));
    }

    /**
     * Only the volatility breaker on (2 % over 60 s, warnings at the default level, a 10 s
     * cooldown), no limit changes: breakers and warnings trip on one instrument's jumps. The index
     * evaluates such an account on that instrument's marks, which move its value across the re-arm
     * level, and on any mark once the cooldown may have passed with the value inside; the other
     * instruments' marks let it be.
     */
    @ParameterizedTest
    @ValueSource(longs = {6, 7})
    void shouldRearmOneInstrumentsBreakersAndWarningsExactlyAsEvaluatingEveryMarkDoes(long seed) {
        Limits volatilityOnly = new Limits(0, 0, 0, 0, 0, 2, 60, 0, 10);
        Outcome outcome = runBoth(seed, volatilityOnly, market -> {
            market.varyLimits = false;
            market.tickShare = 95; // ticks and fills only: no reset or punctuation re-arms a breaker for the marks
            market.fillShare = 5;
            market.sigma = 0.006;
        });

        assertThat(outcome.alerts()).as("volatility breakers re-armed by their values after the cooldown")
                .anyMatch(a -> a.contains("\"volatility\"") && a.contains("(re-armed at or below"))
                .anyMatch(a -> a.contains("circuit_breaker_warning") && a.contains("\"volatility\""));
    }

    /**
     * Only the position notional limit on (15,000, warnings at 80 %, a 10 s cooldown), no limit
     * changes, wide swings: breakers and warnings trip on one position's notional, which that
     * instrument's marks move across the re-arm levels (13,500 for the breaker, 10,800 for the
     * warning) and, for a given warning, across the limit.
     */
    @ParameterizedTest
    @ValueSource(longs = {8, 9})
    void shouldRearmOnePositionsNotionalBreakersAndWarningsExactlyAsEvaluatingEveryMarkDoes(long seed) {
        Limits notionalOnly = new Limits(0, 0, 0, 0, 15_000, 0, 60, 0, 10);
        Outcome outcome = runBoth(seed, notionalOnly, Map.of(), market -> {
            market.varyLimits = false;
            market.tickShare = 90;
            market.fillShare = 10;
            market.sigma = 0.012;
        });

        assertThat(outcome.alerts()).as("notional breakers re-armed by their values after the cooldown")
                .anyMatch(a -> a.contains("\"max_position_notional\"") && a.contains("(re-armed at or below"))
                .anyMatch(a -> a.contains("circuit_breaker_warning") && a.contains("\"max_position_notional\""));
    }

    /**
     * Only the stale-price limit on (3 s of wall clock without a tick, a 5 s cooldown) and the
     * breakers' wall-clock check once a minute, so that between two checks the wall clock moves
     * (by 1–4 s now and then) while marks keep coming: a breaker whose instrument ticked again
     * re-arms on the first record after its cooldown, which may be another instrument's mark.
     */
    @ParameterizedTest
    @ValueSource(longs = {10, 11})
    void shouldRearmStalePriceBreakersByTheWallClockExactlyAsEvaluatingEveryMarkDoes(long seed) {
        Limits staleOnly = new Limits(0, 0, 0, 0, 0, 0, 60, 3, 5);
        Outcome outcome = runBoth(seed, staleOnly, Map.of(AccountSettings.BREAKER_PUNCTUATION_MS, "60000"), market -> {
            market.varyLimits = false;
            market.tickShare = 80;
            market.fillShare = 5;
        });

        assertThat(outcome.alerts()).as("stale-price breakers tripped and re-armed")
                .anyMatch(a -> a.contains("\"stale_price\"") && a.contains("(re-armed at or below"));
    }

    /** What the market published (the same with and without the index) and how many holder marks the index evaluated. */
    private record Outcome(List<String> alerts, double holderMarks, double evaluated) {
    }

    /**
     * Runs the seeded market through stage 1 and two stage-2 drivers under {@code configured}, one
     * evaluating every holder on every mark (the definition) and the production one, and requires
     * both to publish exactly the same records on every topic.
     */
    private Outcome runBoth(long seed, Limits configured, java.util.function.Consumer<Market> tune) {
        return runBoth(seed, configured, Map.of(), tune);
    }

    /** The same, with stage 2's other settings from {@code config}. */
    private Outcome runBoth(long seed, Limits configured, Map<String, String> config, java.util.function.Consumer<Market> tune) {
        AccountSettings base = AccountSettings.from(EtrmsConfig.of(config)).withLimits(configured)
                .withSnapshotIntervals(Duration.ZERO, Duration.ZERO);
        try (TopologyTestDriver stage1 = new TopologyTestDriver(
                new InstrumentTopology(topics, InstrumentSettings.from(EtrmsConfig.of(Map.of()))).buildTopology(), props("stage-1"),
                Instant.ofEpochMilli(WALL0));
             TopologyTestDriver every = driver(base.withEveryMark(true), "every");
             TopologyTestDriver filtered = driver(base.withEveryMark(false), "filtered")) {
            Market market = new Market(new Random(seed), stage1, List.of(every, filtered));
            tune.accept(market);
            market.run(1500);

            assertSame("alerts, seed " + seed, market.alerts.get(0), market.alerts.get(1));
            for (Topic<?> topic : List.of(topics.riskCommands, topics.riskMetrics, topics.accounts, topics.portfolio,
                    topics.positions, topics.deadLetters)) {
                assertSame(topic.name() + ", seed " + seed, values(every, topic), values(filtered, topic));
            }
            assertThat(metric(every, "evaluated-holder-marks-total")).isEqualTo(metric(every, "holder-marks-total"));
            return new Outcome(market.alerts.get(0), metric(filtered, "holder-marks-total"), metric(filtered, "evaluated-holder-marks-total"));
        }
    }

    /** The seeded market: every input goes to stage 1 or to both stage-2 drivers, stage 1's output to both. */
    private final class Market {
        final Random random;
        final TopologyTestDriver stage1;
        final List<TopologyTestDriver> stage2;
        final TestInputTopic<String, byte[]> fills;
        final TestInputTopic<String, byte[]> prices;
        final TestOutputTopic<String, AccountUpdate> updates;
        final List<TestInputTopic<String, AccountUpdate>> updatesIn = new ArrayList<>();
        final List<TestInputTopic<String, byte[]>> transfers = new ArrayList<>();
        final List<TestInputTopic<String, byte[]>> limits = new ArrayList<>();
        final List<TestInputTopic<String, byte[]>> controls = new ArrayList<>();
        final List<TestOutputTopic<String, String>> alertsOut = new ArrayList<>();
        final Map<String, BigDecimal> price = new LinkedHashMap<>();
        final Map<String, Double> drift = new LinkedHashMap<>();
        long t = T0 + 3_600_000L;
        int ids;
        /** Whether the market changes limits now and then. */
        boolean varyLimits = true;
        /** Percent of the steps that are ticks and fills; the standard deviation of a tick's log move. */
        int tickShare = 62;
        int fillShare = 24;
        double sigma = 0.004;
        final List<List<String>> alerts = List.of(new ArrayList<>(), new ArrayList<>());

        Market(Random random, TopologyTestDriver stage1, List<TopologyTestDriver> stage2) {
            this.random = random;
            this.stage1 = stage1;
            this.stage2 = stage2;
            fills = stage1.createInputTopic(topics.fills.name(), new StringSerializer(), new ByteArraySerializer());
            prices = stage1.createInputTopic(topics.prices.name(), new StringSerializer(), new ByteArraySerializer());
            updates = stage1.createOutputTopic(topics.accountUpdates.name(), new StringDeserializer(), topics.accountUpdates.valueSerde());
            for (TopologyTestDriver d : stage2) {
                updatesIn.add(d.createInputTopic(topics.accountUpdates.name(), new StringSerializer(), topics.accountUpdates.valueSerde()));
                transfers.add(d.createInputTopic(topics.transfers.name(), new StringSerializer(), new ByteArraySerializer()));
                limits.add(d.createInputTopic(topics.riskLimits.name(), new StringSerializer(), new ByteArraySerializer()));
                controls.add(d.createInputTopic(topics.riskControl.name(), new StringSerializer(), new ByteArraySerializer()));
                alertsOut.add(d.createOutputTopic(topics.alerts.name(), new StringDeserializer(), new StringDeserializer()));
            }
            price.put(INSTRUMENTS.get(0), new BigDecimal("30000"));
            price.put(INSTRUMENTS.get(1), new BigDecimal("2000"));
            price.put(INSTRUMENTS.get(2), new BigDecimal("30000"));
            INSTRUMENTS.forEach(i -> drift.put(i, 0.0));
        }

        void run(int steps) {
            for (String account : ACCOUNTS) {
                for (String exchange : new TreeSet<>(INSTRUMENTS.stream().map(i -> i.substring(0, i.indexOf('|'))).toList())) {
                    transfer(account, exchange, "20000");
                }
            }
            // The opening: fills before any tick, each at its own price, which is every holder's mark until the first tick.
            for (int i = 0; i < 40; i++) {
                String instrument = INSTRUMENTS.get(random.nextInt(INSTRUMENTS.size()));
                t += 100 + random.nextInt(2_000);
                price.put(instrument, price.get(instrument).multiply(BigDecimal.valueOf(Math.exp(random.nextGaussian() * 0.003)))
                        .setScale(2, RoundingMode.HALF_EVEN));
                fill(ACCOUNTS.get(random.nextInt(ACCOUNTS.size())), instrument);
                relay();
            }
            for (int step = 0; step < steps; step++) {
                t += 100 + random.nextInt(random.nextInt(20) == 0 ? 3_600_000 : 20_000); // now and then an hour: midnights pass
                int dice = random.nextInt(100);
                if (dice < tickShare) {
                    tick(INSTRUMENTS.get(random.nextInt(INSTRUMENTS.size())));
                } else if (dice < tickShare + fillShare) {
                    fill(ACCOUNTS.get(random.nextInt(ACCOUNTS.size())), INSTRUMENTS.get(random.nextInt(INSTRUMENTS.size())));
                } else if (dice < 90) {
                    transfer(ACCOUNTS.get(random.nextInt(ACCOUNTS.size())), random.nextBoolean() ? "binance" : "coinbase",
                            random.nextBoolean() ? "5000" : "-3000");
                } else if (dice < 93) {
                    if (varyLimits) {
                        limits();
                    }
                } else if (dice < 96) {
                    String action = random.nextBoolean() ? "{\"action\":\"reset\"" : "{\"action\":\"set_state\",\"state\":\""
                            + List.of("ACTIVE", "REDUCE_ONLY").get(random.nextInt(2)) + "\"";
                    String account = ACCOUNTS.get(random.nextInt(ACCOUNTS.size()));
                    controls.forEach(c -> c.pipeInput(account, TestRecords.text(action.replace("{", "{\"account\":\"" + account + "\",")
                            + ",\"requested_by\":\"test\",\"timestamp\":" + t + "}"), t));
                } else {
                    Duration d = Duration.ofMillis(1000 + random.nextInt(3000));
                    stage1.advanceWallClockTime(d);
                    stage2.forEach(s -> s.advanceWallClockTime(d));
                }
                relay();
                for (int i = 0; i < stage2.size(); i++) {
                    alerts.get(i).addAll(alertsOut.get(i).readValuesToList());
                }
            }
        }

        void tick(String instrument) {
            // a random walk with a drift that changes now and then (trends), and rare jumps
            if (random.nextInt(40) == 0) {
                drift.put(instrument, (random.nextDouble() - 0.5) * 0.01);
            }
            double move = drift.get(instrument) + random.nextGaussian() * sigma + (random.nextInt(200) == 0 ? 0.08 : 0);
            BigDecimal next = price.get(instrument).multiply(BigDecimal.valueOf(Math.exp(move))).setScale(2, RoundingMode.HALF_EVEN);
            price.put(instrument, next);
            String[] parts = instrument.split("\\|", 2);
            prices.pipeInput(instrument, TestRecords.tick(parts[0], parts[1], next.toPlainString(), t), t);
        }

        void fill(String account, String instrument) {
            String[] parts = instrument.split("\\|", 2);
            BigDecimal notional = BigDecimal.valueOf(500 + random.nextInt(9500));
            String quantity = notional.divide(price.get(instrument), 3, RoundingMode.DOWN).max(new BigDecimal("0.001")).toPlainString();
            fills.pipeInput(instrument, TestRecords.fill("f" + (ids++), account, parts[0], parts[1], random.nextBoolean() ? "buy" : "sell",
                    quantity, price.get(instrument).toPlainString(), "0.5", t), t);
        }

        void transfer(String account, String exchange, String amount) {
            byte[] value = TestRecords.transfer("t" + (ids++), account, exchange, amount, t);
            transfers.forEach(topic -> topic.pipeInput(account, value, t));
        }

        void limits() {
            String key = random.nextInt(3) == 0 ? ACCOUNTS.get(random.nextInt(ACCOUNTS.size())) : "*";
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("max_drawdown_pct", 5 + random.nextInt(20));
            fields.put("daily_loss_limit", 500 + random.nextInt(5000));
            fields.put("max_leverage", 1 + random.nextInt(6));
            fields.put("max_gross_exposure", 10_000 + random.nextInt(90_000));
            fields.put("max_position_notional", 5000 + random.nextInt(40_000));
            fields.put("volatility_move_pct", 1 + random.nextInt(8));
            fields.put("cooldown_seconds", random.nextInt(30));
            if (random.nextInt(4) == 0) {
                fields.put(List.copyOf(fields.keySet()).get(random.nextInt(fields.size())), 0); // a condition switched off
            }
            byte[] value = TestRecords.json(fields);
            limits.forEach(topic -> topic.pipeInput(key, value, t));
        }

        void relay() {
            for (TestRecord<String, AccountUpdate> r : updates.readRecordsToList()) {
                updatesIn.forEach(in -> in.pipeInput(r.key(), r.value(), r.timestamp()));
            }
        }
    }

    private TopologyTestDriver driver(AccountSettings settings, String id) {
        return new TopologyTestDriver(new AccountTopology(topics, settings).buildTopology(), props(id), Instant.ofEpochMilli(WALL0));
    }

    private Properties props(String id) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, TestRecords.uniqueId(id));
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        return AccountStage.properties(props);
    }

    /** The same records in the same order; on a difference, the first one (the lists are long). */
    private static void assertSame(String what, List<String> expected, List<String> actual) {
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            if (!expected.get(i).equals(actual.get(i))) {
                throw new AssertionError(what + ": record " + i + " differs (of " + expected.size() + ")\n"
                        + (i > 0 ? "previous:  " + expected.get(i - 1) + "\n" : "") + "expected:  " + expected.get(i) + "\nfiltered:  " + actual.get(i));
            }
        }
        assertThat(actual).as(what).hasSameSizeAs(expected);
    }

    private static List<String> values(TopologyTestDriver driver, Topic<?> topic) {
        return driver.createOutputTopic(topic.name(), new StringDeserializer(), new StringDeserializer()).readValuesToList();
    }

    private static double metric(TopologyTestDriver driver, String name) {
        return driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals(name) && e.getKey().group().contains("etrms"))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum();
    }
}
