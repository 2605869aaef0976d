package io.etrms.gateway;

import io.etrms.model.EtrmsConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alert history straight from Kafka, so {@code since} works across gateway restarts and
 * instances: scans the alerts partition that holds the account's key (Kafka's default
 * partitioner) from the beginning and keeps the account's alerts with {@code alert_id > since}.
 * {@code alert_id} increases per account; an id not above the last one kept is a duplicate and is
 * dropped. Replays run on a small pool of their own, paced by the reader, never on the consumer
 * thread.
 */
final class AlertReplay implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AlertReplay.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration ASSIGNMENT_WAIT = Duration.ofSeconds(30);
    private static final int INTERNAL_ERROR = 1011;

    private final EtrmsConfig config;
    private final String topic;
    private final TopicReader reader;
    private final GatewaySettings settings;
    private final GatewayMetrics metrics;
    private final AtomicInteger sequence = new AtomicInteger();
    private final ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "etrms-gateway-replay");
        t.setDaemon(true);
        return t;
    });

    AlertReplay(EtrmsConfig config, TopicReader reader, GatewaySettings settings, GatewayMetrics metrics) {
        this.config = config;
        this.topic = Channel.ALERTS.topic(config.topics()).name();
        this.reader = reader;
        this.settings = settings;
        this.metrics = metrics;
    }

    /**
     * Sends {@code subscriber} every alert of its account after its {@code since}, then releases
     * the live alerts it held meanwhile.
     */
    void replayTo(Subscriber subscriber) {
        SubscriptionRequest request = subscriber.request();
        QueueingSender sender = (QueueingSender) subscriber.sender();
        pool.execute(() -> {
            try {
                long[] last = {request.since()};
                boolean complete = scan(request.account(), request.since(), message -> {
                    if (sender.isClosed()) {
                        return false;
                    }
                    last[0] = message.alertId();
                    var text = message.encoded(request.filter());
                    if (text.isEmpty()) {
                        return true;
                    }
                    try {
                        if (!sender.offerWaiting(text.get(), settings.sendTimeout().toNanos())) {
                            metrics.channel(Channel.ALERTS).slowConsumerCloses().increment();
                            sender.close(QueueingSender.TRY_AGAIN_LATER, QueueingSender.OVERFLOW_REASON);
                            return false;
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                    return true;
                });
                if (complete) {
                    subscriber.endReplay(last[0]);
                }
            } catch (RuntimeException e) {
                log.warn("alert replay for {} failed", request.account(), e);
                sender.close(INTERNAL_ERROR, "alert replay failed");
            }
        });
    }

    /**
     * The account's alerts for REST that pass {@code filter}: with {@code since}, the first
     * {@code limit} after it; without, the latest {@code limit}. Oldest first.
     */
    List<ChannelMessage> read(String account, Long since, int limit, SnapshotFilter filter) {
        ArrayDeque<ChannelMessage> kept = new ArrayDeque<>();
        scan(account, since == null ? Long.MIN_VALUE : since, message -> {
            if (message.render(filter).isEmpty()) {
                return true;
            }
            if (since != null && kept.size() == limit) {
                return false;
            }
            kept.addLast(message);
            if (kept.size() > limit) {
                kept.removeFirst();
            }
            return true;
        });
        return new ArrayList<>(kept);
    }

    /**
     * Feeds {@code sink} the account's alerts after {@code since} in order, up to the end of the
     * log as it is now (and at least to where the live reader starts).
     *
     * @return true when the scan reached the end, false when {@code sink} stopped it
     */
    private boolean scan(String account, long since, Predicate<ChannelMessage> sink) {
        metrics.alertReplay();
        Map<String, Object> props = new HashMap<>(TopicReader.consumerConfig(config));
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "etrms-gateway-replay-" + sequence.incrementAndGet());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (partitions == null || partitions.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist");
            }
            TopicPartition tp = new TopicPartition(topic, partitionOf(account, partitions.size()));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            try {
                end = Math.max(end, reader.alertStartOffsets(ASSIGNMENT_WAIT).getOrDefault(tp, end));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long lastId = since;
            while (consumer.position(tp) < end) {
                for (ConsumerRecord<String, String> record : consumer.poll(POLL)) {
                    if (record.offset() >= end) {
                        return true;
                    }
                    if (record.value() == null || !account.equals(record.key())) {
                        continue;
                    }
                    ChannelMessage message;
                    try {
                        message = ChannelMessage.parse(Channel.ALERTS, record.value());
                    } catch (IllegalArgumentException e) {
                        continue;
                    }
                    if (!message.account().equals(account) || message.alertId() <= lastId) {
                        continue;
                    }
                    lastId = message.alertId();
                    if (!sink.test(message)) {
                        return false;
                    }
                }
            }
            return true;
        }
    }

    /** The partition Kafka's default partitioner gives a record keyed by {@code account}. */
    static int partitionOf(String account, int partitions) {
        return Utils.toPositive(Utils.murmur2(account.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
