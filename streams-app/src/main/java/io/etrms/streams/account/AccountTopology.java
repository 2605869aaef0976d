package io.etrms.streams.account;

import io.etrms.model.Topic;
import io.etrms.model.Topics;
import io.etrms.streams.common.AccountPartitioner;
import io.etrms.streams.common.DeadLetterCounts;
import io.etrms.streams.common.RiskLimitsStore;
import io.etrms.streams.common.SizeGuard;
import io.etrms.streams.group.GroupLimitsStore;
import io.etrms.streams.metrics.StageMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * Stage 2 of the risk topology, partitioned by account: position changes, instrument marks and
 * transfers become the ledger, the portfolio, per-exchange accounts and the risk metrics of each
 * account, and drive its circuit breakers; the exchanges' position snapshots are reconciled with
 * the account's own sizes; manual risk-control records reset the breakers or force a trading state.
 *
 * <p>Reads
 * <ul>
 *   <li>{@code account-updates} (internal, binary): {@link io.etrms.model.PositionChange} (key
 *       {@code account|exchange|symbol}) and {@link io.etrms.model.InstrumentMark} (key {@code exchange|symbol})</li>
 *   <li>{@code transfers}: key account, value {@link io.etrms.model.Transfer} (JSON)</li>
 *   <li>{@code risk-control}: key account, value {@link io.etrms.model.RiskControl} (JSON)</li>
 *   <li>{@code position-snapshots}: key account, value {@link io.etrms.model.PositionSnapshot} (JSON)</li>
 *   <li>{@code risk-limits} (global store, every task sees every key): key account or {@code *}, value {@link io.etrms.model.RiskLimits}</li>
 *   <li>{@code group-limits} (global store): key group path, value {@link io.etrms.model.GroupLimits} (stage 2 uses
 *       only the rules of the members' breakers: session rules, drawdown basis)</li>
 *   <li>{@code account-groups}: key account, value {@link io.etrms.model.AccountGroup} (JSON; a tombstone: no group)</li>
 *   <li>{@code group-actions} (internal, binary, from stage 3): key account, value {@link io.etrms.model.GroupAction}</li>
 * </ul>
 * Writes (JSON)
 * <ul>
 *   <li>{@code positions}: key {@code account|exchange|symbol}, {@link io.etrms.model.Position}, partitioned by
 *       account: every change by a fill, and the re-marked position with the account's snapshots</li>
 *   <li>{@code portfolio}: {@link io.etrms.model.PortfolioSnapshot}, key account</li>
 *   <li>{@code accounts}: {@link io.etrms.model.AccountsSnapshot}, key account</li>
 *   <li>{@code risk-metrics}: {@link io.etrms.model.RiskMetricsSnapshot}, key account</li>
 *   <li>{@code alerts}: {@link io.etrms.model.Alert}, key account</li>
 *   <li>{@code risk-commands}: {@link io.etrms.model.RiskCommand}, key account</li>
 *   <li>{@code dead-letters}: {@link io.etrms.model.DeadLetter}, key = input key</li>
 *   <li>{@code group-updates} (internal, binary, to stage 3): key group path, value {@link io.etrms.model.GroupUpdate}</li>
 * </ul>
 * Stores (each with a changelog; values binary): {@value #POSITIONS_STORE} ({@code account|exchange|symbol}
 * → {@link StoredPosition}), {@value #MARKS_STORE} ({@code exchange|symbol} → {@link Mark}),
 * {@value #STATE_STORE} (account → {@link AccountState}), {@value #BREAKERS_STORE} (account →
 * {@link io.etrms.streams.breakers.BreakerState}), {@value #POSITION_SNAPSHOTS_STORE} ({@code account|exchange|symbol}
 * → {@link io.etrms.streams.breakers.ExchangePosition}), {@value #TRANSFER_IDS_STORE} (window store of
 * {@code account|exchange|transfer_id} seen within the de-duplication retention); {@value #LIMITS_STORE}
 * (global, in memory, from {@code risk-limits}), {@value #GROUP_LIMITS_STORE} (global, in memory, from
 * {@code group-limits}), {@value #MEMBERSHIP_STORE} (account → {@link Membership}).
 */
public final class AccountTopology {

    /** The stage's name in metrics. */
    public static final String STAGE = "account";

    public static final String ACCOUNT_UPDATES_SOURCE = "account-updates-source";
    public static final String TRANSFERS_SOURCE = "transfers-source";
    public static final String RISK_CONTROL_SOURCE = "risk-control-source";
    public static final String POSITION_SNAPSHOTS_SOURCE = "position-snapshots-source";
    public static final String RISK_LIMITS_SOURCE = "risk-limits-source";
    public static final String ACCOUNT_GROUPS_SOURCE = "account-groups-source";
    public static final String GROUP_ACTIONS_SOURCE = "group-actions-source";
    public static final String ACCOUNT_GROUPS_PROCESSOR = "account-groups-processor";
    public static final String TRANSFERS_PROCESSOR = "transfers-processor";
    public static final String RISK_CONTROL_PROCESSOR = "risk-control-processor";
    public static final String POSITION_SNAPSHOTS_PROCESSOR = "position-snapshots-processor";
    /** Applies every input to its account: one place changes a task's accounts, in input order. */
    public static final String ACCOUNT_PROCESSOR = "account-processor";
    public static final String RISK_LIMITS_PROCESSOR = "risk-limits-processor";
    public static final String GROUP_LIMITS_SOURCE = "account-group-limits-source";
    public static final String GROUP_LIMITS_PROCESSOR = "account-group-limits-processor";
    public static final String POSITIONS_SINK = "positions-sink";
    public static final String PORTFOLIO_SINK = "portfolio-sink";
    public static final String ACCOUNTS_SINK = "accounts-sink";
    public static final String RISK_METRICS_SINK = "risk-metrics-sink";
    public static final String ALERTS_SINK = "alerts-sink";
    public static final String RISK_COMMANDS_SINK = "risk-commands-sink";
    public static final String DEAD_LETTERS_SINK = "account-dead-letters-sink";
    public static final String GROUP_UPDATES_SINK = "group-updates-sink";

    public static final String POSITIONS_STORE = "account-positions";
    public static final String MARKS_STORE = "account-marks";
    public static final String STATE_STORE = "account-state";
    public static final String TRANSFER_IDS_STORE = "transfer-ids";
    public static final String BREAKERS_STORE = "account-breakers";
    /** The exchanges' latest position snapshot per {@code account|exchange|symbol}. */
    public static final String POSITION_SNAPSHOTS_STORE = "account-position-snapshots";
    public static final String LIMITS_STORE = "risk-limits";
    public static final String GROUP_LIMITS_STORE = "account-group-limits";
    public static final String MEMBERSHIP_STORE = "account-group-membership";

    private final Topics topics;
    private final AccountSettings settings;
    private final int maxRecordBytes;
    private final StageMetrics metrics;
    private final DeadLetterCounts deadLetterCounts;

    /** With meters nobody scrapes. */
    public AccountTopology(Topics topics, AccountSettings settings) {
        this(topics, settings, SizeGuard.DEFAULT_MAX_BYTES);
    }

    /** @param maxRecordBytes the largest output value; a larger one is dead-lettered ({@link SizeGuard}) */
    public AccountTopology(Topics topics, AccountSettings settings, int maxRecordBytes) {
        this(topics, settings, maxRecordBytes, StageMetrics.unregistered(STAGE));
    }

    /** @param metrics the stage's meters (see {@link #metrics(MeterRegistry, Topics)}) */
    public AccountTopology(Topics topics, AccountSettings settings, int maxRecordBytes, StageMetrics metrics) {
        this.topics = topics;
        this.settings = settings;
        this.maxRecordBytes = maxRecordBytes;
        this.metrics = metrics;
        this.deadLetterCounts = metrics.deadLetters();
    }

    /** The meters of this stage, in {@code registry}. */
    public static StageMetrics metrics(MeterRegistry registry, Topics topics) {
        return new StageMetrics(registry, STAGE, List.of(topics.accountUpdates.name(), topics.transfers.name(), topics.riskControl.name(),
                topics.positionSnapshots.name(), topics.accountGroups.name(), topics.groupActions.name()));
    }

    /** This stage's dead letters, counted by its processors and (once configured with it) its exception handlers. */
    public DeadLetterCounts deadLetterCounts() {
        return deadLetterCounts;
    }

    public Topology buildTopology() {
        // Changes of the global limits store, so that the account processor sees at once that the
        // limits its holder index was computed with changed (the global store updates on its own thread).
        AtomicLong limitsVersion = new AtomicLong();
        // How many group-limits records set a rule of their members' breakers: while none does, an
        // account's limits need no lookup of its groups.
        AtomicInteger groupsWithMemberRules = new AtomicInteger();
        Topology topology = new Topology();
        topology.addSource(ACCOUNT_UPDATES_SOURCE, new StringDeserializer(), topics.accountUpdates.valueSerde().deserializer(),
                topics.accountUpdates.name());
        topology.addSource(TRANSFERS_SOURCE, new StringDeserializer(), topics.transfers.valueSerde().deserializer(), topics.transfers.name());
        topology.addSource(RISK_CONTROL_SOURCE, new StringDeserializer(), topics.riskControl.valueSerde().deserializer(),
                topics.riskControl.name());
        topology.addSource(ACCOUNT_GROUPS_SOURCE, new StringDeserializer(), topics.accountGroups.valueSerde().deserializer(),
                topics.accountGroups.name());
        topology.addSource(GROUP_ACTIONS_SOURCE, new StringDeserializer(), topics.groupActions.valueSerde().deserializer(),
                topics.groupActions.name());
        topology.addProcessor(ACCOUNT_GROUPS_PROCESSOR, () -> AccountRecordRules.accountGroups(deadLetterCounts), ACCOUNT_GROUPS_SOURCE);
        topology.addProcessor(TRANSFERS_PROCESSOR, () -> new TransferProcessor(settings.dedupRetention(), deadLetterCounts), TRANSFERS_SOURCE);
        topology.addSource(POSITION_SNAPSHOTS_SOURCE, new StringDeserializer(), topics.positionSnapshots.valueSerde().deserializer(),
                topics.positionSnapshots.name());
        topology.addProcessor(RISK_CONTROL_PROCESSOR, () -> AccountRecordRules.riskControl(deadLetterCounts), RISK_CONTROL_SOURCE);
        topology.addProcessor(POSITION_SNAPSHOTS_PROCESSOR, () -> AccountRecordRules.positionSnapshots(deadLetterCounts), POSITION_SNAPSHOTS_SOURCE);
        topology.addProcessor(ACCOUNT_PROCESSOR, () -> new AccountProcessor(settings, limitsVersion, groupsWithMemberRules, metrics),
                ACCOUNT_UPDATES_SOURCE, TRANSFERS_PROCESSOR, RISK_CONTROL_PROCESSOR, POSITION_SNAPSHOTS_PROCESSOR, ACCOUNT_GROUPS_PROCESSOR,
                GROUP_ACTIONS_SOURCE);
        topology.addGlobalStore(RiskLimitsStore.builder(LIMITS_STORE), RISK_LIMITS_SOURCE, new StringDeserializer(),
                new ByteArrayDeserializer(), topics.riskLimits.name(), RISK_LIMITS_PROCESSOR,
                () -> new RiskLimitsStore.Updater(LIMITS_STORE, limitsVersion));
        topology.addGlobalStore(GroupLimitsStore.builder(GROUP_LIMITS_STORE), GROUP_LIMITS_SOURCE, new StringDeserializer(),
                new ByteArrayDeserializer(), topics.groupLimits.name(), GROUP_LIMITS_PROCESSOR,
                () -> new GroupLimitsStore.Updater(GROUP_LIMITS_STORE, limitsVersion, groupsWithMemberRules));

        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(POSITIONS_STORE),
                Serdes.String(), AccountCodecs.POSITION).withCachingEnabled(), ACCOUNT_PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(MARKS_STORE),
                Serdes.String(), AccountCodecs.MARK).withCachingEnabled(), ACCOUNT_PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(STATE_STORE),
                Serdes.String(), AccountCodecs.STATE).withCachingEnabled(), ACCOUNT_PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(BREAKERS_STORE),
                Serdes.String(), AccountCodecs.BREAKERS).withCachingEnabled(), ACCOUNT_PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(POSITION_SNAPSHOTS_STORE),
                Serdes.String(), AccountCodecs.EXCHANGE_POSITION).withCachingEnabled(), ACCOUNT_PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(MEMBERSHIP_STORE),
                Serdes.String(), AccountCodecs.MEMBERSHIP).withCachingEnabled(), ACCOUNT_PROCESSOR);
        topology.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(TRANSFER_IDS_STORE, settings.dedupRetention(), Duration.ofMillis(1), false),
                Serdes.String(), Serdes.Long()).withCachingEnabled(), TRANSFERS_PROCESSOR);

        topology.addSink(POSITIONS_SINK, topics.positions.name(), new StringSerializer(), guarded(topics.positions),
                new AccountPartitioner<>(), ACCOUNT_PROCESSOR);
        topology.addSink(PORTFOLIO_SINK, topics.portfolio.name(), new StringSerializer(), guarded(topics.portfolio), ACCOUNT_PROCESSOR);
        topology.addSink(ACCOUNTS_SINK, topics.accounts.name(), new StringSerializer(), guarded(topics.accounts), ACCOUNT_PROCESSOR);
        topology.addSink(RISK_METRICS_SINK, topics.riskMetrics.name(), new StringSerializer(), guarded(topics.riskMetrics), ACCOUNT_PROCESSOR);
        topology.addSink(ALERTS_SINK, topics.alerts.name(), new StringSerializer(), guarded(topics.alerts), ACCOUNT_PROCESSOR);
        topology.addSink(RISK_COMMANDS_SINK, topics.riskCommands.name(), new StringSerializer(), guarded(topics.riskCommands), ACCOUNT_PROCESSOR);
        topology.addSink(DEAD_LETTERS_SINK, topics.deadLetters.name(), new StringSerializer(), guarded(topics.deadLetters),
                TRANSFERS_PROCESSOR, RISK_CONTROL_PROCESSOR, POSITION_SNAPSHOTS_PROCESSOR, ACCOUNT_GROUPS_PROCESSOR, ACCOUNT_PROCESSOR);
        topology.addSink(GROUP_UPDATES_SINK, topics.groupUpdates.name(), new StringSerializer(), topics.groupUpdates.valueSerde().serializer(),
                ACCOUNT_PROCESSOR);
        return topology;
    }

    private <V> SizeGuard<V> guarded(Topic<V> topic) {
        return new SizeGuard<>(topic.valueSerde().serializer(), maxRecordBytes);
    }
}
