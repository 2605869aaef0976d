package io.etrms.gateway;

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
 * to the history and then to live subscribers. An unreadable value is counted and skipped, never
 * stops the thread.
 *
 * <p>Ready once the position of every partition reached the end offset it had at start.
 */
final class TopicReader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TopicReader.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration METADATA_RETRY = Duration.ofSeconds(1);

    private final KafkaConsumer<String, String> consumer;
    private final Topics topics;
    private final TopicBroadcaster broadcaster;
    private final AlertHistory history;
    private final GatewayMetrics metrics;
    private final Thread thread;
    private final Map<String, Channel> channelByTopic = new HashMap<>();
    private volatile boolean running = true;
    private volatile boolean ready;
    private Map<TopicPartition, Long> catchUpTargets = Map.of();

    TopicReader(EtrmsConfig config, TopicBroadcaster broadcaster, AlertHistory history, GatewayMetrics metrics) {
        this.topics = config.topics();
        this.broadcaster = broadcaster;
        this.history = history;
        this.metrics = metrics;
        for (Channel channel : Channel.values()) {
            channelByTopic.put(channel.topic(topics).name(), channel);
        }
        this.consumer = new KafkaConsumer<>(consumerConfig(config), new StringDeserializer(), new StringDeserializer());
        this.thread = new Thread(this::run, "etrms-gateway-reader");
        this.thread.setDaemon(true);
    }

    /** Kafka client settings of the configuration, without a group (this consumer never commits). */
    static Map<String, Object> consumerConfig(EtrmsConfig config) {
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

    void start() {
        thread.start();
    }

    boolean isReady() {
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
                for (ConsumerRecord<String, String> record : records) {
                    handle(record);
                }
                updateLag(partitions);
                checkReady();
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
        while (running) {
            List<TopicPartition> partitions = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            Map<String, List<PartitionInfo>> existing;
            try {
                existing = consumer.listTopics(Duration.ofSeconds(10));
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                existing = Map.of();
            }
            for (String topic : channelByTopic.keySet()) {
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

    private void handle(ConsumerRecord<String, String> record) {
        Channel channel = channelByTopic.get(record.topic());
        GatewayMetrics.ChannelMeters meters = metrics.channel(channel);
        meters.records().increment();
        if (record.value() == null) {
            if (channel.isState() && record.key() != null) {
                broadcaster.remove(channel, record.key());
            }
            return;
        }
        try {
            ChannelMessage message = ChannelMessage.parse(channel, record.value());
            if (channel.isState()) {
                broadcaster.publish(message);
            } else if (history.add(message)
                    && record.offset() >= catchUpTargets.getOrDefault(new TopicPartition(record.topic(), record.partition()), 0L)) {
                broadcaster.publish(message);
            }
        } catch (RuntimeException e) {
            meters.invalidRecords().increment();
            log.warn("skipping unreadable record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.getMessage());
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
