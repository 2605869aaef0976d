package io.etrms.streams.group;

import io.etrms.model.AccountGroup;
import io.etrms.model.GroupLimits;
import io.etrms.model.Json;
import java.io.IOException;
import java.util.List;
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
 */
final class GroupLimitsStore {

    private static final Logger log = LoggerFactory.getLogger(GroupLimitsStore.class);

    private GroupLimitsStore() {
    }

    /** In memory, no changelog: the compacted topic is its changelog. */
    static StoreBuilder<KeyValueStore<String, GroupLimits>> builder(String name) {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), GroupCodecs.LIMITS).withLoggingDisabled();
    }

    static final class Updater implements Processor<String, byte[], Void, Void> {

        private final String storeName;
        private KeyValueStore<String, GroupLimits> store;
        private Sensor invalid;

        Updater(String storeName) {
            this.storeName = storeName;
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
                store.delete(record.key());
                return;
            }
            try {
                GroupLimits limits = Json.MAPPER.readValue(record.value(), GroupLimits.class);
                if (limits == null) {
                    store.delete(record.key());
                    return;
                }
                List<String> problems = limits.problems();
                if (!problems.isEmpty()) {
                    log.warn("group-limits record for '{}' ignored (the previous limits stay): {}", record.key(), String.join("; ", problems));
                    invalid.record();
                    return;
                }
                store.put(record.key(), limits);
            } catch (IOException e) {
                log.warn("group-limits record for '{}' ignored (the previous limits stay): {}", record.key(), Json.reason(e));
                invalid.record();
            }
        }
    }
}
