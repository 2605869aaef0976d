package io.etrms.streams.account;

import io.etrms.model.JsonSerde;
import io.etrms.model.Position;
import io.etrms.model.Topics;
import io.etrms.streams.breakers.BreakerState;
import io.etrms.streams.breakers.Limits;
import io.etrms.streams.common.RiskLimitsStore;
import java.time.Duration;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * Stage 2 of the risk topology, partitioned by account: positions and transfers become the
 * ledger, the portfolio, per-exchange accounts and the risk metrics of each account, and drive its
 * circuit breakers; manual risk-control records reset them or force a trading state.
 *
 * <p>Reads
 * <ul>
 *   <li>{@code positions}: key {@code account|exchange|symbol}, value {@link Position}, partitioned by account</li>
 *   <li>{@code transfers}: key account, value {@link io.etrms.model.Transfer}</li>
 *   <li>{@code risk-control}: key account, value {@link io.etrms.model.RiskControl}</li>
 *   <li>{@code risk-limits} (global store, every task sees every key): key account or {@code *}, value {@link io.etrms.model.RiskLimits}</li>
 * </ul>
 * Writes (all keyed by account)
 * <ul>
 *   <li>{@code portfolio}: {@link io.etrms.model.PortfolioSnapshot}</li>
 *   <li>{@code accounts}: {@link io.etrms.model.AccountsSnapshot}</li>
 *   <li>{@code risk-metrics}: {@link io.etrms.model.RiskMetricsSnapshot}</li>
 *   <li>{@code alerts}: {@link io.etrms.model.Alert}</li>
 *   <li>{@code risk-commands}: {@link io.etrms.model.RiskCommand}</li>
 *   <li>{@code dead-letters}: {@link io.etrms.model.DeadLetter}</li>
 * </ul>
 * Stores: {@value #POSITIONS_STORE} ({@code account|exchange|symbol} → Position),
 * {@value #STATE_STORE} (account → {@link AccountState}), {@value #TRANSFER_IDS_STORE} (window
 * store of {@code account|exchange|transfer_id} seen within the de-duplication retention),
 * {@value #BREAKERS_STORE} (account → {@link BreakerState}), {@value #LIMITS_STORE} (global,
 * in memory, from {@code risk-limits}).
 */
public final class AccountTopology {

    public static final String POSITIONS_SOURCE = "positions-source";
    public static final String TRANSFERS_SOURCE = "transfers-source";
    public static final String RISK_CONTROL_SOURCE = "risk-control-source";
    public static final String RISK_LIMITS_SOURCE = "risk-limits-source";
    /** Positions, transfers and risk-control records of a task share one processor (and its in-memory view of the stores). */
    public static final String ACCOUNT_PROCESSOR = "account-processor";
    public static final String RISK_LIMITS_PROCESSOR = "risk-limits-processor";
    public static final String PORTFOLIO_SINK = "portfolio-sink";
    public static final String ACCOUNTS_SINK = "accounts-sink";
    public static final String RISK_METRICS_SINK = "risk-metrics-sink";
    public static final String ALERTS_SINK = "alerts-sink";
    public static final String RISK_COMMANDS_SINK = "risk-commands-sink";
    public static final String DEAD_LETTERS_SINK = "account-dead-letters-sink";

    public static final String POSITIONS_STORE = "account-positions";
    public static final String STATE_STORE = "account-state";
    public static final String TRANSFER_IDS_STORE = "transfer-ids";
    public static final String BREAKERS_STORE = "account-breakers";
    public static final String LIMITS_STORE = "risk-limits";

    /** How often the breakers' wall-clock checks (stale prices, limit changes, idle re-arms) run by default. */
    public static final Duration DEFAULT_PUNCTUATION = Duration.ofSeconds(1);
    /** Default least wall-clock time between two snapshots of one account (see {@link SnapshotPublisher}). */
    public static final Duration DEFAULT_SNAPSHOT_INTERVAL = Duration.ofMillis(20);

    private final Topics topics;
    private final Duration dedupRetention;
    private final Limits defaultLimits;
    private final Duration punctuation;
    private final Duration snapshotInterval;

    /** With the built-in default limits and punctuation interval; every snapshot is published at once. */
    public AccountTopology(Topics topics, Duration dedupRetention) {
        this(topics, dedupRetention, Limits.DEFAULTS, DEFAULT_PUNCTUATION);
    }

    /** Every snapshot is published at once (snapshot interval 0). */
    public AccountTopology(Topics topics, Duration dedupRetention, Limits defaultLimits, Duration punctuation) {
        this(topics, dedupRetention, defaultLimits, punctuation, Duration.ZERO);
    }

    /**
     * @param defaultLimits    the configured limits, used where neither the account's nor the {@code *} record sets one
     * @param punctuation      interval of the breakers' wall-clock checks
     * @param snapshotInterval least wall-clock time between two portfolio/accounts/risk-metrics
     *                         snapshots of one account (the latest goes out); zero: every record's
     */
    public AccountTopology(Topics topics, Duration dedupRetention, Limits defaultLimits, Duration punctuation, Duration snapshotInterval) {
        this.topics = topics;
        this.dedupRetention = dedupRetention;
        this.defaultLimits = defaultLimits;
        this.punctuation = punctuation;
        this.snapshotInterval = snapshotInterval;
    }

    public Topology buildTopology() {
        Topology topology = new Topology();
        topology.addSource(POSITIONS_SOURCE, new StringDeserializer(), new ByteArrayDeserializer(), topics.positions.name());
        topology.addSource(TRANSFERS_SOURCE, new StringDeserializer(), new ByteArrayDeserializer(), topics.transfers.name());
        topology.addSource(RISK_CONTROL_SOURCE, new StringDeserializer(), new ByteArrayDeserializer(), topics.riskControl.name());
        topology.addProcessor(ACCOUNT_PROCESSOR, () -> new AccountProcessor(topics, dedupRetention, defaultLimits, punctuation,
                snapshotInterval.toMillis()), POSITIONS_SOURCE, TRANSFERS_SOURCE, RISK_CONTROL_SOURCE);
        topology.addGlobalStore(RiskLimitsStore.builder(LIMITS_STORE), RISK_LIMITS_SOURCE, new StringDeserializer(),
                new ByteArrayDeserializer(), topics.riskLimits.name(), RISK_LIMITS_PROCESSOR, () -> new RiskLimitsStore.Updater(LIMITS_STORE));

        String[] processors = {ACCOUNT_PROCESSOR};
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(POSITIONS_STORE),
                Serdes.String(), JsonSerde.of(Position.class)).withCachingEnabled(), processors);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STATE_STORE),
                Serdes.String(), JsonSerde.of(AccountState.class)).withCachingEnabled(), processors);
        topology.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(TRANSFER_IDS_STORE, dedupRetention, Duration.ofMillis(1), false),
                Serdes.String(), Serdes.Long()).withCachingEnabled(), processors);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(BREAKERS_STORE),
                Serdes.String(), JsonSerde.of(BreakerState.class)).withCachingEnabled(), processors);

        topology.addSink(PORTFOLIO_SINK, topics.portfolio.name(), new StringSerializer(), topics.portfolio.valueSerde(), processors);
        topology.addSink(ACCOUNTS_SINK, topics.accounts.name(), new StringSerializer(), topics.accounts.valueSerde(), processors);
        topology.addSink(RISK_METRICS_SINK, topics.riskMetrics.name(), new StringSerializer(), topics.riskMetrics.valueSerde(), processors);
        topology.addSink(ALERTS_SINK, topics.alerts.name(), new StringSerializer(), topics.alerts.valueSerde(), processors);
        topology.addSink(RISK_COMMANDS_SINK, topics.riskCommands.name(), new StringSerializer(), topics.riskCommands.valueSerde(), processors);
        topology.addSink(DEAD_LETTERS_SINK, topics.deadLetters.name(), new StringSerializer(), topics.deadLetters.valueSerde(), processors);
        return topology;
    }
}
