package io.etrms.streams.group;

import io.etrms.model.AccountGroup;
import io.etrms.model.GroupLimits;
import io.etrms.model.Json;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
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
 * The {@code group-limits} topic as a global store, like {@code risk-limits}: a record that does
 * not parse or breaks a rule is logged, counted ({@code invalid-group-limits-total}) and leaves the
 * group's previous limits in force (a global store has no downstream to dead-letter to); a
 * tombstone removes them (the group then has no limits).
 *
 * <p>Stage 2 keeps one too, for the rules of its members' own breakers (session rules, drawdown
 * basis): it counts the store's changes (so that cached thresholds are recomputed) and how many
 * records set one of those rules (none: an account's limits need no group lookup).
 */
public final class GroupLimitsStore {

    private static final Logger log = LoggerFactory.getLogger(GroupLimitsStore.class);

    private GroupLimitsStore() {
    }

    /** In memory, no changelog: the compacted topic is its changelog. */
    public static StoreBuilder<KeyValueStore<String, GroupLimits>> builder(String name) {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), GroupCodecs.LIMITS).withLoggingDisabled();
    }

    /** The global store's update processor. */
    public static final class Updater implements Processor<String, byte[], Void, Void> {

        private final String storeName;
        private final AtomicLong changes;
        private final AtomicInteger withMemberRules;
        private KeyValueStore<String, GroupLimits> store;
        private Sensor invalid;

        Updater(String storeName) {
            this(storeName, new AtomicLong(), new AtomicInteger());
        }

        /**
         * @param changes         counts the store's changes (the global store is updated on its own thread)
         * @param withMemberRules the number of records in the store that set a rule of the members' breakers
         *                        ({@link GroupLimits#setsMemberRules()})
         */
        public Updater(String storeName, AtomicLong changes, AtomicInteger withMemberRules) {
            this.storeName = storeName;
            this.changes = changes;
            this.withMemberRules = withMemberRules;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            this.store = context.getStateStore(storeName);
            this.invalid = context.metrics().addRateTotalSensor("etrms", "group-limits", "invalid-group-limits", Sensor.RecordingLevel.INFO);
        }

        @Override
        public void process(Record<String, byte[]> record) {
            String problem = AccountGroup.groupProblem(record.key());
            if (problem != null) {
                log.warn("group-limits record ignored: the key must be a group path, {}", problem);
                invalid.record();
                return;
            }
            if (record.value() == null) {
                put(record.key(), null);
                return;
            }
            try {
                GroupLimits limits = Json.MAPPER.readValue(record.value(), GroupLimits.class);
                if (limits == null) {
                    put(record.key(), null);
                    return;
                }
                List<String> problems = limits.problems();
                if (!problems.isEmpty()) {
                    log.warn("group-limits record for '{}' ignored (the previous limits stay): {}", record.key(), String.join("; ", problems));
                    invalid.record();
                    return;
                }
                put(record.key(), limits);
            } catch (IOException e) {
                log.warn("group-limits record for '{}' ignored (the previous limits stay): {}", record.key(), Json.reason(e));
                invalid.record();
            }
        }

        /** Stores {@code limits} (null: deletes the group's), keeping the count of records with member rules. */
        private void put(String group, GroupLimits limits) {
            GroupLimits before = store.get(group);
            if (limits == null) {
                store.delete(group);
            } else {
                store.put(group, limits);
            }
            int delta = (limits != null && limits.setsMemberRules() ? 1 : 0) - (before != null && before.setsMemberRules() ? 1 : 0);
            if (delta != 0) {
                withMemberRules.addAndGet(delta);
            }
            changes.incrementAndGet();
        }
    }
}
