package io.etrms.streams.group;

import io.etrms.model.AccountUpdate;
import io.etrms.model.Alert;
import io.etrms.model.EtrmsConfig;
import io.etrms.model.GroupAction;
import io.etrms.model.GroupUpdate;
import io.etrms.model.InstrumentMark;
import io.etrms.model.Position;
import io.etrms.model.PositionChange;
import io.etrms.model.RiskCommand;
import io.etrms.model.Topics;
import io.etrms.streams.TestRecords;
import io.etrms.streams.account.AccountSettings;
import io.etrms.streams.account.AccountTopology;
import io.etrms.streams.breakers.Limits;
import io.etrms.streams.common.DeadLetterCounts;
import io.etrms.streams.common.DeadLetterHandler;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Stage 2 as two partitions (two {@link TopologyTestDriver}s, each with its own accounts, as two
 * stream tasks would hold them) and stage 3 in a third driver: stage 2's {@code group-updates}
 * relayed to stage 3 and stage 3's {@code group-actions} back to the partition of each account,
 * until neither has anything more to say. Every account-wide limit of stage 2 is off.
 */
final class GroupStages implements AutoCloseable {

    static final String EXCHANGE = "binance";
    /** Every account condition off, cooldown 60 s, 60 s volatility window. */
    private static final Limits ALL_OFF = new Limits(0, 0, 0, 0, 0, 0, 60, 0, 60);

    final Topics topics = Topics.defaults();
    final TopologyTestDriver group;
    private final List<Partition> partitions = new ArrayList<>();
    private final Map<String, Partition> byAccount = new LinkedHashMap<>();
    private final TestInputTopic<String, GroupUpdate> updatesIn;
    private final TestOutputTopic<String, GroupAction> actionsOut;
    private final TestInputTopic<String, byte[]> groupLimits;
    private int groupUpdatesSent;
    /** Every group action stage 3 sent, in order. */
    final List<GroupAction> actions = new ArrayList<>();

    /** One stage-2 task: its driver and topics. */
    private final class Partition {
        final TopologyTestDriver driver;
        final TestInputTopic<String, AccountUpdate> updates;
        final TestInputTopic<String, byte[]> transfers;
        final TestInputTopic<String, byte[]> accountGroups;
        final TestInputTopic<String, byte[]> riskControl;
        final TestInputTopic<String, GroupAction> actionsIn;
        final TestOutputTopic<String, GroupUpdate> updatesOut;
        final TestOutputTopic<String, Alert> alerts;
        final TestOutputTopic<String, RiskCommand> commands;
        final TestOutputTopic<String, io.etrms.model.DeadLetter> deadLetters;
        final TestOutputTopic<String, io.etrms.model.RiskMetricsSnapshot> riskMetrics;

        Partition(Instant wall) {
            AccountSettings settings = AccountSettings.from(EtrmsConfig.of(Map.of())).withSnapshotIntervals(Duration.ZERO, Duration.ZERO)
                    .withLimits(ALL_OFF);
            driver = new TopologyTestDriver(new AccountTopology(topics, settings).buildTopology(), props("group-stage-2"), wall);
            updates = driver.createInputTopic(topics.accountUpdates.name(), new StringSerializer(), topics.accountUpdates.valueSerde());
            transfers = driver.createInputTopic(topics.transfers.name(), new StringSerializer(), new ByteArraySerializer());
            accountGroups = driver.createInputTopic(topics.accountGroups.name(), new StringSerializer(), new ByteArraySerializer());
            riskControl = driver.createInputTopic(topics.riskControl.name(), new StringSerializer(), new ByteArraySerializer());
            actionsIn = driver.createInputTopic(topics.groupActions.name(), new StringSerializer(), topics.groupActions.valueSerde());
            updatesOut = driver.createOutputTopic(topics.groupUpdates.name(), new StringDeserializer(), topics.groupUpdates.valueSerde());
            alerts = driver.createOutputTopic(topics.alerts.name(), new StringDeserializer(), topics.alerts.valueSerde());
            commands = driver.createOutputTopic(topics.riskCommands.name(), new StringDeserializer(), topics.riskCommands.valueSerde());
            deadLetters = driver.createOutputTopic(topics.deadLetters.name(), new StringDeserializer(), topics.deadLetters.valueSerde());
            riskMetrics = driver.createOutputTopic(topics.riskMetrics.name(), new StringDeserializer(), topics.riskMetrics.valueSerde());
        }
    }

    /** @param accountsPerPartition the accounts of each stage-2 partition */
    GroupStages(Instant wall, GroupSettings settings, List<List<String>> accountsPerPartition) {
        group = new TopologyTestDriver(new GroupTopology(topics, settings).buildTopology(), props("group-stage-3"), wall);
        updatesIn = group.createInputTopic(topics.groupUpdates.name(), new StringSerializer(), topics.groupUpdates.valueSerde());
        actionsOut = group.createOutputTopic(topics.groupActions.name(), new StringDeserializer(), topics.groupActions.valueSerde());
        groupLimits = group.createInputTopic(topics.groupLimits.name(), new StringSerializer(), new ByteArraySerializer());
        for (List<String> accounts : accountsPerPartition) {
            Partition p = new Partition(wall);
            partitions.add(p);
            accounts.forEach(a -> byAccount.put(a, p));
        }
    }

