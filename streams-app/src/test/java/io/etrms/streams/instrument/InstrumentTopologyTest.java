package io.etrms.streams.instrument;

import static io.etrms.streams.TestRecords.T0;
import static io.etrms.streams.TestRecords.fill;
import static io.etrms.streams.TestRecords.text;
import static io.etrms.streams.TestRecords.tick;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.etrms.streams.TestRecords;
import io.etrms.model.AccountUpdate;
import io.etrms.model.DeadLetter;
import io.etrms.model.EtrmsConfig;
import io.etrms.model.InstrumentMark;
import io.etrms.model.Position;
import io.etrms.model.PositionChange;
import io.etrms.model.Topics;
import io.etrms.streams.common.DeadLetterCounts;
import io.etrms.streams.common.DeadLetterHandler;
import io.etrms.streams.common.DeadLetterReason;
import java.math.BigDecimal;
import java.time.Duration;
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
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InstrumentTopologyTest {

    private static final String BTC = "BTC/USDT:USDT";
    private static final String KEY = "binance|" + BTC;

    private final Topics topics = Topics.defaults();
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> fills;
    private TestInputTopic<String, byte[]> prices;
    private TestInputTopic<String, byte[]> riskLimits;
    private TestOutputTopic<String, AccountUpdate> updates;
    private TestOutputTopic<String, DeadLetter> deadLetters;
    private InstrumentTopology topology;

    @BeforeEach
    void setUp() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, TestRecords.uniqueId("instrument-test"));
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        topology = new InstrumentTopology(topics, InstrumentSettings.from(EtrmsConfig.of(Map.of())));
        DeadLetterHandler.configure(props, topics.deadLetters.name(), topology.deadLetterCounts());
        driver = new TopologyTestDriver(topology.buildTopology(), props);
        fills = driver.createInputTopic(topics.fills.name(), new StringSerializer(), new ByteArraySerializer());
        prices = driver.createInputTopic(topics.prices.name(), new StringSerializer(), new ByteArraySerializer());
        riskLimits = driver.createInputTopic(topics.riskLimits.name(), new StringSerializer(), new ByteArraySerializer());
        updates = driver.createOutputTopic(topics.accountUpdates.name(), new StringDeserializer(), topics.accountUpdates.valueSerde());
        deadLetters = driver.createOutputTopic(topics.deadLetters.name(), new StringDeserializer(), topics.deadLetters.valueSerde());
    }

    /** What stage 1 sent since the last call: position changes (as positions) and marks, in order. */
    private List<AccountUpdate> sent() {
        return updates.readValuesToList();
    }

    private List<Position> positions(List<AccountUpdate> sent) {
        return sent.stream().filter(u -> u instanceof PositionChange).map(u -> ((PositionChange) u).position()).toList();
    }

    private List<InstrumentMark> marks(List<AccountUpdate> sent) {
        return sent.stream().filter(u -> u instanceof InstrumentMark).map(u -> (InstrumentMark) u).toList();
    }

    private List<InstrumentMark> marks() {
        return marks(sent());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    private void pipeFill(String id, String side, String qty, String price, String fee, long ts) {
        fills.pipeInput(KEY, io.etrms.streams.TestRecords.fill(id, "main", "binance", BTC, side, qty, price, fee, ts), ts);
    }

    private void pipeTick(String price, long ts) {
        prices.pipeInput(KEY, io.etrms.streams.TestRecords.tick("binance", BTC, price, ts), ts);
    }

    /** The latest position change sent. */
    private Position last() {
        List<Position> all = positions(sent());
        assertThat(all).isNotEmpty();
        return all.get(all.size() - 1);
    }

    /** The latest mark sent. */
    private InstrumentMark lastMark() {
        List<InstrumentMark> all = marks();
        assertThat(all).isNotEmpty();
        return all.get(all.size() - 1);
    }

    @Test
    void shouldAverageTheEntryOverThreeBuys() {
        pipeFill("f1", "buy", "1", "100", "0.1", T0);
        pipeFill("f2", "buy", "2", "110", "0.1", T0 + 1);
        pipeFill("f3", "buy", "1", "130", "0.1", T0 + 2);

        Position p = last();
        // entry = (1×100 + 2×110 + 1×130) / 4 = 450 / 4 = 112.5; no tick yet, so current = last fill price 130
        assertThat(p.size()).isEqualByComparingTo("4");
        assertThat(p.entryPrice()).isEqualByComparingTo("112.5");
        assertThat(p.currentPrice()).isEqualByComparingTo("130");
        // unrealized = (130 − 112.5) × 4 = 70; notional = 4 × 130 = 520; realized = −3 × 0.1 fees
        assertThat(p.unrealizedPnl()).isEqualByComparingTo("70");
        assertThat(p.notional()).isEqualByComparingTo("520");
        assertThat(p.realizedPnl()).isEqualByComparingTo("-0.3");
        assertThat(p.fees()).isEqualByComparingTo("0.3");
    }

    @Test
    void shouldKeepThirtyFourSignificantDigitsInTheAverageEntry() {
        pipeFill("f1", "buy", "1", "100", "0", T0);
        pipeFill("f2", "buy", "2", "101", "0", T0 + 1);
        // (100 + 202) / 3 = 100.666… rounded to 34 significant digits (DECIMAL128, half-even)
        assertThat(last().entryPrice()).isEqualTo(new BigDecimal("100.6666666666666666666666666666667"));
    }

    @Test
    void shouldRealizeAPartialCloseAndSubtractTheFee() {
        pipeFill("f1", "buy", "2", "100", "0", T0);
        pipeFill("f2", "sell", "0.5", "120", "0.25", T0 + 1);

        Position p = last();
        // realized = (120 − 100) × 0.5 × (+1) − 0.25 = 9.75; entry unchanged
        assertThat(p.size()).isEqualByComparingTo("1.5");
        assertThat(p.entryPrice()).isEqualByComparingTo("100");
        assertThat(p.realizedPnl()).isEqualByComparingTo("9.75");
        // current = last fill price 120: unrealized = (120 − 100) × 1.5 = 30
        assertThat(p.unrealizedPnl()).isEqualByComparingTo("30");
    }

    @Test
    void shouldCloseAndReopenAtTheFillPriceWhenAFillCrossesZero() {
        pipeFill("f1", "buy", "1", "100", "0", T0);
        pipeFill("f2", "sell", "3", "90", "0", T0 + 1);

        Position p = last();
        // closes 1 long: (90 − 100) × 1 × (+1) = −10; opens 2 short at 90
        assertThat(p.size()).isEqualByComparingTo("-2");
        assertThat(p.entryPrice()).isEqualByComparingTo("90");
        assertThat(p.realizedPnl()).isEqualByComparingTo("-10");
        assertThat(p.unrealizedPnl()).isEqualByComparingTo("0");
        assertThat(p.notional()).isEqualByComparingTo("180");
    }

    @Test
    void shouldRealizeAShortCloseWithTheSignOfTheShort() {
        pipeFill("f1", "sell", "2", "100", "0", T0);
        pipeFill("f2", "buy", "1", "80", "0", T0 + 1);
        // short gains when the price falls: (80 − 100) × 1 × (−1) = +20
        Position p = last();
        assertThat(p.size()).isEqualByComparingTo("-1");
        assertThat(p.realizedPnl()).isEqualByComparingTo("20");
    }

    @Test
    void shouldLeaveExactlyZeroAfterEqualAndOppositeFills() {
        pipeFill("f1", "buy", "0.1", "100", "0", T0);
        pipeFill("f2", "buy", "0.2", "100", "0", T0 + 1);
        pipeFill("f3", "sell", "0.3", "100", "0", T0 + 2);

        Position p = last();
        // 0.1 + 0.2 − 0.3 in binary floating point is 5.55e-17; in decimals it is 0
        assertThat(p.size()).isEqualTo(BigDecimal.ZERO);
        assertThat(p.notional()).isEqualTo(BigDecimal.ZERO);
        assertThat(p.unrealizedPnl()).isEqualTo(BigDecimal.ZERO);
        assertThat(io.etrms.model.Json.write(p)).contains("\"size\":0,");
    }

    @Test
    void shouldApplyAFillSeenAgainOnlyOnce() {
        pipeFill("f1", "buy", "1", "100", "0", T0);
        pipeFill("f1", "buy", "1", "100", "0", T0);
        pipeFill("f2", "buy", "1", "100", "0", T0 + 1);

        List<Position> out = positions(sent());
        assertThat(out).hasSize(2);
        assertThat(out.get(1).size()).isEqualByComparingTo("2");
        assertThat(metric("duplicate-fills-total")).isEqualTo(1.0);
    }

    @Test
    void shouldMarkTheInstrumentOnTicksAndIgnoreATickOlderThanTheLatest() {
        pipeFill("f1", "buy", "2", "100", "0", T0);
        pipeTick("105", T0 + 2000);
        pipeTick("90", T0 + 1000); // late: neither the current price nor part of the volatility window
        pipeTick("106", T0 + 3000);

        List<AccountUpdate> out = sent();
        assertThat(out).hasSize(3); // the fill, and one mark per in-order tick to main's partition
        assertThat(out.get(0)).isInstanceOf(PositionChange.class);
        List<InstrumentMark> marks = marks(out);
        assertThat(marks.get(0).price()).isEqualByComparingTo("105");
        assertThat(marks.get(0).priceTimestamp()).isEqualTo(T0 + 2000);
        assertThat(marks.get(0).partitions()).containsExactly(0); // murmur2("main") % 3 = 0
        InstrumentMark m = marks.get(1);
        assertThat(m.price()).isEqualByComparingTo("106");
        assertThat(m.timestamp()).isEqualTo(T0 + 3000);
        // the window holds 105 and 106 only: move = (106 / 105 − 1) × 100
        assertThat(m.priceMovePct()).isCloseTo((106.0 / 105.0 - 1) * 100, within(1e-9));
        assertThat(metric("late-ticks-total")).isEqualTo(1.0);
        // a later fill carries the mark: current 106, unrealized (106 − 100) × 3 after buying 1 more at 106
        pipeFill("f2", "buy", "1", "106", "0", T0 + 4000);
        Position p = last();
        assertThat(p.currentPrice()).isEqualByComparingTo("106");
        assertThat(p.entryPrice()).isEqualByComparingTo("102"); // (2 × 100 + 1 × 106) / 3
        assertThat(p.unrealizedPnl()).isEqualByComparingTo("12"); // (106 − 102) × 3
        assertThat(p.priceMovePct()).isCloseTo((106.0 / 105.0 - 1) * 100, within(1e-9));
    }

    @Test
    void shouldSendATickOnlyToThePartitionsWhoseAccountsHoldTheInstrument() {
        pipeTick("100", T0);                                                               // nobody holds it: nothing
        assertThat(sent()).isEmpty();
        fills.pipeInput(KEY, fill("c1", "carol", "binance", BTC, "buy", "1", "100", "0", T0 + 1), T0 + 1); // carol: partition 2
        fills.pipeInput(KEY, fill("d1", "dave", "binance", BTC, "sell", "1", "100", "0", T0 + 2), T0 + 2); // dave: partition 1
        fills.pipeInput(KEY, fill("m1", "main", "binance", BTC, "buy", "1", "100", "0", T0 + 3), T0 + 3);  // main: partition 0
        assertThat(positions(sent())).hasSize(3);
        pipeTick("101", T0 + 10);
        assertThat(lastMark().partitions()).containsExactly(0, 1, 2);
        fills.pipeInput(KEY, fill("d2", "dave", "binance", BTC, "buy", "1", "101", "0", T0 + 11), T0 + 11); // dave flat
        pipeTick("102", T0 + 20);
        assertThat(lastMark().partitions()).containsExactly(0, 2);
        fills.pipeInput(KEY, fill("m2", "main", "binance", BTC, "sell", "1", "102", "0", T0 + 21), T0 + 21); // main flat
        fills.pipeInput(KEY, fill("c2", "carol", "binance", BTC, "sell", "1", "102", "0", T0 + 22), T0 + 22); // carol flat
        assertThat(positions(sent())).hasSize(2);
        pipeTick("103", T0 + 30);                                                          // nobody holds it again
        assertThat(sent()).isEmpty();
    }

    @Test
    void shouldSendAtMostOneRecordPerPartitionForATickHoweverManyAccountsHoldTheInstrument() {
        for (int i = 0; i < 1000; i++) {
            fills.pipeInput(KEY, fill("f" + i, "account-" + i, "binance", BTC, i % 2 == 0 ? "buy" : "sell", "1", "100", "0", T0 + i), T0 + i);
        }
        assertThat(positions(sent())).hasSize(1000);
        pipeTick("101", T0 + 2000);
        List<AccountUpdate> tick = sent();
        // 1,000 holders over 3 partitions: one mark, sent to each of the 3 (the driver shows each copy)
        assertThat(tick).hasSize(3).allSatisfy(u -> assertThat(u).isInstanceOf(InstrumentMark.class));
        assertThat(((InstrumentMark) tick.get(0)).partitions()).containsExactly(0, 1, 2);
        assertThat(((InstrumentMark) tick.get(0)).price()).isEqualByComparingTo("101");
    }

    @Test
    void shouldMeasureSampleStdevOfLogReturnsOverTheEventTimeWindow() {
        pipeFill("f1", "buy", "1", "100", "0", T0);
        pipeTick("100", T0);
        pipeTick("110", T0 + 1000);
        pipeTick("99", T0 + 2000);
        pipeTick("108.9", T0 + 3000);

        InstrumentMark p = lastMark();
        double r1 = Math.log(110 / 100.0);
        double r2 = Math.log(99 / 110.0);
        double r3 = Math.log(108.9 / 99.0);
        double mean = (r1 + r2 + r3) / 3;
        double sampleVariance = ((r1 - mean) * (r1 - mean) + (r2 - mean) * (r2 - mean) + (r3 - mean) * (r3 - mean)) / 2;
        assertThat(p.volatility()).isCloseTo(Math.sqrt(sampleVariance) * 100, within(1e-9));
        assertThat(p.volatility()).isCloseTo(11.5857, within(1e-3));
        assertThat(p.priceMovePct()).isCloseTo(8.9, within(1e-9));

        // 61 s later the window (timestamp > last − 60 s) holds the ticks at +2 s, +3 s and +61 s
        pipeTick("108.9", T0 + 61_000);
        p = lastMark();
        double a = r3;
        double b = 0.0; // ln(108.9 / 108.9)
        // sample stdev of two values = |a − b| / √2
        assertThat(p.volatility()).isCloseTo(Math.abs(a - b) / Math.sqrt(2) * 100, within(1e-9));
        assertThat(p.priceMovePct()).isCloseTo((108.9 / 99.0 - 1) * 100, within(1e-9));

        // a gap longer than the window leaves one tick: no returns, volatility 0, move 0
        pipeTick("120", T0 + 200_000);
        p = lastMark();
        assertThat(p.volatility()).isEqualTo(0.0);
        assertThat(p.priceMovePct()).isEqualTo(0.0);
    }

    @Test
    void shouldKeepAccountsAndExchangesApart() {
        fills.pipeInput(KEY, fill("a1", "alice", "binance", BTC, "buy", "1", "100", "0", T0), T0);
        fills.pipeInput(KEY, fill("b1", "bob", "binance", BTC, "sell", "2", "101", "0", T0 + 1), T0 + 1);
        fills.pipeInput(KEY, fill("c1", "carol", "binance", BTC, "buy", "1", "102", "0", T0 + 2), T0 + 2);
        fills.pipeInput("coinbase|" + BTC, fill("a1", "alice", "coinbase", BTC, "buy", "5", "99", "0", T0 + 3), T0 + 3);
        pipeTick("103", T0 + 4);

        List<TestRecord<String, AccountUpdate>> out = updates.readRecordsToList();
        // alice@binance, bob@binance (alice and bob share partition 0: bob's fill price 101, binance's current
        // price before any tick, reaches alice in bob's position change), carol@binance at 102 (partition 2:
        // the new price goes to alice's and bob's partition as a mark), alice@coinbase (the same fill id on
        // another exchange is another fill; coinbase is apart), then the binance tick to partitions 0 and 2
        // (the driver shows the copy for each partition)
        assertThat(out).extracting(TestRecord::key).containsExactly(
                "alice|binance|" + BTC, "bob|binance|" + BTC, "carol|binance|" + BTC, KEY, "alice|coinbase|" + BTC, KEY, KEY);
        Position bob = ((PositionChange) out.get(1).value()).position();
        assertThat(bob.currentPrice()).isEqualByComparingTo("101");
        assertThat(bob.unrealizedPnl()).isEqualByComparingTo("0");            // (101 − 101) × −2
        InstrumentMark carolsPrice = (InstrumentMark) out.get(3).value();
        assertThat(carolsPrice.price()).isEqualByComparingTo("102");
        assertThat(carolsPrice.priceTimestamp()).isNull();                    // a fill price, not a tick
        assertThat(carolsPrice.partitions()).containsExactly(0);
        Position coinbase = ((PositionChange) out.get(4).value()).position();
        assertThat(coinbase.currentPrice()).isEqualByComparingTo("99");
        assertThat(coinbase.size()).isEqualByComparingTo("5");
        InstrumentMark tick = (InstrumentMark) out.get(5).value();
        assertThat(tick.price()).isEqualByComparingTo("103");
        assertThat(tick.partitions()).containsExactly(0, 2);
    }

    @Test
    void shouldSendEachKindOfBadRecordToDeadLettersWithItsReasonAndKeepGoing() {
        long ts = T0;
        fills.pipeInput(KEY, text("{not json"), ts);
        fills.pipeInput(KEY, text("{\"account\":\"main\",\"exchange\":\"binance\",\"symbol\":\"" + BTC + "\",\"side\":\"buy\",\"quantity\":1,\"price\":100,\"timestamp\":" + ts + "}"), ts);
        fills.pipeInput(KEY, fill("f3", "main", "binance", BTC, "buy", "1", "0", "0", ts), ts);
        fills.pipeInput(KEY, fill("f4", "main", "binance", BTC, "buy", "-1", "100", "0", ts), ts);
        fills.pipeInput(KEY, fill("f5", "main", "binance", BTC, "hold", "1", "100", "0", ts), ts);
        fills.pipeInput(KEY, text("{\"fill_id\":\"f6\",\"account\":\"main\",\"exchange\":\"binance\",\"symbol\":\"" + BTC + "\",\"side\":\"buy\",\"quantity\":NaN,\"price\":100,\"fee\":0,\"timestamp\":" + ts + "}"), ts);
        fills.pipeInput(KEY, fill("f7", "main", "binance", BTC, "buy", "1", "100", "0", 1_700_000_000L), ts);
        fills.pipeInput("kraken|ETH", fill("f8", "main", "binance", BTC, "buy", "1", "100", "0", ts), ts);
        prices.pipeInput(KEY, tick("binance", BTC, "-5", ts), ts);
        pipeFill("ok", "buy", "1", "100", "0", ts);

        List<DeadLetter> letters = deadLetters.readValuesToList();
        assertThat(letters).extracting(DeadLetter::error).satisfiesExactly(
                e -> assertThat(e).startsWith("unparsable JSON"),
                e -> assertThat(e).isEqualTo("missing field fill_id"),
                e -> assertThat(e).isEqualTo("price must be > 0, was 0"),
                e -> assertThat(e).isEqualTo("quantity must be > 0, was -1"),
                e -> assertThat(e).isEqualTo("unknown side 'hold' (buy or sell)"),
                e -> assertThat(e).startsWith("unparsable JSON").containsIgnoringCase("NaN"),
                e -> assertThat(e).startsWith("timestamp out of range"),
                e -> assertThat(e).isEqualTo("key 'kraken|ETH' does not match exchange|symbol 'binance|" + BTC + "'"),
                e -> assertThat(e).isEqualTo("price must be > 0, was -5"));
        DeadLetter first = letters.get(0);
        assertThat(first.sourceTopic()).isEqualTo(topics.fills.name());
        assertThat(first.partition()).isEqualTo(0);
        assertThat(first.offset()).isEqualTo(0L);
        assertThat(first.payload()).isEqualTo("{not json");
        assertThat(letters.get(8).sourceTopic()).isEqualTo(topics.prices.name());
        assertThat(letters.get(6).offset()).isEqualTo(6L);
        // the topology kept going: the good fill after the bad ones was applied
        assertThat(positions(sent())).singleElement().extracting(Position::size).isEqualTo(BigDecimal.ONE);
        DeadLetterCounts counts = topology.deadLetterCounts();
        assertThat(counts.total()).isEqualTo(9);
        assertThat(counts.count(topics.fills.name(), DeadLetterReason.UNPARSABLE)).isEqualTo(2);   // bad JSON, NaN
        assertThat(counts.count(topics.fills.name(), DeadLetterReason.INVALID)).isEqualTo(5);
        assertThat(counts.count(topics.fills.name(), DeadLetterReason.KEY_MISMATCH)).isEqualTo(1);
        assertThat(counts.count(topics.prices.name(), DeadLetterReason.INVALID)).isEqualTo(1);
    }

    private double metric(String name) {
        return driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals(name) && e.getKey().group().contains("etrms"))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .sum();
    }

    @Test
    void shouldHoldATickThatJumpsFurtherThanTheOutlierLimitUntilTheNextTickConfirmsIt() {
        pipeFill("f1", "buy", "1", "100", "0", T0);
        pipeTick("100", T0 + 1000);
        pipeTick("112", T0 + 2000);   // +12 % from 100: more than 10 %, held back
        List<AccountUpdate> before = sent();
        assertThat(positions(before)).extracting(Position::currentPrice).usingElementComparator(BigDecimal::compareTo)
                .containsExactly(new BigDecimal("100"));
        assertThat(marks(before)).extracting(InstrumentMark::price).usingElementComparator(BigDecimal::compareTo)
                .containsExactly(new BigDecimal("100"));

        pipeTick("111", T0 + 3000);   // within 10 % of 112: the market moved, both count, in order
        List<InstrumentMark> out = marks();
        assertThat(out).extracting(InstrumentMark::price).usingElementComparator(BigDecimal::compareTo)
                .containsExactly(new BigDecimal("112"), new BigDecimal("111"));
        assertThat(out.get(0).priceTimestamp()).isEqualTo(T0 + 2000);
        // window 100, 112, 111: move = 111 / 100 − 1 = 11 %
        assertThat(out.get(1).priceMovePct()).isCloseTo(11.0, within(1e-9));
        assertThat(deadLetters.isEmpty()).isTrue();
        assertThat(metric("outlier-ticks-total")).isEqualTo(0.0);
    }

    @Test
    void shouldSendAnUnconfirmedOutlierTickToDeadLettersAndUseTheNextTick() {
        pipeFill("f1", "buy", "1", "100", "0", T0);
        pipeTick("100", T0 + 1000);
        pipeTick("1000", T0 + 2000);  // a bad tick
        pipeTick("101", T0 + 3000);   // far from 1000: the 1000 is discarded; 1 % from 100: used

        List<InstrumentMark> out = marks();
        assertThat(out).extracting(InstrumentMark::price).usingElementComparator(BigDecimal::compareTo)
                .containsExactly(new BigDecimal("100"), new BigDecimal("101"));
        assertThat(out.get(1).priceMovePct()).isCloseTo(1.0, within(1e-9));
        DeadLetter letter = deadLetters.readValue();
        assertThat(letter.sourceTopic()).isEqualTo(topics.prices.name());
        assertThat(letter.partition()).isEqualTo(0);
        assertThat(letter.offset()).isEqualTo(1L);
        assertThat(letter.error()).isEqualTo("price outlier: 1000 is more than 10 % from the last price 100 and the next tick 101 did not confirm it");
        assertThat(letter.payload()).isEqualTo("{\"exchange\":\"binance\",\"symbol\":\"" + BTC + "\",\"price\":1000,\"timestamp\":" + (T0 + 2000) + "}");
        assertThat(metric("outlier-ticks-total")).isEqualTo(1.0);
    }

    @Test
    void shouldTakeTheVolatilityWindowFromTheDefaultRiskLimitsRecord() {
        riskLimits.pipeInput("*", io.etrms.streams.TestRecords.json(java.util.Map.of("volatility_window_seconds", 2)), T0);
        riskLimits.pipeInput("main", io.etrms.streams.TestRecords.json(java.util.Map.of("volatility_window_seconds", 600)), T0); // per account: not used
        pipeFill("f1", "buy", "1", "100", "0", T0);
        pipeTick("100", T0);
        pipeTick("105", T0 + 1000);
        pipeTick("110", T0 + 2000);
        // a 2 s window (timestamp > 2000 − 2000) holds 105 and 110: move = 110 / 105 − 1
        assertThat(lastMark().priceMovePct()).isCloseTo((110.0 / 105.0 - 1) * 100, within(1e-9));
    }

    @Test
    void shouldUseAHeldTickAsItIsWhenNoTickFollowsWithinTheHoldTime() {
        pipeFill("f1", "buy", "2", "100", "0", T0);
        pipeTick("100", T0 + 1000);
        pipeTick("110.25", T0 + 2000);  // +10.25 %: held
        sent();
        driver.advanceWallClockTime(Duration.ofSeconds(4));
        assertThat(updates.isEmpty()).isTrue();

        driver.advanceWallClockTime(Duration.ofSeconds(1)); // 5 s without a next tick: a quiet market, not a bad tick
        InstrumentMark p = lastMark();
        assertThat(p.price()).isEqualByComparingTo("110.25");
        assertThat(p.priceTimestamp()).isEqualTo(T0 + 2000);
        assertThat(deadLetters.isEmpty()).isTrue();

        pipeTick("110.5", T0 + 3000);   // judged against 110.25 now
        assertThat(lastMark().price()).isEqualByComparingTo("110.5");
    }
}
