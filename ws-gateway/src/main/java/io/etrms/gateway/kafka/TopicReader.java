package io.etrms.gateway.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import io.etrms.gateway.fanout.Channel;
import io.etrms.gateway.fanout.ChannelMeters;
import io.etrms.gateway.fanout.ChannelMessage;
import io.etrms.gateway.fanout.TopicBroadcaster;
import io.etrms.gateway.metrics.GatewayMetrics;
import io.etrms.model.EtrmsConfig;
import io.etrms.model.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's one Kafka consumer thread. Reads {@code portfolio}, {@code accounts},
 * {@code risk-metrics} (compacted, key account: that rebuilds the latest value per account) and
 * {@code alerts} (key account: that rebuilds the bounded {@link AlertHistory} replays are served
 * from), all from the beginning, with {@code assign()} and no consumer group, so every gateway
 * instance sees every partition. Values go to the {@link TopicBroadcaster} as their JSON text; an
 * alert that was on the topic before the gateway started goes to the history only, a later one
 * to the history and then to live subscribers, with the other alerts of its poll (a connection
 * gets them in one write). On the way it feeds the {@link OverviewPublisher}
 * (risk-metrics, portfolio, alerts) and the {@link EquityHistoryStore} (risk-metrics), and after
 * each poll lets the overview publish when it is due. An unreadable value is counted and skipped,
 * never stops the thread.
 *
 * <p>Ready once the position of every partition reached the end offset it had at start.
 */
