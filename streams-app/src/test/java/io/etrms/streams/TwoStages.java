package io.etrms.streams;

import io.etrms.model.AccountUpdate;
import io.etrms.model.Topics;
import io.etrms.streams.account.AccountSettings;
import io.etrms.streams.account.AccountTopology;
import io.etrms.streams.common.DeadLetterHandler;
import io.etrms.streams.instrument.InstrumentSettings;
import io.etrms.streams.instrument.InstrumentTopology;
import java.time.Instant;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Both stages in {@link TopologyTestDriver}s, stage 1's {@code account-updates} relayed to stage 2
 * after every input (every copy of a multicast mark, as each partition would get one: stage 2
 * applies a copy it already has as nothing).
 */
public final class TwoStages implements AutoCloseable {

    public final Topics topics = Topics.defaults();
    public final TopologyTestDriver stage1;
    public final TopologyTestDriver stage2;
    private final TestInputTopic<String, byte[]> fills;
    private final TestInputTopic<String, byte[]> prices;
    private final TestInputTopic<String, byte[]> transfers;
    private final TestOutputTopic<String, AccountUpdate> updatesOut;
    private final TestInputTopic<String, AccountUpdate> updatesIn;

    public TwoStages(InstrumentSettings instrument, AccountSettings account, Instant wallClock) {
        stage1 = new TopologyTestDriver(new InstrumentTopology(topics, instrument).buildTopology(), props("stage-1"), wallClock);
        stage2 = new TopologyTestDriver(new AccountTopology(topics, account).buildTopology(), props("stage-2"), wallClock);
        fills = stage1.createInputTopic(topics.fills.name(), new StringSerializer(), new ByteArraySerializer());
        prices = stage1.createInputTopic(topics.prices.name(), new StringSerializer(), new ByteArraySerializer());
        transfers = stage2.createInputTopic(topics.transfers.name(), new StringSerializer(), new ByteArraySerializer());
        updatesOut = stage1.createOutputTopic(topics.accountUpdates.name(), new StringDeserializer(), topics.accountUpdates.valueSerde());
        updatesIn = stage2.createInputTopic(topics.accountUpdates.name(), new StringSerializer(), topics.accountUpdates.valueSerde());
    }

    private Properties props(String id) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, TestRecords.uniqueId(id));
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        DeadLetterHandler.configure(props, topics.deadLetters.name(), new io.etrms.streams.common.DeadLetterCounts());
        return props;
    }

    public void fill(String key, byte[] fill, long ts) {
        fills.pipeInput(key, fill, ts);
        relay();
    }

    public void tick(String key, byte[] tick, long ts) {
        prices.pipeInput(key, tick, ts);
        relay();
    }

    public void transfer(String account, byte[] transfer, long ts) {
        transfers.pipeInput(account, transfer, ts);
    }

    /** Moves both wall clocks (punctuations run) and relays what stage 1 sent meanwhile. */
    public void advanceWallClock(java.time.Duration d) {
        stage1.advanceWallClockTime(d);
        stage2.advanceWallClockTime(d);
        relay();
        stage2.advanceWallClockTime(java.time.Duration.ZERO);
    }

    public void relay() {
        for (TestRecord<String, AccountUpdate> r : updatesOut.readRecordsToList()) {
            updatesIn.pipeInput(r.key(), r.value(), r.timestamp());
        }
    }

    public <V> TestOutputTopic<String, V> output(io.etrms.model.Topic<V> topic) {
        return stage2.createOutputTopic(topic.name(), new StringDeserializer(), topic.valueSerde());
    }

    @Override
    public void close() {
        stage1.close();
        stage2.close();
    }
}
