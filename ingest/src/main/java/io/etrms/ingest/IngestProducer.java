package io.etrms.ingest;

import io.etrms.model.DeadLetter;
import io.etrms.model.EtrmsConfig;
import io.etrms.model.Topic;
import io.etrms.model.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends input records to their topics with the topics' keys (docs/api/asyncapi.yaml), and rejected
 * input to {@code dead-letters}. One {@link Producer} of raw bytes serves every topic: each value is
 * serialized with its topic's serde from the {@link Topics} registry.
 *
 * <p>Writes:
 * <ul>
 *   <li>{@code fills}: key {@code exchange|symbol}, value {@link io.etrms.model.Fill}</li>
 *   <li>{@code prices}: key {@code exchange|symbol}, value {@link io.etrms.model.PriceTick}</li>
 *   <li>{@code transfers}: key account, value {@link io.etrms.model.Transfer}</li>
 *   <li>{@code position-snapshots}: key account, value {@link io.etrms.model.PositionSnapshot}</li>
 *   <li>{@code dead-letters}: key the original key (or null), value {@link DeadLetter}</li>
 * </ul>
 *
 * <p>Each value is serialized with its topic's serde and headers ({@code content-type},
 * {@code etrms-schema-version}: see {@link io.etrms.model.JsonSerde}). The Kafka record timestamp is left to the producer (send time): the event time travels in the
 * value's {@code timestamp}, so a replay of old data is neither rejected by the broker's timestamp
 * bounds nor deleted at once by time-based retention.
 */
public final class IngestProducer implements AutoCloseable {

    private final Producer<String, byte[]> producer;
    private final Topics topics;
    private final Timer acks;

    public IngestProducer(Producer<String, byte[]> producer, Topics topics) {
        this(producer, topics, null);
    }

    /** @param acks times every send from the hand-over to Kafka's acknowledgement (null: not timed) */
    public IngestProducer(Producer<String, byte[]> producer, Topics topics, Timer acks) {
        this.producer = producer;
        this.topics = topics;
        this.acks = acks;
    }

    /**
     * A Kafka producer as ingest/README.md ("Producer settings") describes it: idempotent,
     * {@code acks=all}, lz4 compression, a short linger for batching, one request in flight per
     * broker. Client settings from the configuration (security, batch size) apply; idempotence and
     * acks cannot be weakened.
     */
    public static KafkaProducer<String, byte[]> newKafkaProducer(EtrmsConfig config, String clientId) {
        return newKafkaProducer(config, clientId, Map.of());
    }

    /** Big batches for bulk work (unpaced simulation, file replay); settings in the configuration still win. */
    public static final Map<String, String> BULK_TUNING = Map.of(
            ProducerConfig.BATCH_SIZE_CONFIG, "262144",
            ProducerConfig.LINGER_MS_CONFIG, "20");

    /**
     * As {@link #newKafkaProducer(EtrmsConfig, String)}, with {@code tuning} over the built-in
     * defaults and under the configuration.
     */
    public static KafkaProducer<String, byte[]> newKafkaProducer(EtrmsConfig config, String clientId, Map<String, String> tuning) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        // One request in flight per broker: with more, a batch refused with NOT_LEADER_OR_FOLLOWER
        // right after a topic is created can be overtaken by the next one, and the idempotent
        // producer then retries it with OUT_OF_ORDER_SEQUENCE_NUMBER until delivery.timeout.ms and
        // drops it (KAFKA-14359 / KAFKA-15591, seen on 4.4.0). Override with
        // max.in.flight.requests.per.connection for benchmarks against long-lived topics.
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.putAll(tuning);
        props.putAll(config.kafka());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        // Keep only producer settings (security ones included): a shared file may also hold
        // consumer or streams keys, which the producer would log as unknown.
        props.keySet().retainAll(ProducerConfig.configNames());
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    public Topics topics() {
        return topics;
    }

    /**
     * Sends one valid input record; the future completes when Kafka acknowledged it (or failed).
     *
     * @throws InvalidRecordException when the record breaks an input rule (docs/design-decisions.md, "Inputs")
     */
    public CompletableFuture<RecordMetadata> send(InputRecord record) {
        List<String> problems = record.problems();
        if (!problems.isEmpty()) {
            throw new InvalidRecordException(problems);
        }
        return send(record.kind().topic(topics), record.key(), record.value());
    }

    /** Sends a dead letter under the original record's key (null when none could be derived). */
    public CompletableFuture<RecordMetadata> sendDeadLetter(String originalKey, DeadLetter deadLetter) {
        return send(topics.deadLetters, originalKey, deadLetter);
    }

    @SuppressWarnings("unchecked")
    private <V> CompletableFuture<RecordMetadata> send(Topic<V> topic, String key, Object value) {
        RecordHeaders headers = new RecordHeaders();
        byte[] bytes = topic.valueSerde().serialize(topic.name(), headers, (V) value);
        CompletableFuture<RecordMetadata> acked = new CompletableFuture<>();
        long handedOver = System.nanoTime();
        try {
            producer.send(new ProducerRecord<>(topic.name(), null, key, bytes, headers), (metadata, error) -> {
                if (error != null) {
                    acked.completeExceptionally(error);
                } else {
                    if (acks != null) {
                        acks.record(System.nanoTime() - handedOver, TimeUnit.NANOSECONDS);
                    }
                    acked.complete(metadata);
                }
            });
        } catch (RuntimeException e) {
            // send() itself throws on a closed producer, a full buffer past max.block.ms, fatal errors
            acked.completeExceptionally(e);
        }
        return acked;
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }
}
