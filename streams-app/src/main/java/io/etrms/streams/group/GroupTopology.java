package io.etrms.streams.group;

import io.etrms.model.Topics;
import io.etrms.streams.common.DeadLetterCounts;
import io.etrms.streams.metrics.StageMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * Stage 3 of the risk topology, partitioned by group: each account's figures, as stage 2 sends
 * them to every group of the account's lineage, are summed per group and judged against the
 * group's limits; a group breaker's trip or re-arm goes to every member account, whose stage-2
 * breaker of that condition follows it. A group is a key of its own: a firm's figures are the sum
 * of its members' kept in one task, never a scan of all accounts.
 *
 * <p>Reads
 * <ul>
 *   <li>{@code group-updates} (internal, binary, from stage 2): key group path, value {@link io.etrms.model.GroupUpdate}</li>
 *   <li>{@code group-limits} (global store, every task sees every group): key group path, value {@link io.etrms.model.GroupLimits}</li>
 * </ul>
 * Writes
 * <ul>
 *   <li>{@code group-actions} (internal, binary, to stage 2): key account, value {@link io.etrms.model.GroupAction}</li>
 * </ul>
 * Stores (values binary): {@value #STATE_STORE} (group → {@link GroupState}, with changelog),
 * {@value #MEMBERS_STORE} ({@code group|account} → the member's figures, with changelog),
 * {@value #LIMITS_STORE} (global, in memory, from {@code group-limits}).
 */
public final class GroupTopology {

    /** The stage's name in metrics. */
    public static final String STAGE = "group";

    public static final String GROUP_UPDATES_SOURCE = "group-updates-source";
    public static final String GROUP_LIMITS_SOURCE = "group-limits-source";
    public static final String GROUP_PROCESSOR = "group-processor";
    public static final String GROUP_LIMITS_PROCESSOR = "group-limits-processor";
    public static final String GROUP_ACTIONS_SINK = "group-actions-sink";

    public static final String STATE_STORE = "group-state";
    public static final String MEMBERS_STORE = "group-members";
    public static final String LIMITS_STORE = "group-limits";

    private final Topics topics;
    private final GroupSettings settings;
    private final StageMetrics metrics;

    public GroupTopology(Topics topics, GroupSettings settings) {
        this(topics, settings, StageMetrics.unregistered(STAGE));
    }

    /** @param metrics the stage's meters (see {@link #metrics(MeterRegistry, Topics)}) */
    public GroupTopology(Topics topics, GroupSettings settings, StageMetrics metrics) {
        this.topics = topics;
        this.settings = settings;
        this.metrics = metrics;
    }

    /** The meters of this stage, in {@code registry}. */
    public static StageMetrics metrics(MeterRegistry registry, Topics topics) {
        return new StageMetrics(registry, STAGE, List.of(topics.groupUpdates.name()));
    }

    /** This stage's dead letters (counted by its exception handlers once configured with it). */
    public DeadLetterCounts deadLetterCounts() {
        return metrics.deadLetters();
    }

    public Topology buildTopology() {
        Topology topology = new Topology();
        topology.addSource(GROUP_UPDATES_SOURCE, new StringDeserializer(), topics.groupUpdates.valueSerde().deserializer(),
                topics.groupUpdates.name());
        topology.addProcessor(GROUP_PROCESSOR, () -> new GroupProcessor(settings), GROUP_UPDATES_SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(STATE_STORE), Serdes.String(), GroupCodecs.STATE)
                .withCachingEnabled(), GROUP_PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(MEMBERS_STORE), Serdes.String(), GroupCodecs.MEMBER)
                .withCachingEnabled(), GROUP_PROCESSOR);
        topology.addGlobalStore(GroupLimitsStore.builder(LIMITS_STORE), GROUP_LIMITS_SOURCE, new StringDeserializer(),
                new ByteArrayDeserializer(), topics.groupLimits.name(), GROUP_LIMITS_PROCESSOR, () -> new GroupLimitsStore.Updater(LIMITS_STORE));
        topology.addSink(GROUP_ACTIONS_SINK, topics.groupActions.name(), new StringSerializer(), topics.groupActions.valueSerde().serializer(),
                GROUP_PROCESSOR);
        return topology;
    }
}