public final class TopicReader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TopicReader.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration METADATA_RETRY = Duration.ofSeconds(1);

    private final KafkaConsumer<String, String> consumer;
    private final Topics topics;
    private final TopicBroadcaster broadcaster;
    private final AlertHistory history;
    private final OverviewPublisher overview;
    private final EquityHistoryStore equity;
    private final GatewayMetrics metrics;
    private final Thread thread;
    private final Map<String, Channel> channelByTopic = new HashMap<>();
    private volatile boolean running = true;
    private volatile boolean ready;
    private Map<TopicPartition, Long> catchUpTargets = Map.of();

    public TopicReader(EtrmsConfig config, TopicBroadcaster broadcaster, AlertHistory history, OverviewPublisher overview,
                       EquityHistoryStore equity, GatewayMetrics metrics) {
        this.topics = config.topics();
        this.broadcaster = broadcaster;
        this.history = history;
        this.overview = overview;
        this.equity = equity;
        this.metrics = metrics;
        for (Channel channel : Channel.values()) {
            if (channel.topic(topics) != null) {
                channelByTopic.put(channel.topic(topics).name(), channel);
            }
        }
        this.consumer = new KafkaConsumer<>(consumerConfig(config), new StringDeserializer(), new StringDeserializer());
        this.thread = new Thread(this::run, "etrms-gateway-reader");
        this.thread.setDaemon(true);
    }

    /** Kafka client settings of the configuration, without a group (this consumer never commits). */
    public static Map<String, Object> consumerConfig(EtrmsConfig config) {
        Map<String, Object> props = new HashMap<>(config.kafka());
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // The topology writes in transactions: a value of a transaction that a crashed instance
        // never committed must never reach a client.
        props.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "etrms-gateway-" + UUID.randomUUID().toString().substring(0, 8));
        return props;
    }

    public void start() {
        thread.start();
    }

    public boolean isReady() {
        return ready;
    }

    private void run() {
        try {
            List<TopicPartition> partitions = awaitPartitions();
            if (partitions == null) {
                return;
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            catchUpTargets = new HashMap<>(consumer.endOffsets(partitions));
            log.info("reading {} partitions of {} from the beginning", partitions.size(), channelByTopic.keySet());
            checkReady();
            while (running) {
                ConsumerRecords<String, String> records = consumer.poll(POLL);
                Map<String, ConsumerRecord<String, String>> latest = latestStatePerKey(records);
                List<ChannelMessage> liveAlerts = new ArrayList<>();
                for (ConsumerRecord<String, String> record : records) {
                    handle(record, latest, liveAlerts);
                }
                if (!liveAlerts.isEmpty()) {
                    broadcaster.publish(liveAlerts);
                }
                updateLag(partitions);
                checkReady();
                overview.publishIfDue(System.currentTimeMillis(), ready);
            }
        } catch (WakeupException e) {
            if (running) {
                log.error("gateway reader woken up unexpectedly", e);
            }
        } catch (RuntimeException e) {
            log.error("gateway reader stopped", e);
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    /** The partitions of the four topics; waits (and says so) while a topic does not exist yet. */
    private List<TopicPartition> awaitPartitions() {
        return awaitPartitions(consumer, channelByTopic.keySet(), () -> running);
    }

    /**
     * Every partition of {@code topics}, once all of them exist: while one is missing it says so and
     * asks again every {@link #METADATA_RETRY} (the gateway may start before the topology has created
     * them). Null when {@code running} turns false or the thread is interrupted.
     */
    static List<TopicPartition> awaitPartitions(KafkaConsumer<?, ?> consumer, Collection<String> topics,
                                                java.util.function.BooleanSupplier running) {
        while (running.getAsBoolean()) {
            List<TopicPartition> partitions = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            Map<String, List<PartitionInfo>> existing;
            try {
                existing = consumer.listTopics(Duration.ofSeconds(10));
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                existing = Map.of();
            }
            for (String topic : topics) {
                List<PartitionInfo> infos = existing.get(topic);
                if (infos == null || infos.isEmpty()) {
                    missing.add(topic);
                } else {
                    infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
                }
            }
            if (missing.isEmpty()) {
                return partitions;
            }
            log.warn("waiting for topics {} to exist", missing);
            try {
                Thread.sleep(METADATA_RETRY.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    /**
     * The last record of each state topic and key in {@code records} (null when the batch holds
     * at most one record). A snapshot that a later one of the same poll supersedes is not fanned
     * out: when the gateway falls behind, clients get the latest state at once instead of working
     * through a backlog of stale ones (the overview and the history still see every record).
     */
    private Map<String, ConsumerRecord<String, String>> latestStatePerKey(ConsumerRecords<String, String> records) {
        if (records.count() < 2) {
            return null;
        }
        Map<String, ConsumerRecord<String, String>> latest = new HashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            if (record.key() != null && channelByTopic.get(record.topic()).isState()) {
                latest.put(record.topic() + '|' + record.key(), record);
            }
        }
        return latest;
    }

    private static boolean superseded(ConsumerRecord<String, String> record, Map<String, ConsumerRecord<String, String>> latest) {
        return latest != null && record.key() != null && latest.get(record.topic() + '|' + record.key()) != record;
    }

    /** Publishes a state record at once; adds a live alert to {@code liveAlerts}, published after the poll's other records. */
    private void handle(ConsumerRecord<String, String> record, Map<String, ConsumerRecord<String, String>> latest,
                        List<ChannelMessage> liveAlerts) {
        Channel channel = channelByTopic.get(record.topic());
        ChannelMeters meters = metrics.channel(channel);
        meters.records().increment();
        if (record.value() == null) {
            if (channel.isState() && record.key() != null) {
                if (!superseded(record, latest)) {
                    broadcaster.remove(channel, record.key());
                }
                if (channel == Channel.RISK_METRICS) {
                    overview.onRiskMetrics(record.key(), null);
                } else if (channel == Channel.POSITIONS) {
                    overview.onPortfolio(record.key(), null);
                }
            }
            return;
        }
        try {
            ChannelMessage message = ChannelMessage.parse(channel, record.value());
            if (channel.isState()) {
                if (!superseded(record, latest)) {
                    broadcaster.publish(message);
                }
                if (channel == Channel.RISK_METRICS) {
                    overview.onRiskMetrics(message.account(), message.tree());
                    keepEquity(message);
                } else if (channel == Channel.POSITIONS) {
                    overview.onPortfolio(message.account(), message.tree());
                }
            } else if (history.add(message)) {
                overview.onAlert(message);
                if (record.offset() >= catchUpTargets.getOrDefault(new TopicPartition(record.topic(), record.partition()), 0L)) {
                    liveAlerts.add(message);
                }
            }
        } catch (RuntimeException e) {
            meters.invalidRecords().increment();
            log.warn("skipping unreadable record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.getMessage());
        }
    }

    private void keepEquity(ChannelMessage message) {
        JsonNode total = message.tree().path("risk_metrics").path("total_equity");
        JsonNode timestamp = message.tree().path("timestamp");
        if (total.isNumber() && timestamp.canConvertToLong()) {
            equity.add(message.account(), timestamp.longValue(), total.doubleValue(),
                    message.tree().path("risk_metrics").path("current_drawdown").asDouble(0));
        }
    }

    private void updateLag(Collection<TopicPartition> partitions) {
        Map<Channel, Long> lag = new EnumMap<>(Channel.class);
        for (TopicPartition tp : partitions) {
            OptionalLong partitionLag = consumer.currentLag(tp);
            if (partitionLag.isPresent()) {
                lag.merge(channelByTopic.get(tp.topic()), partitionLag.getAsLong(), Long::sum);
            }
        }
        lag.forEach((channel, value) -> metrics.channel(channel).lag().set(value));
    }

    private void checkReady() {
        if (ready) {
            return;
        }
        for (Map.Entry<TopicPartition, Long> target : catchUpTargets.entrySet()) {
            if (consumer.position(target.getKey()) < target.getValue()) {
                return;
            }
        }
        ready = true;
        log.info("caught up with the state topics: ready");
    }

    @Override
    public void close() {
        running = false;
        if (thread.getState() == Thread.State.NEW) {
            consumer.close(CloseOptions.timeout(Duration.ZERO));
            return;
        }
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
