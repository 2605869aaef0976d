package io.etrms.gateway.kafka;

import com.fasterxml.jackson.core.type.TypeReference;
import io.etrms.gateway.metrics.GatewayMetrics;
import io.etrms.model.AuditRecord;
import io.etrms.model.EtrmsConfig;
import io.etrms.model.Json;
import io.etrms.model.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's second consumer thread: reads {@code risk-limits}, {@code account-groups},
 * {@code group-limits} (compacted: the latest value per key) and {@code audit} into the
 * {@link AdminView}, all from the beginning, {@code read_committed}, with {@code assign()} and no
 * consumer group (like {@link TopicReader}: every instance sees every partition). A change the
 * gateway itself made is answered only once this reader has read it back ({@link #awaitRead}),
 * so the next request sees it as the old value, and the audit trail shows it. An unreadable
 * value is counted and skipped.
 *
 * <p>Ready once the position of every partition reached the end offset it had at start.
 */
public final class AdminTopicReader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AdminTopicReader.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() { };

    private final KafkaConsumer<String, String> consumer;
    private final Topics topics;
    private final AdminView view;
    private final GatewayMetrics metrics;
    private final Thread thread;
    private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
    private final Object progress = new Object();
    private volatile boolean running = true;
    private volatile boolean ready;

    public AdminTopicReader(EtrmsConfig config, AdminView view, GatewayMetrics metrics) {
        this.topics = config.topics();
        this.view = view;
        this.metrics = metrics;
        Map<String, Object> props = TopicReader.consumerConfig(config);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, props.get(ConsumerConfig.CLIENT_ID_CONFIG) + "-admin");
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        this.thread = new Thread(this::run, "etrms-gateway-admin-reader");
        this.thread.setDaemon(true);
    }

    private List<String> topicNames() {
        return List.of(topics.riskLimits.name(), topics.accountGroups.name(), topics.groupLimits.name(), topics.audit.name());
    }

    public void start() {
        thread.start();
    }

    public boolean isReady() {
        return ready;
    }

    /**
     * Waits until every record of {@code written} in the topics this reader reads has been read
     * into the view, at most {@code timeout}.
     *
     * @return false when the time ran out
     */
    public boolean awaitRead(List<RecordMetadata> written, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (!read(written)) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !running) {
                    return false;
                }
                try {
                    progress.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    private boolean read(List<RecordMetadata> written) {
        for (RecordMetadata m : written) {
            if (!topicNames().contains(m.topic())) {
                continue; // risk-control: not read here
            }
            Long position = positions.get(new TopicPartition(m.topic(), m.partition()));
            if (position == null || position <= m.offset()) {
                return false;
            }
        }
        return true;
    }

    private void run() {
        try {
            List<TopicPartition> partitions = awaitPartitions();
            if (partitions == null) {
                return;
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> targets = new HashMap<>(consumer.endOffsets(partitions));
            while (running) {
                for (ConsumerRecord<String, String> record : consumer.poll(POLL)) {
                    handle(record);
                }
                synchronized (progress) {
                    for (TopicPartition tp : partitions) {
                        positions.put(tp, consumer.position(tp));
                    }
                    progress.notifyAll();
                }
                if (!ready && targets.entrySet().stream().allMatch(t -> positions.get(t.getKey()) >= t.getValue())) {
                    ready = true;
                    log.info("caught up with {}: {} audit records kept", topicNames(), view.trailSize());
                }
            }
        } catch (WakeupException e) {
            if (running) {
                log.error("gateway admin reader woken up unexpectedly", e);
            }
        } catch (RuntimeException e) {
            log.error("gateway admin reader stopped", e);
        } finally {
            running = false;
            synchronized (progress) {
                progress.notifyAll();
            }
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    private void handle(ConsumerRecord<String, String> record) {
        if (record.key() == null) {
            metrics.adminRecordSkipped();
            log.warn("skipping a record without key {}-{}@{}", record.topic(), record.partition(), record.offset());
            return;
        }
        try {
            Map<String, Object> value = record.value() == null ? null : Json.MAPPER.readValue(record.value(), OBJECT);
            if (record.topic().equals(topics.riskLimits.name())) {
                view.onRiskLimits(record.key(), value);
            } else if (record.topic().equals(topics.accountGroups.name())) {
                view.onAccountGroup(record.key(), value);
            } else if (record.topic().equals(topics.groupLimits.name())) {
                view.onGroupLimits(record.key(), value);
            } else if (value != null) {
                AuditRecord audit = Json.MAPPER.convertValue(value, AuditRecord.class);
                if (!audit.problems().isEmpty()) {
                    throw new IllegalArgumentException(String.join("; ", audit.problems()));
                }
                view.onAudit(audit);
            }
        } catch (Exception e) {
            metrics.adminRecordSkipped();
            log.warn("skipping unreadable record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), Json.reason(e));
        }
    }

    /** The partitions of the four topics; waits (and says so) while a topic does not exist yet. */
    private List<TopicPartition> awaitPartitions() {
        return TopicReader.awaitPartitions(consumer, topicNames(), () -> running);
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
