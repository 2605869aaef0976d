package io.etrms.streams.common;

import io.etrms.model.Json;
import io.etrms.model.Keys;
import io.etrms.model.RiskLimits;
import io.etrms.model.binary.BinaryCodec;
import io.etrms.model.binary.BinaryReader;
import io.etrms.model.binary.BinarySerde;
import io.etrms.model.binary.BinaryWriter;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code risk-limits} topic as a global store: every task sees every account's record and the
 * {@code *} default, whatever partition it works on. Kafka Streams 4.4 feeds restored records
 * through the same processor ({@code addGlobalStore} reprocesses on restore), so the store only
 * ever holds records that parsed: a record that does not parse is logged, counted
 * ({@code invalid-risk-limits-total}) and leaves the key's previous limits in force; a tombstone
 * removes the key's limits.
 */
public final class RiskLimitsStore {

    private static final Logger log = LoggerFactory.getLogger(RiskLimitsStore.class);

    private RiskLimitsStore() {
    }

    /**
     * The store's values: binary, as every internal value (read on every breaker evaluation).
     * Version 2 adds the warning level, session rules, drawdown basis and reconciliation fields;
     * version 1 is read with them null.
     */
    static final BinarySerde<RiskLimits> SERDE = new BinarySerde<>("risk limits", 2, 64, new BinaryCodec<>() {
        @Override
        public void write(BinaryWriter out, RiskLimits l) {
            out.writeNullableDouble(l.maxDrawdownPct()).writeNullableDouble(l.dailyLossLimit()).writeNullableDouble(l.maxLeverage())
                    .writeNullableDouble(l.maxGrossExposure()).writeNullableDouble(l.maxPositionNotional())
                    .writeNullableDouble(l.volatilityMovePct()).writeNullableLong(l.volatilityWindowSeconds())
                    .writeNullableLong(l.stalePriceSeconds()).writeNullableLong(l.cooldownSeconds())
                    .writeNullableDouble(l.warningPct()).writeString(l.sessionStart()).writeString(l.sessionTimeZone());
            out.writeByte(l.lockUntilNextSession() == null ? 0 : l.lockUntilNextSession() ? 2 : 1).writeString(l.drawdownBasis());
            out.writeNullableDouble(l.reconciliationTolerance()).writeNullableLong(l.reconciliationGraceSeconds());
        }

        @Override
        public RiskLimits read(BinaryReader in, int version) {
            RiskLimits first = new RiskLimits(in.readNullableDouble(), in.readNullableDouble(), in.readNullableDouble(),
                    in.readNullableDouble(), in.readNullableDouble(), in.readNullableDouble(), in.readNullableLong(), in.readNullableLong(),
                    in.readNullableLong());
            if (version < 2) {
                return first;
            }
            Double warning = in.readNullableDouble();
            String start = in.readString();
            String zone = in.readString();
            int lock = in.readByte();
            String basis = in.readString();
            return new RiskLimits(first.maxDrawdownPct(), first.dailyLossLimit(), first.maxLeverage(), first.maxGrossExposure(),
                    first.maxPositionNotional(), first.volatilityMovePct(), first.volatilityWindowSeconds(), first.stalePriceSeconds(),
                    first.cooldownSeconds(), warning, start, zone, lock == 0 ? null : lock == 2, basis, in.readNullableDouble(),
                    in.readNullableLong());
        }
    });

    /** An in-memory store (no changelog: the compacted topic is its changelog). */
    public static StoreBuilder<KeyValueStore<String, RiskLimits>> builder(String name) {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), SERDE).withLoggingDisabled();
    }

    /**
     * The global store's update processor.
     * {@code changes} counts the store's changes, so that a stage's processors can tell at once
     * that the limits they evaluated against are no longer the latest (the global store is
     * updated on its own thread).
     */
    public static final class Updater implements Processor<String, byte[], Void, Void> {

        private final String storeName;
        private final AtomicLong changes;
        private KeyValueStore<String, RiskLimits> store;
        private Sensor invalid;

        public Updater(String storeName, AtomicLong changes) {
            this.storeName = storeName;
            this.changes = changes;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            this.store = context.getStateStore(storeName);
            this.invalid = context.metrics().addRateTotalSensor("etrms", "risk-limits", "invalid-risk-limits", Sensor.RecordingLevel.INFO);
        }

        @Override
        public void process(Record<String, byte[]> record) {
            if (record.key() == null || record.key().isBlank() || (record.key().contains(Keys.SEPARATOR))) {
                log.warn("risk-limits record ignored: the key must be an account or '*', was '{}'", record.key());
                invalid.record();
                return;
            }
            if (record.value() == null) {
                store.delete(record.key());
                changes.incrementAndGet();
                return;
            }
            try {
                RiskLimits limits = Json.MAPPER.readValue(record.value(), RiskLimits.class);
                if (limits == null) {
                    store.delete(record.key());
                } else {
                    store.put(record.key(), limits);
                }
                changes.incrementAndGet();
            } catch (IOException e) {
                log.warn("risk-limits record for '{}' ignored (the previous limits stay): {}", record.key(), Json.reason(e));
                invalid.record();
            }
        }
    }
}
