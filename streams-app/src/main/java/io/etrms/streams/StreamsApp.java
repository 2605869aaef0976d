package io.etrms.streams;

import io.etrms.model.EtrmsConfig;
import io.etrms.model.TopicAdmin;
import io.etrms.model.Topics;
import io.etrms.streams.account.AccountSettings;
import io.etrms.streams.account.AccountTopology;
import io.etrms.streams.common.DeadLetterCounts;
import io.etrms.streams.common.DeadLetterHandler;
import io.etrms.streams.common.SizeGuard;
import io.etrms.streams.group.GroupSettings;
import io.etrms.streams.group.GroupTopology;
import io.etrms.streams.instrument.InstrumentSettings;
import io.etrms.streams.instrument.InstrumentTopology;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the three stages of the risk topology as three Kafka Streams applications in this process:
 * {@code <app-id>-instrument} (partitioned by instrument), {@code <app-id>-account} (partitioned
 * by account) and {@code <app-id>-group} (partitioned by account group). Each scales out on its
 * own by running more copies of this service. They are built from {@link InstrumentSettings},
 * {@link AccountSettings} and {@link GroupSettings}, as the reference run and the tests build them.
 */
public final class StreamsApp implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StreamsApp.class);

    public static final String APPLICATION_ID = "etrms.streams.application.id";
    public static final String STATE_DIR = "etrms.streams.state.dir";
    public static final String CREATE_TOPICS = "etrms.topic.create";
    /** The largest value a stage writes; a larger one goes to dead-letters instead (see {@link SizeGuard}). */
    public static final String RECORD_MAX_BYTES = "etrms.record.max.bytes";
    public static final String VOLATILITY_WINDOW_SECONDS = InstrumentSettings.VOLATILITY_WINDOW_SECONDS;
    public static final String DEDUP_RETENTION_HOURS = InstrumentSettings.DEDUP_RETENTION_HOURS;
    public static final String PRICE_OUTLIER_PCT = InstrumentSettings.PRICE_OUTLIER_PCT;
    public static final String PRICE_OUTLIER_HOLD_MS = InstrumentSettings.PRICE_OUTLIER_HOLD_MS;
    public static final String LIMIT_MAX_DRAWDOWN_PCT = AccountSettings.LIMIT_MAX_DRAWDOWN_PCT;
    public static final String LIMIT_DAILY_LOSS = AccountSettings.LIMIT_DAILY_LOSS;
    public static final String LIMIT_MAX_LEVERAGE = AccountSettings.LIMIT_MAX_LEVERAGE;
    public static final String LIMIT_MAX_GROSS_EXPOSURE = AccountSettings.LIMIT_MAX_GROSS_EXPOSURE;
    public static final String LIMIT_MAX_POSITION_NOTIONAL = AccountSettings.LIMIT_MAX_POSITION_NOTIONAL;
    public static final String LIMIT_VOLATILITY_MOVE_PCT = AccountSettings.LIMIT_VOLATILITY_MOVE_PCT;
    public static final String LIMIT_STALE_PRICE_SECONDS = AccountSettings.LIMIT_STALE_PRICE_SECONDS;
    public static final String LIMIT_COOLDOWN_SECONDS = AccountSettings.LIMIT_COOLDOWN_SECONDS;
    public static final String BREAKER_PUNCTUATION_MS = AccountSettings.BREAKER_PUNCTUATION_MS;
    public static final String SNAPSHOT_INTERVAL_MS = AccountSettings.SNAPSHOT_INTERVAL_MS;
    public static final String MARK_SNAPSHOT_INTERVAL_MS = AccountSettings.MARK_SNAPSHOT_INTERVAL_MS;

    private final List<KafkaStreams> streams;
    private final List<DeadLetterCounts> deadLetters;

    private StreamsApp(List<KafkaStreams> streams, List<DeadLetterCounts> deadLetters) {
        this.streams = streams;
        this.deadLetters = deadLetters;
    }

    /** The defaults of this service; every key can be overridden by file, environment or flag. */
    public static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(APPLICATION_ID, "etrms");
        d.put(STATE_DIR, "data/streams");
        d.put(CREATE_TOPICS, "true");
        d.put(RECORD_MAX_BYTES, Integer.toString(SizeGuard.DEFAULT_MAX_BYTES));
        d.putAll(InstrumentSettings.defaults());
        d.putAll(AccountSettings.defaults());
        d.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        d.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, "0");
        d.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
        d.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "1");
        // Store writes go through the record cache: a key changed many times within one commit
        // interval reaches its store and changelog once, at the commit.
        d.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, Integer.toString(16 * 1024 * 1024));
        // Kafka Streams' producers linger 100 ms by default: with a tick costing one record per
        // partition, the stages' batches rarely fill, so each record would wait out the linger at
        // each stage (docs/benchmarks.md, latency).
        d.put(StreamsConfig.producerPrefix(org.apache.kafka.clients.producer.ProducerConfig.LINGER_MS_CONFIG), "5");
        // A task does not wait for its empty partitions (stage 2's transfers and risk-control, mostly
        // empty) to be fetched before processing: the inputs' relative order is not a contract.
        d.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, "-1");
        return d;
    }

    /** The same with meters nobody scrapes. */
    public static StreamsApp start(EtrmsConfig settings) {
        return start(settings, new SimpleMeterRegistry());
    }

    /**
     * Builds both topologies, starts them and returns without waiting for RUNNING; unset keys take
     * {@link #defaults()}. The topology's own meters ({@code etrms_*}) go into {@code registry}.
     */
    public static StreamsApp start(EtrmsConfig settings, MeterRegistry registry) {
        EtrmsConfig config = settings.withDefaults(defaults());
        Topics topics = config.topics();
        if (config.getBoolean(CREATE_TOPICS)) {
            TopicAdmin.ensureTopics(config.kafka(), topics.all(), config.replicationFactor());
        }
        String appId = config.get(APPLICATION_ID);
        int maxBytes = config.getInt(RECORD_MAX_BYTES);
        InstrumentTopology instrument = new InstrumentTopology(topics, InstrumentSettings.from(config, accountPartitions(config, topics)),
                maxBytes, InstrumentTopology.metrics(registry, topics));
        AccountTopology account = new AccountTopology(topics, AccountSettings.from(config), maxBytes, AccountTopology.metrics(registry, topics));
        KafkaStreams stage1 = new KafkaStreams(instrument.buildTopology(),
                streamsProperties(config, appId + "-instrument", topics, instrument.deadLetterCounts()));
        KafkaStreams stage2 = new KafkaStreams(account.buildTopology(),
                streamsProperties(config, appId + "-account", topics, account.deadLetterCounts()));
        GroupTopology group = new GroupTopology(topics, GroupSettings.from(config), GroupTopology.metrics(registry, topics));
        KafkaStreams stage3 = new KafkaStreams(group.buildTopology(),
                streamsProperties(config, appId + "-group", topics, group.deadLetterCounts()));
        stage1.setUncaughtExceptionHandler(ThreadFailurePolicy.of(appId + "-instrument"));
        stage2.setUncaughtExceptionHandler(ThreadFailurePolicy.of(appId + "-account"));
        stage3.setUncaughtExceptionHandler(ThreadFailurePolicy.of(appId + "-group"));
        for (KafkaStreams s : List.of(stage1, stage2, stage3)) {
            s.start();
        }
        log.info("risk topology started: {}-instrument, {}-account and {}-group ({})", appId, appId, appId,
                config.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        return new StreamsApp(List.of(stage1, stage2, stage3),
                List.of(instrument.deadLetterCounts(), account.deadLetterCounts(), group.deadLetterCounts()));
    }

    /**
     * The partition count of the account-keyed topics as the cluster has them: stage 1 counts each
     * instrument's holders per partition of {@code account-updates}, and stage 2 reads it together
     * with {@code transfers}, {@code risk-control}, {@code position-snapshots}, {@code account-groups}
     * and {@code group-actions}, so all must have the same count.
     */
    private static int accountPartitions(EtrmsConfig config, Topics topics) {
        List<String> names = List.of(topics.accountUpdates.name(), topics.transfers.name(), topics.riskControl.name(),
                topics.positionSnapshots.name(), topics.accountGroups.name(), topics.groupActions.name());
        Map<String, Integer> counts = new LinkedHashMap<>();
        try (Admin admin = Admin.create(config.kafka())) {
            admin.describeTopics(names).allTopicNames().get(30, java.util.concurrent.TimeUnit.SECONDS)
                    .forEach((name, description) -> counts.put(name, description.partitions().size()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing " + names, e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot describe " + names + " (they must exist before the topology starts)", e);
        }
        if (counts.values().stream().distinct().count() != 1) {
            throw new IllegalStateException("the account-keyed topics must have the same number of partitions, have " + counts);
        }
        return counts.get(topics.accountUpdates.name());
    }

    /** The Kafka Streams properties of one stage. */
    public static Properties streamsProperties(EtrmsConfig config, String applicationId, Topics topics, DeadLetterCounts deadLetters) {
        Properties props = new Properties();
        props.putAll(config.withDefaults(defaults()).kafka());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.withDefaults(defaults()).get(STATE_DIR));
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, Integer.toString(config.replicationFactor()));
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, "true");
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
        DeadLetterHandler.configure(props, topics.deadLetters.name(), deadLetters);
        return props;
    }

    public List<KafkaStreams> streams() {
        return streams;
    }

    /** Each stage's dead letters, in the order of {@link #streams()}. */
    public List<DeadLetterCounts> deadLetters() {
        return deadLetters;
    }

    public boolean isRunning() {
        return streams.stream().allMatch(s -> s.state() == KafkaStreams.State.RUNNING);
    }

    /** Closes every stage, leaving their local state for the next start. */
    @Override
    public void close() {
        for (KafkaStreams s : streams) {
            s.close(Duration.ofSeconds(30));
        }
    }
}
