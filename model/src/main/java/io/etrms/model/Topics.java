package io.etrms.model;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The topic registry: every topic (the public ones are in docs/api/asyncapi.yaml) with its name
 * under a configurable prefix (default {@code etrms.}), partitions, cleanup policy and serdes.
 * Inputs keyed by instrument
 * (fills, prices) must have the same partition count so their records meet in one task; so
 * must the account-keyed ones. One count for all keeps that true.
 */
public final class Topics {

    public static final String DEFAULT_PREFIX = "etrms.";
    public static final int DEFAULT_PARTITIONS = 3;
    /** Retention of the {@code audit} topic. */
    public static final int AUDIT_RETENTION_DAYS = 365;

    private static final long DAY_MS = 24L * 3600 * 1000;
    /** {@code segment.ms} of the compacted (state) topics: 1 hour. */
    public static final long COMPACT_SEGMENT_MS = 3600L * 1000;
    /** {@code min.cleanable.dirty.ratio} of the compacted topics (Kafka's default: 0.5). */
    public static final String COMPACT_MIN_CLEANABLE_DIRTY_RATIO = "0.1";
    /** {@code max.compaction.lag.ms} of the compacted topics: 1 hour. */
    public static final long COMPACT_MAX_LAG_MS = 3600L * 1000;

    public final Topic<Fill> fills;
    public final Topic<PriceTick> prices;
    public final Topic<Transfer> transfers;
    public final Topic<RiskLimits> riskLimits;
    public final Topic<RiskControl> riskControl;
    public final Topic<Position> positions;
    public final Topic<PortfolioSnapshot> portfolio;
    public final Topic<AccountsSnapshot> accounts;
    public final Topic<RiskMetricsSnapshot> riskMetrics;
    public final Topic<Alert> alerts;
    public final Topic<RiskCommand> riskCommands;
    public final Topic<DeadLetter> deadLetters;
    /** Which group each account belongs to (key account, compacted). */
    public final Topic<AccountGroup> accountGroups;
    /** Limits of groups of accounts (key group path, compacted). */
    public final Topic<GroupLimits> groupLimits;
    /** What the exchanges say each account holds (key account): reconciled in stage 2. */
    public final Topic<PositionSnapshot> positionSnapshots;
    /** Every change made through the gateway (key account, or group path; kept {@link #AUDIT_RETENTION_DAYS} days). */
    public final Topic<AuditRecord> audit;
    /**
     * Internal, stage 1 → stage 2: position changes (key {@code account|exchange|symbol}) and
     * instrument marks (key {@code exchange|symbol}), partitioned by account, binary. Retained like
     * fills: stage 2 can be down as long as stage 1 can replay.
     */
    public final Topic<AccountUpdate> accountUpdates;
    /**
     * Internal, stage 2 → stage 3: each account's figures as they count in each of its groups
     * (key group path), binary.
     */
    public final Topic<GroupUpdate> groupUpdates;
    /** Internal, stage 3 → stage 2: a group breaker's trip or re-arm for one member (key account), binary. */
    public final Topic<GroupAction> groupActions;

    private final String prefix;
    private final Map<String, String> extraConfigs;

    public Topics(String prefix, int partitions) {
        this(prefix, partitions, Map.of());
    }

