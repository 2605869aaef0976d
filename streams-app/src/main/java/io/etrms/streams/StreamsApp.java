package io.etrms.streams;

import io.etrms.model.EtrmsConfig;
import io.etrms.model.TopicAdmin;
import io.etrms.model.Topics;
import io.etrms.streams.account.AccountTopology;
import io.etrms.streams.breakers.Limits;
import io.etrms.streams.instrument.InstrumentTopology;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the two stages of the risk topology as two Kafka Streams applications in this process:
 * {@code <app-id>-instrument} (partitioned by instrument) and {@code <app-id>-account}
 * (partitioned by account). Each scales out on its own by running more copies of this service.
 */
public final class StreamsApp implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StreamsApp.class);

    public static final String APPLICATION_ID = "etrms.streams.application.id";
    public static final String STATE_DIR = "etrms.streams.state.dir";
    public static final String VOLATILITY_WINDOW_SECONDS = "etrms.volatility.window.seconds";
    public static final String DEDUP_RETENTION_HOURS = "etrms.dedup.retention.hours";
    public static final String CREATE_TOPICS = "etrms.topic.create";
    /** Limits where neither the account's nor the {@code *} risk-limits record sets one (0 or less: off). */
    public static final String LIMIT_MAX_DRAWDOWN_PCT = "etrms.limits.max.drawdown.pct";
    public static final String LIMIT_DAILY_LOSS = "etrms.limits.daily.loss.limit";
    public static final String LIMIT_MAX_LEVERAGE = "etrms.limits.max.leverage";
    public static final String LIMIT_MAX_GROSS_EXPOSURE = "etrms.limits.max.gross.exposure";
    public static final String LIMIT_MAX_POSITION_NOTIONAL = "etrms.limits.max.position.notional";
    public static final String LIMIT_VOLATILITY_MOVE_PCT = "etrms.limits.volatility.move.pct";
    public static final String LIMIT_STALE_PRICE_SECONDS = "etrms.limits.stale.price.seconds";
    public static final String LIMIT_COOLDOWN_SECONDS = "etrms.limits.cooldown.seconds";
    /**
     * Least wall-clock time between two portfolio/accounts/risk-metrics snapshots of one account: the
     * first change after a quiet interval is published at once, the latest of a burst when the interval
     * has passed; 0 publishes every record's. Breakers, alerts and risk commands are never held.
     */
    public static final String SNAPSHOT_INTERVAL_MS = "etrms.snapshot.interval.ms";
    /** Interval of the breakers' wall-clock checks (stale prices, limit changes, re-arms of idle accounts). */
    public static final String BREAKER_PUNCTUATION_MS = "etrms.breakers.punctuation.ms";
    /** A tick further than this (percent) from the instrument's last tick is held until the next tick confirms it (0 or less: off). */
    public static final String PRICE_OUTLIER_PCT = "etrms.prices.outlier.pct";
    /** How long (wall clock) a held tick waits for the next one before it is used as it is. */
    public static final String PRICE_OUTLIER_HOLD_MS = "etrms.prices.outlier.hold.ms";

    private final List<KafkaStreams> streams;

    private StreamsApp(List<KafkaStreams> streams) {
        this.streams = streams;
    }

    /** The defaults of this service; every key can be overridden by file, environment or flag. */
    public static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(APPLICATION_ID, "etrms");
        d.put(STATE_DIR, "data/streams");
        d.put(VOLATILITY_WINDOW_SECONDS, "60");
        d.put(DEDUP_RETENTION_HOURS, "168");
        d.put(CREATE_TOPICS, "true");
        Limits l = Limits.DEFAULTS;
        d.put(LIMIT_MAX_DRAWDOWN_PCT, number(l.maxDrawdownPct()));
        d.put(LIMIT_DAILY_LOSS, number(l.dailyLossLimit()));
        d.put(LIMIT_MAX_LEVERAGE, number(l.maxLeverage()));
        d.put(LIMIT_MAX_GROSS_EXPOSURE, number(l.maxGrossExposure()));
        d.put(LIMIT_MAX_POSITION_NOTIONAL, number(l.maxPositionNotional()));
        d.put(LIMIT_VOLATILITY_MOVE_PCT, number(l.volatilityMovePct()));
        d.put(LIMIT_STALE_PRICE_SECONDS, Long.toString(l.stalePriceSeconds()));
        d.put(LIMIT_COOLDOWN_SECONDS, Long.toString(l.cooldownSeconds()));
        d.put(BREAKER_PUNCTUATION_MS, Long.toString(AccountTopology.DEFAULT_PUNCTUATION.toMillis()));
        d.put(SNAPSHOT_INTERVAL_MS, Long.toString(AccountTopology.DEFAULT_SNAPSHOT_INTERVAL.toMillis()));
        d.put(PRICE_OUTLIER_PCT, number(InstrumentTopology.DEFAULT_OUTLIER_PCT));
        d.put(PRICE_OUTLIER_HOLD_MS, Long.toString(InstrumentTopology.DEFAULT_OUTLIER_HOLD.toMillis()));
        d.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        d.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, "0");
        d.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
        d.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "1");
        // Store writes go through the record cache: a key changed many times within one commit
        // interval reaches RocksDB and its changelog once, at the commit.
        d.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, Integer.toString(16 * 1024 * 1024));
        return d;
    }

    /** Builds both topologies, starts them and returns without waiting for RUNNING; unset keys take {@link #defaults()}. */
    public static StreamsApp start(EtrmsConfig settings) {
        EtrmsConfig config = settings.withDefaults(defaults());
        Topics topics = config.topics();
        if (config.getBoolean(CREATE_TOPICS)) {
            TopicAdmin.ensureTopics(config.kafka(), topics.all(), config.replicationFactor());
        }
        Duration window = Duration.ofSeconds(config.getLong(VOLATILITY_WINDOW_SECONDS));
        Duration retention = Duration.ofHours(config.getLong(DEDUP_RETENTION_HOURS));
        String appId = config.get(APPLICATION_ID);

        Topology instrument = new InstrumentTopology(topics, window, retention, config.getDouble(PRICE_OUTLIER_PCT),
                Duration.ofMillis(config.getLong(PRICE_OUTLIER_HOLD_MS))).buildTopology();
        Topology account = new AccountTopology(topics, retention, limits(config),
                Duration.ofMillis(config.getLong(BREAKER_PUNCTUATION_MS)),
                Duration.ofMillis(Math.max(0, config.getLong(SNAPSHOT_INTERVAL_MS)))).buildTopology();
        KafkaStreams stage1 = new KafkaStreams(instrument, streamsProperties(config, appId + "-instrument"));
        KafkaStreams stage2 = new KafkaStreams(account, streamsProperties(config, appId + "-account"));
        stage1.setUncaughtExceptionHandler(ThreadFailurePolicy.of(appId + "-instrument"));
        stage2.setUncaughtExceptionHandler(ThreadFailurePolicy.of(appId + "-account"));
        for (KafkaStreams s : List.of(stage1, stage2)) {
            s.start();
        }
        log.info("risk topology started: {}-instrument and {}-account ({})", appId, appId,
                config.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        return new StreamsApp(List.of(stage1, stage2));
    }

    /** The configured default limits ({@code etrms.limits.*}; the volatility window is {@code etrms.volatility.window.seconds}). */
    static Limits limits(EtrmsConfig config) {
        return new Limits(config.getDouble(LIMIT_MAX_DRAWDOWN_PCT), config.getDouble(LIMIT_DAILY_LOSS),
                config.getDouble(LIMIT_MAX_LEVERAGE), config.getDouble(LIMIT_MAX_GROSS_EXPOSURE),
                config.getDouble(LIMIT_MAX_POSITION_NOTIONAL), config.getDouble(LIMIT_VOLATILITY_MOVE_PCT),
                config.getLong(VOLATILITY_WINDOW_SECONDS), config.getLong(LIMIT_STALE_PRICE_SECONDS),
                config.getLong(LIMIT_COOLDOWN_SECONDS));
    }

    private static String number(double value) {
        return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    /** The Kafka Streams properties of one stage. */
    static Properties streamsProperties(EtrmsConfig config, String applicationId) {
        Properties props = new Properties();
        props.putAll(config.kafka());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.get(STATE_DIR));
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, Integer.toString(config.replicationFactor()));
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, "true");
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
        return props;
    }

    public List<KafkaStreams> streams() {
        return streams;
    }

    public boolean isRunning() {
        return streams.stream().allMatch(s -> s.state() == KafkaStreams.State.RUNNING);
    }

    /** Closes both stages, leaving their local state for the next start. */
    @Override
    public void close() {
        for (KafkaStreams s : streams) {
            s.close(Duration.ofSeconds(30));
        }
    }
}
