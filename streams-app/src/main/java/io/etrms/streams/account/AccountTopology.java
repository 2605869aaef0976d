package io.etrms.streams.account;

import io.etrms.model.JsonSerde;
import io.etrms.model.Position;
import io.etrms.model.Topics;
import java.time.Duration;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * Stage 2 of the risk topology, partitioned by account: positions and transfers become the
 * ledger, the portfolio, per-exchange accounts and the risk metrics of each account.
 *
 * <p>Reads
 * <ul>
 *   <li>{@code positions}: key {@code account|exchange|symbol}, value {@link Position}, partitioned by account</li>
 *   <li>{@code transfers}: key account, value {@link io.etrms.model.Transfer}</li>
 * </ul>
 * Writes (all keyed by account)
 * <ul>
 *   <li>{@code portfolio}: {@link io.etrms.model.PortfolioSnapshot}</li>
 *   <li>{@code accounts}: {@link io.etrms.model.AccountsSnapshot}</li>
 *   <li>{@code risk-metrics}: {@link io.etrms.model.RiskMetricsSnapshot}</li>
 *   <li>{@code dead-letters}: {@link io.etrms.model.DeadLetter}</li>
 * </ul>
 * Stores: {@value #POSITIONS_STORE} ({@code account|exchange|symbol} → Position),
 * {@value #STATE_STORE} (account → {@link AccountState}), {@value #TRANSFER_IDS_STORE} (window
 * store of {@code account|exchange|transfer_id} seen within the de-duplication retention).
 */
public final class AccountTopology {

    public static final String POSITIONS_SOURCE = "positions-source";
    public static final String TRANSFERS_SOURCE = "transfers-source";
    public static final String POSITION_PROCESSOR = "account-position-processor";
    public static final String TRANSFER_PROCESSOR = "account-transfer-processor";
    public static final String PORTFOLIO_SINK = "portfolio-sink";
    public static final String ACCOUNTS_SINK = "accounts-sink";
    public static final String RISK_METRICS_SINK = "risk-metrics-sink";
    public static final String DEAD_LETTERS_SINK = "account-dead-letters-sink";

    public static final String POSITIONS_STORE = "account-positions";
    public static final String STATE_STORE = "account-state";
    public static final String TRANSFER_IDS_STORE = "transfer-ids";

    private final Topics topics;
    private final Duration dedupRetention;

    public AccountTopology(Topics topics, Duration dedupRetention) {
        this.topics = topics;
        this.dedupRetention = dedupRetention;
    }

    public Topology buildTopology() {
        Topology topology = new Topology();
        topology.addSource(POSITIONS_SOURCE, new StringDeserializer(), new ByteArrayDeserializer(), topics.positions.name());
        topology.addSource(TRANSFERS_SOURCE, new StringDeserializer(), new ByteArrayDeserializer(), topics.transfers.name());
        topology.addProcessor(POSITION_PROCESSOR, () -> new AccountProcessor(AccountProcessor.Input.POSITION, dedupRetention), POSITIONS_SOURCE);
        topology.addProcessor(TRANSFER_PROCESSOR, () -> new AccountProcessor(AccountProcessor.Input.TRANSFER, dedupRetention), TRANSFERS_SOURCE);

        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(POSITIONS_STORE),
                Serdes.String(), JsonSerde.of(Position.class)).withCachingDisabled(), POSITION_PROCESSOR, TRANSFER_PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STATE_STORE),
                Serdes.String(), JsonSerde.of(AccountState.class)).withCachingDisabled(), POSITION_PROCESSOR, TRANSFER_PROCESSOR);
        topology.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(TRANSFER_IDS_STORE, dedupRetention, Duration.ofMillis(1), false),
                Serdes.String(), Serdes.Long()).withCachingDisabled(), TRANSFER_PROCESSOR);

        String[] processors = {POSITION_PROCESSOR, TRANSFER_PROCESSOR};
        topology.addSink(PORTFOLIO_SINK, topics.portfolio.name(), new StringSerializer(), topics.portfolio.valueSerde(), processors);
        topology.addSink(ACCOUNTS_SINK, topics.accounts.name(), new StringSerializer(), topics.accounts.valueSerde(), processors);
        topology.addSink(RISK_METRICS_SINK, topics.riskMetrics.name(), new StringSerializer(), topics.riskMetrics.valueSerde(), processors);
        topology.addSink(DEAD_LETTERS_SINK, topics.deadLetters.name(), new StringSerializer(), topics.deadLetters.valueSerde(), processors);
        return topology;
    }
}