    /**
     * @param extraConfigs topic configs added to every topic's own (e.g. {@code min.insync.replicas}
     *                     from {@code etrms.topic.min.insync.replicas}), used when ETRMS creates a topic
     */
    public Topics(String prefix, int partitions, Map<String, String> extraConfigs) {
        this.prefix = prefix;
        this.extraConfigs = Map.copyOf(extraConfigs);
        fills = topic("fills", partitions, delete(7 * DAY_MS), Fill.class);
        prices = topic("prices", partitions, delete(DAY_MS), PriceTick.class);
        transfers = topic("transfers", partitions, delete(-1), Transfer.class);
        riskLimits = topic("risk-limits", partitions, compact(), RiskLimits.class);
        riskControl = topic("risk-control", partitions, delete(7 * DAY_MS), RiskControl.class);
        positions = topic("positions", partitions, compact(), Position.class);
        portfolio = topic("portfolio", partitions, compact(), PortfolioSnapshot.class);
        accounts = topic("accounts", partitions, compact(), AccountsSnapshot.class);
        riskMetrics = topic("risk-metrics", partitions, compact(), RiskMetricsSnapshot.class);
        alerts = topic("alerts", partitions, delete(30 * DAY_MS), Alert.class);
        riskCommands = topic("risk-commands", partitions, delete(7 * DAY_MS), RiskCommand.class);
        deadLetters = topic("dead-letters", partitions, delete(7 * DAY_MS), DeadLetter.class);
        accountGroups = topic("account-groups", partitions, compact(), AccountGroup.class);
        groupLimits = topic("group-limits", partitions, compact(), GroupLimits.class);
        positionSnapshots = topic("position-snapshots", partitions, delete(7 * DAY_MS), PositionSnapshot.class);
        audit = topic("audit", partitions, delete(AUDIT_RETENTION_DAYS * DAY_MS), AuditRecord.class);
        accountUpdates = topic("account-updates", partitions, delete(7 * DAY_MS), InternalCodecs.ACCOUNT_UPDATE);
        groupUpdates = topic("group-updates", partitions, delete(7 * DAY_MS), InternalCodecs.GROUP_UPDATE);
        groupActions = topic("group-actions", partitions, delete(7 * DAY_MS), InternalCodecs.GROUP_ACTION);
    }

    public static Topics defaults() {
        return new Topics(DEFAULT_PREFIX, DEFAULT_PARTITIONS);
    }

    public String prefix() {
        return prefix;
    }

    /** The public topics, JSON, each with a JSON Schema in docs/api/schemas (all but the internal {@link #accountUpdates}, {@link #groupUpdates}, {@link #groupActions}). */
    public List<Topic<?>> published() {
        return List.of(fills, prices, transfers, riskLimits, riskControl, positions, portfolio,
                accounts, riskMetrics, alerts, riskCommands, deadLetters, accountGroups, groupLimits,
                positionSnapshots, audit);
    }

    /** Every topic ETRMS creates. */
    public List<Topic<?>> all() {
        return List.of(fills, prices, transfers, riskLimits, riskControl, positions, portfolio,
                accounts, riskMetrics, alerts, riskCommands, deadLetters, accountGroups, groupLimits,
                positionSnapshots, audit, accountUpdates, groupUpdates, groupActions);
    }

    private <V> Topic<V> topic(String suffix, int partitions, Map<String, String> configs, Class<V> type) {
        return topic(suffix, partitions, configs, JsonSerde.of(type));
    }

    private <V> Topic<V> topic(String suffix, int partitions, Map<String, String> configs, ValueSerde<V> serde) {
        Map<String, String> all = new java.util.TreeMap<>(configs);
        all.putAll(extraConfigs);
        return new Topic<>(prefix + suffix, partitions, Map.copyOf(all), serde);
    }

    /**
     * A time-retained topic. Retention counts from when the broker appended a record
     * (LogAppendTime), not from its event time: a replay of last month's fills, or the alerts it
     * raises, must not be deleted the moment it is written. Event time travels in the values.
     */
    private static Map<String, String> delete(long retentionMs) {
        return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(retentionMs),
                TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime");
    }

    /**
     * A state topic: the latest value per key. Kafka never compacts the active segment, and by
     * default a segment rolls only after 7 days or 1 GiB, so a reader starting from the beginning
     * (a gateway at start) would read every snapshot of the week for a handful of keys. Segments
     * roll every {@link #COMPACT_SEGMENT_MS}, a log is cleaned once 10 % of it is superseded, and no
     * superseded value waits longer than {@link #COMPACT_MAX_LAG_MS} to be cleaned.
     */
    private static Map<String, String> compact() {
        return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                TopicConfig.SEGMENT_MS_CONFIG, Long.toString(COMPACT_SEGMENT_MS),
                TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, COMPACT_MIN_CLEANABLE_DIRTY_RATIO,
                TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG, Long.toString(COMPACT_MAX_LAG_MS));
    }
}