    private Properties props(String id) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, TestRecords.uniqueId(id));
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        DeadLetterHandler.configure(props, topics.deadLetters.name(), new DeadLetterCounts());
        return props;
    }

    // ---------------------------------------------------------------- inputs

    void groupLimits(String group, Map<String, Object> limits, long ts) {
        groupLimits.pipeInput(group, TestRecords.json(limits), ts);
        relay();
    }

    void join(String account, String group, long ts) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("account", account);
        json.put("group", group);
        json.put("timestamp", ts);
        byAccount.get(account).accountGroups.pipeInput(account, TestRecords.json(json), ts);
        relay();
    }

    /** A raw account-groups record, as any producer may write it. */
    void accountGroupsRecord(String key, byte[] value, long ts) {
        byAccount.get(key).accountGroups.pipeInput(key, value, ts);
        relay();
    }

    /** A tombstone on account-groups: the account leaves every group. */
    void leave(String account, long ts) {
        byAccount.get(account).accountGroups.pipeInput(account, null, ts);
        relay();
    }

    void deposit(String account, String amount, long ts) {
        byAccount.get(account).transfers.pipeInput(account, TestRecords.transfer("d-" + account + "-" + ts, account, EXCHANGE, amount, ts), ts);
        relay();
    }

    /** The position after a fill at {@code price}, entered at {@code entry}: notional = |size| × price. */
    void position(String account, String symbol, String size, String entry, String price, long ts) {
        BigDecimal q = new BigDecimal(size);
        BigDecimal p = new BigDecimal(price);
        BigDecimal e = new BigDecimal(entry);
        Position position = new Position(account, EXCHANGE, symbol, q, e, p, p.subtract(e).multiply(q), BigDecimal.ZERO, q.abs().multiply(p),
                BigDecimal.ZERO, 0.0, 0.0, ts, ts);
        byAccount.get(account).updates.pipeInput(position.key(), new PositionChange(position), ts);
        relay();
    }

    /** A tick of {@code symbol}, to every partition (each holds some of its holders). */
    void tick(String symbol, String price, long ts) {
        for (Partition p : partitions) {
            InstrumentMark mark = new InstrumentMark(EXCHANGE, symbol, new BigDecimal(price), ts, 0.0, 0.0, ts, Set.of(0));
            p.updates.pipeInput(mark.instrumentKey(), mark, ts);
            relay();
        }
    }

    void control(String account, Map<String, Object> control, long ts) {
        byAccount.get(account).riskControl.pipeInput(account, TestRecords.json(control), ts);
        relay();
    }

    /** Moves every wall clock (punctuations run) and relays what they sent. */
    void advanceWallClock(Duration d) {
        for (Partition p : partitions) {
            p.driver.advanceWallClockTime(d);
        }
        group.advanceWallClockTime(d);
        relay();
    }

    /** Stage 2's group updates to stage 3, stage 3's actions back to each account's partition, until both are quiet. */
    void relay() {
        for (int round = 0; round < 10; round++) {
            boolean moved = false;
            for (Partition p : partitions) {
                for (TestRecord<String, GroupUpdate> r : p.updatesOut.readRecordsToList()) {
                    updatesIn.pipeInput(r.key(), r.value(), r.timestamp());
                    groupUpdatesSent++;
                    moved = true;
                }
            }
            for (TestRecord<String, GroupAction> r : actionsOut.readRecordsToList()) {
                actions.add(r.value());
                byAccount.get(r.key()).actionsIn.pipeInput(r.key(), r.value(), r.timestamp());
                moved = true;
            }
            if (!moved) {
                return;
            }
        }
        throw new AssertionError("stage 2 and stage 3 kept sending each other records");
    }

    // ---------------------------------------------------------------- outputs

    /** The alerts of every partition since the last call, by account in the order published. */
    Map<String, List<Alert>> alerts() {
        Map<String, List<Alert>> out = new LinkedHashMap<>();
        for (Partition p : partitions) {
            for (TestRecord<String, Alert> r : p.alerts.readRecordsToList()) {
                out.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value());
            }
        }
        return out;
    }

    Map<String, List<RiskCommand>> commands() {
        Map<String, List<RiskCommand>> out = new LinkedHashMap<>();
        for (Partition p : partitions) {
            for (TestRecord<String, RiskCommand> r : p.commands.readRecordsToList()) {
                out.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value());
            }
        }
        return out;
    }

    /** Each account's latest published {@code trading_state} (of every snapshot published since the last call). */
    Map<String, String> tradingStates() {
        Map<String, String> out = new java.util.TreeMap<>();
        for (Partition p : partitions) {
            for (TestRecord<String, io.etrms.model.RiskMetricsSnapshot> r : p.riskMetrics.readRecordsToList()) {
                out.put(r.key(), r.value().riskMetrics().tradingState());
            }
        }
        return out;
    }

    /** How many group updates stage 2 has sent stage 3. */
    int groupUpdatesSent() {
        return groupUpdatesSent;
    }

    /** The dead letters of every partition since the last call. */
    List<io.etrms.model.DeadLetter> deadLetters() {
        List<io.etrms.model.DeadLetter> out = new ArrayList<>();
        for (Partition p : partitions) {
            out.addAll(p.deadLetters.readValuesToList());
        }
        return out;
    }

    /** Stage 3's state of {@code group} (null when it has no member). */
    GroupState state(String groupPath) {
        KeyValueStore<String, GroupState> store = group.getKeyValueStore(GroupTopology.STATE_STORE);
        return store.get(groupPath);
    }

    @Override
    public void close() {
        for (Partition p : partitions) {
            p.driver.close();
        }
        group.close();
    }
}
