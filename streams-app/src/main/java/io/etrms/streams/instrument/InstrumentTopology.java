package io.etrms.streams.instrument;

import io.etrms.model.DeadLetter;
import io.etrms.model.JsonSerde;
import io.etrms.model.Position;
import io.etrms.model.Topics;
import io.etrms.streams.common.AccountPartitioner;
import io.etrms.streams.common.RiskLimitsStore;
import java.time.Duration;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * Stage 1 of the risk topology, partitioned by instrument ({@code exchange|symbol}): fills meet
 * prices, positions are kept and marked, instrument volatility is measured, re-sent fills are
 * dropped.
 *
 * <p>Reads
 * <ul>
 *   <li>{@code fills}: key {@code exchange|symbol}, value {@link io.etrms.model.Fill} (raw bytes, parsed and validated here)</li>
 *   <li>{@code prices}: key {@code exchange|symbol}, value {@link io.etrms.model.PriceTick} (raw bytes)</li>
 *   <li>{@code risk-limits} (global store): the {@code *} record's volatility_window_seconds</li>
 * </ul>
 * Writes
 * <ul>
 *   <li>{@code positions}: key {@code account|exchange|symbol}, value {@link Position}, partitioned by account
 *       ({@link AccountPartitioner}) so stage 2 reads it co-partitioned with {@code transfers}</li>
 *   <li>{@code dead-letters}: key = input key, value {@link DeadLetter}</li>
 * </ul>
 * Stores (each with a changelog): {@value #POSITIONS_STORE} ({@code exchange|symbol|account} →
 * Position), {@value #INSTRUMENT_STORE} ({@code exchange|symbol} → {@link InstrumentState}),
 * {@value #TICKS_STORE} (the volatility window's ticks), {@value #FILL_IDS_STORE} (window store of
 * {@code exchange|fill_id} seen within the de-duplication retention); {@value #LIMITS_STORE} (global,
 * in memory, from {@code risk-limits}).
 */
public final class InstrumentTopology {

    public static final String FILLS_SOURCE = "fills-source";
    public static final String PRICES_SOURCE = "prices-source";
    /** Fills and prices of a task share one processor (and its in-memory view of the stores). */
    public static final String INSTRUMENT_PROCESSOR = "instrument-processor";
    public static final String POSITIONS_SINK = "positions-sink";
    public static final String DEAD_LETTERS_SINK = "instrument-dead-letters-sink";

    public static final String POSITIONS_STORE = "instrument-positions";
    public static final String INSTRUMENT_STORE = "instrument-state";
    public static final String TICKS_STORE = "instrument-ticks";
    public static final String FILL_IDS_STORE = "fill-ids";
    public static final String RISK_LIMITS_SOURCE = "instrument-risk-limits-source";
    public static final String RISK_LIMITS_PROCESSOR = "instrument-risk-limits-processor";
    /** Global, in memory: only the {@code *} record's volatility_window_seconds is used here. */
    public static final String LIMITS_STORE = "instrument-risk-limits";

    /** Default outlier limit of a tick against the last one, percent. */
    public static final double DEFAULT_OUTLIER_PCT = 10;
    /** Default time a held tick waits for the next one before it is used as it is. */
    public static final Duration DEFAULT_OUTLIER_HOLD = Duration.ofSeconds(5);

    private final Topics topics;
    private final Duration volatilityWindow;
    private final Duration dedupRetention;
    private final double outlierPct;
    private final Duration outlierHold;

    /** With the default outlier limit and hold. */
    public InstrumentTopology(Topics topics, Duration volatilityWindow, Duration dedupRetention) {
        this(topics, volatilityWindow, dedupRetention, DEFAULT_OUTLIER_PCT, DEFAULT_OUTLIER_HOLD);
    }

    /**
     * @param volatilityWindow event-time window of the instrument volatility and price move, unless
     *                         the {@code *} risk-limits record sets volatility_window_seconds
     * @param dedupRetention   how long a fill id is remembered to drop re-sent fills
     * @param outlierPct       a tick further than this (percent) from the last tick waits for the next
     *                         to confirm it; 0 or less: every in-order tick is used at once
     * @param outlierHold      how long (wall clock) a held tick waits for the next before it is used as it is
     */
    public InstrumentTopology(Topics topics, Duration volatilityWindow, Duration dedupRetention, double outlierPct, Duration outlierHold) {
        this.topics = topics;
        this.volatilityWindow = volatilityWindow;
        this.dedupRetention = dedupRetention;
        this.outlierPct = outlierPct;
        this.outlierHold = outlierHold;
    }

    public Topology buildTopology() {
        Topology topology = new Topology();
        topology.addSource(FILLS_SOURCE, new StringDeserializer(), new ByteArrayDeserializer(), topics.fills.name());
        topology.addSource(PRICES_SOURCE, new StringDeserializer(), new ByteArrayDeserializer(), topics.prices.name());

        topology.addProcessor(INSTRUMENT_PROCESSOR, () -> InstrumentProcessor.create(topics.fills.name(), dedupRetention,
                volatilityWindow.toMillis(), outlierPct, outlierHold.toMillis()), FILLS_SOURCE, PRICES_SOURCE);
        topology.addGlobalStore(RiskLimitsStore.builder(LIMITS_STORE), RISK_LIMITS_SOURCE, new StringDeserializer(),
                new ByteArrayDeserializer(), topics.riskLimits.name(), RISK_LIMITS_PROCESSOR, () -> new RiskLimitsStore.Updater(LIMITS_STORE));

        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(POSITIONS_STORE),
                Serdes.String(), JsonSerde.of(Position.class)).withCachingEnabled(), INSTRUMENT_PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(INSTRUMENT_STORE),
                Serdes.String(), JsonSerde.of(InstrumentState.class)).withCachingEnabled(), INSTRUMENT_PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TICKS_STORE),
                Serdes.String(), JsonSerde.of(TickEntry.class)).withCachingDisabled(), INSTRUMENT_PROCESSOR); // one key per tick: nothing to conflate
        // Window size 1 ms: one entry per (fill id, event time); segments older than the retention drop away.
        topology.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(FILL_IDS_STORE, dedupRetention, Duration.ofMillis(1), false),
                Serdes.String(), Serdes.Long()).withCachingEnabled(), INSTRUMENT_PROCESSOR);

        topology.addSink(POSITIONS_SINK, topics.positions.name(), new StringSerializer(), topics.positions.valueSerde(),
                new AccountPartitioner<>(), INSTRUMENT_PROCESSOR);
        topology.addSink(DEAD_LETTERS_SINK, topics.deadLetters.name(), new StringSerializer(), topics.deadLetters.valueSerde(),
                INSTRUMENT_PROCESSOR);
        return topology;
    }
}
