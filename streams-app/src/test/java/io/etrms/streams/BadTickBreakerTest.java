package io.etrms.streams;

import static io.etrms.streams.TestRecords.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.etrms.model.Alert;
import io.etrms.model.Position;
import io.etrms.model.Topics;
import io.etrms.streams.account.AccountTopology;
import io.etrms.streams.breakers.Limits;
import io.etrms.streams.instrument.InstrumentTopology;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
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
import org.junit.jupiter.api.Test;

/**
 * Both stages chained (stage 1's positions piped into stage 2): one bad tick must not trip the
 * volatility breaker, a real move confirmed by the next tick must.
 */
class BadTickBreakerTest {

    private static final String BTC = "BTC/USDT:USDT";
    private static final String KEY = "binance|" + BTC;
    /** Only the volatility condition, at 10 %. */
    private static final Limits VOLATILITY_ONLY = new Limits(0, 0, 0, 0, 0, 10, 60, 0, 60);

    private final Topics topics = Topics.defaults();
    private TopologyTestDriver stage1;
    private TopologyTestDriver stage2;
    private TestInputTopic<String, byte[]> fills;
    private TestInputTopic<String, byte[]> prices;
    private TestOutputTopic<String, Position> positionsOut;
    private TestInputTopic<String, byte[]> positionsIn;
    private TestOutputTopic<String, Alert> alerts;

    private void start(double outlierPct) {
        stage1 = new TopologyTestDriver(new InstrumentTopology(topics, Duration.ofSeconds(60), Duration.ofDays(7), outlierPct, Duration.ofSeconds(5)).buildTopology(),
                props("stage-1"));
        stage2 = new TopologyTestDriver(new AccountTopology(topics, Duration.ofDays(7), VOLATILITY_ONLY, Duration.ofSeconds(1)).buildTopology(),
                props("stage-2"));
        fills = stage1.createInputTopic(topics.fills.name(), new StringSerializer(), new ByteArraySerializer());
        prices = stage1.createInputTopic(topics.prices.name(), new StringSerializer(), new ByteArraySerializer());
        positionsOut = stage1.createOutputTopic(topics.positions.name(), new StringDeserializer(), topics.positions.valueSerde());
        positionsIn = stage2.createInputTopic(topics.positions.name(), new StringSerializer(), new ByteArraySerializer());
        alerts = stage2.createOutputTopic(topics.alerts.name(), new StringDeserializer(), topics.alerts.valueSerde());
        stage2.createInputTopic(topics.transfers.name(), new StringSerializer(), new ByteArraySerializer())
                .pipeInput("main", TestRecords.transfer("d1", "main", "binance", "100000", T0), T0);
    }

    private static Properties props(String id) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, id);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        return props;
    }

    @AfterEach
    void tearDown() {
        stage1.close();
        stage2.close();
    }

    /** Feeds a tick to stage 1 and whatever positions it publishes to stage 2. */
    private void tick(String price, long ts) {
        prices.pipeInput(KEY, TestRecords.tick("binance", BTC, price, ts), ts);
        relay();
    }

    private void relay() {
        for (TestRecord<String, Position> r : positionsOut.readRecordsToList()) {
            positionsIn.pipeInput(r.key(), topics.positions.valueSerde().serialize(topics.positions.name(), r.value()), r.timestamp());
        }
    }

    private void holdOneBtc() {
        fills.pipeInput(KEY, TestRecords.fill("f1", "main", "binance", BTC, "buy", "1", "100", "0", T0), T0);
        relay();
        tick("100", T0 + 1000);
        tick("100.5", T0 + 2000);
    }

    @Test
    void shouldNotTripTheVolatilityBreakerOnOneBadTickButOnARealMoveConfirmedByTheNextTick() {
        start(InstrumentTopology.DEFAULT_OUTLIER_PCT);
        holdOneBtc();
        tick("150", T0 + 3000);      // a bad tick: +49 %
        tick("100.6", T0 + 4000);    // the market was never there
        assertThat(alerts.isEmpty()).isTrue();

        tick("112", T0 + 5000);      // +11.3 % from 100.6: held back until the next tick
        assertThat(alerts.isEmpty()).isTrue();
        tick("112.5", T0 + 6000);    // confirms it: the position update of the 112 tick trips (move 112 / 100 − 1 = 12 %)
        List<Alert> all = alerts.readValuesToList();
        assertThat(all).singleElement().satisfies(a -> {
            assertThat(a.conditionName()).isEqualTo("volatility");
            assertThat(a.triggeredAt()).isEqualTo((T0 + 5000) / 1000);
            assertThat(new BigDecimal(a.context().get("value").toString()).doubleValue()).isCloseTo(12.0, within(1e-9));
        });
    }

    @Test
    void shouldTripOnTheBadTickWithTheOutlierFilterSwitchedOff() {
        start(0);
        holdOneBtc();
        tick("150", T0 + 3000);
        assertThat(alerts.readValuesToList()).singleElement().satisfies(a -> {
            assertThat(a.conditionName()).isEqualTo("volatility");
            assertThat(new BigDecimal(a.context().get("value").toString()).doubleValue()).isCloseTo(50.0, within(1e-9));
        });
    }
}
