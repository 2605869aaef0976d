package io.etrms.streams.instrument;

import io.etrms.model.AccountUpdate;
import io.etrms.model.DeadLetter;
import io.etrms.model.Fill;
import io.etrms.model.InternalCodecs;
import io.etrms.model.PriceTick;
import io.etrms.model.Topics;
import io.etrms.streams.common.AccountUpdatePartitioner;
import io.etrms.streams.common.DeadLetterCounts;
import io.etrms.streams.common.RiskLimitsStore;
import io.etrms.streams.common.SizeGuard;
import io.etrms.streams.metrics.StageMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * Stage 1 of the risk topology, partitioned by instrument ({@code exchange|symbol}): fills are
 * applied to positions, prices move the instrument's mark and volatility window, re-sent fills
 * are dropped. A tick costs one record per partition of {@code account-updates} whose accounts
 * hold the instrument, however many accounts that is.
 *
 * <p>Reads
 * <ul>
 *   <li>{@code fills}: key {@code exchange|symbol}, value {@link Fill} (JSON)</li>
 *   <li>{@code prices}: key {@code exchange|symbol}, value {@link PriceTick} (JSON)</li>
 *   <li>{@code risk-limits} (global store): the {@code *} record's volatility_window_seconds</li>
 * </ul>
 * Writes
 * <ul>
 *   <li>{@code account-updates} (internal, binary, partitioned by account): key
 *       {@code account|exchange|symbol}, a {@link io.etrms.model.PositionChange} for each applied fill;
 *       key {@code exchange|symbol}, an {@link io.etrms.model.InstrumentMark} for each price move, to
 *       each partition holding the instrument ({@link AccountUpdatePartitioner}, KIP-837 multicast),
 *       in order with the instrument's position changes</li>
 *   <li>{@code dead-letters}: key = input key, value {@link DeadLetter}</li>
 * </ul>
 * Stores (each with a changelog; values binary): {@value #POSITIONS_STORE} ({@code exchange|symbol|account}
 * → {@link io.etrms.model.Position}), {@value #INSTRUMENT_STORE} ({@code exchange|symbol} → {@link InstrumentState}),
 * {@value #TICKS_STORE} (the volatility window's ticks by sequence number), {@value #HELD_TICKS_STORE}
 * ({@code exchange|symbol} → {@link HeldTick}), {@value #FILL_IDS_STORE} (window store of
 * {@code exchange|fill_id} seen within the de-duplication retention); {@value #LIMITS_STORE} (global,
 * in memory, from {@code risk-limits}).
 */
public final class InstrumentTopology {

    /** The stage's name in metrics. */
    public static final String STAGE = "instrument";

    public static final String FILLS_SOURCE = "fills-source";
    public static final String PRICES_SOURCE = "prices-source";
    public static final String FILLS_PROCESSOR = "fills-processor";
    public static final String PRICES_PROCESSOR = "prices-processor";
    public static final String ACCOUNT_UPDATES_SINK = "account-updates-sink";
    public static final String DEAD_LETTERS_SINK = "instrument-dead-letters-sink";

    public static final String POSITIONS_STORE = "instrument-positions";
    public static final String INSTRUMENT_STORE = "instrument-state";
    public static final String TICKS_STORE = "instrument-ticks";
    public static final String HELD_TICKS_STORE = "instrument-held-ticks";
    public static final String FILL_IDS_STORE = "fill-ids";
    public static final String RISK_LIMITS_SOURCE = "instrument-risk-limits-source";
    public static final String RISK_LIMITS_PROCESSOR = "instrument-risk-limits-processor";
    /** Global, in memory: only the {@code *} record's volatility_window_seconds is used here. */
    public static final String LIMITS_STORE = "instrument-risk-limits";

    private final Topics topics;
    private final InstrumentSettings settings;
    private final int maxRecordBytes;
    private final StageMetrics metrics;
    private final DeadLetterCounts deadLetterCounts;

    /** With meters nobody scrapes. */
    public InstrumentTopology(Topics topics, InstrumentSettings settings) {
        this(topics, settings, SizeGuard.DEFAULT_MAX_BYTES, StageMetrics.unregistered(STAGE));
    }

    /**
     * @param maxRecordBytes the largest output value; a larger one is dead-lettered ({@link SizeGuard})
     * @param metrics        the stage's meters (see {@link #metrics(MeterRegistry, Topics)})
     */
    public InstrumentTopology(Topics topics, InstrumentSettings settings, int maxRecordBytes, StageMetrics metrics) {
        this.topics = topics;
        this.settings = settings;
        this.maxRecordBytes = maxRecordBytes;
        this.metrics = metrics;
        this.deadLetterCounts = metrics.deadLetters();
    }

    /** The meters of this stage, in {@code registry}. */
    public static StageMetrics metrics(MeterRegistry registry, Topics topics) {
        return new StageMetrics(registry, STAGE, List.of(topics.fills.name(), topics.prices.name()));
    }

    /** This stage's dead letters, counted by its processors and (once configured with it) its exception handlers. */
    public DeadLetterCounts deadLetterCounts() {
        return deadLetterCounts;
    }

    public Topology buildTopology() {
        Topology topology = new Topology();
        topology.addSource(FILLS_SOURCE, new StringDeserializer(), topics.fills.valueSerde().deserializer(), topics.fills.name());
        topology.addSource(PRICES_SOURCE, new StringDeserializer(), topics.prices.valueSerde().deserializer(), topics.prices.name());
        topology.addProcessor(FILLS_PROCESSOR, () -> new FillProcessor(settings, metrics), FILLS_SOURCE);
        topology.addProcessor(PRICES_PROCESSOR, () -> new PriceProcessor(settings, metrics), PRICES_SOURCE);
        topology.addGlobalStore(RiskLimitsStore.builder(LIMITS_STORE), RISK_LIMITS_SOURCE, new StringDeserializer(),
                new ByteArrayDeserializer(), topics.riskLimits.name(), RISK_LIMITS_PROCESSOR,
                () -> new RiskLimitsStore.Updater(LIMITS_STORE, new AtomicLong()));

        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(POSITIONS_STORE),
                Serdes.String(), InternalCodecs.POSITION).withCachingEnabled(), FILLS_PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(INSTRUMENT_STORE),
                Serdes.String(), InstrumentCodecs.STATE).withCachingEnabled(), FILLS_PROCESSOR, PRICES_PROCESSOR);
        // No record cache for the two stores keyed by something new every time (a tick's sequence
        // number, a fill's id): each key is written once, so a cache coalesces nothing and only adds
        // its own insert, eviction and flush to every record.
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TICKS_STORE),
                Serdes.String(), InstrumentCodecs.TICK).withCachingDisabled(), PRICES_PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(HELD_TICKS_STORE),
                Serdes.String(), InstrumentCodecs.HELD).withCachingEnabled(), PRICES_PROCESSOR);
        // Window size 1 ms: one entry per (fill id, event time); segments older than the retention drop away.
        topology.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(FILL_IDS_STORE, settings.dedupRetention(), java.time.Duration.ofMillis(1), false),
                Serdes.String(), Serdes.Long()).withCachingDisabled(), FILLS_PROCESSOR);

        topology.addSink(ACCOUNT_UPDATES_SINK, topics.accountUpdates.name(), new StringSerializer(),
                new SizeGuard<AccountUpdate>(topics.accountUpdates.valueSerde().serializer(), maxRecordBytes),
                new AccountUpdatePartitioner(settings.accountPartitions()), FILLS_PROCESSOR, PRICES_PROCESSOR);
        topology.addSink(DEAD_LETTERS_SINK, topics.deadLetters.name(), new StringSerializer(),
                new SizeGuard<DeadLetter>(topics.deadLetters.valueSerde().serializer(), maxRecordBytes), FILLS_PROCESSOR, PRICES_PROCESSOR);
        return topology;
    }

}
