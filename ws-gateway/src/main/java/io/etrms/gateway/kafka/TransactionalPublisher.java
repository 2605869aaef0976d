package io.etrms.gateway.kafka;

import io.etrms.model.EtrmsConfig;
import io.etrms.model.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes every change made through the gateway together with its audit record in one Kafka
 * transaction: a reader of the changed topic never sees a change without its audit record, nor an
 * audit record of a change that was not made. One producer per gateway instance, transactional id
 * {@code etrms-gateway-<etrms.gateway.instance.id>} (unique per instance, so two instances never
 * fence each other; a restarted instance with the same id fences its predecessor's open
 * transaction at once). Transactions are short: {@code transaction.timeout.ms} is 10 s, so a
 * transaction left open by a crashed instance with a random id holds back {@code read_committed}
 * readers of those partitions for at most that long. One transaction at a time.
 */
public final class TransactionalPublisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TransactionalPublisher.class);
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Supplier<Producer<String, byte[]>> factory;
    private Producer<String, byte[]> producer;

    TransactionalPublisher(Supplier<Producer<String, byte[]>> factory) {
        this.factory = factory;
    }

    public static TransactionalPublisher create(EtrmsConfig config, String transactionalId) {
        Map<String, Object> props = new HashMap<>(config.kafka());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Long.toString(TIMEOUT.toMillis()));
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(TIMEOUT.toMillis()));
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, transactionalId);
        return new TransactionalPublisher(() -> new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer()));
    }

    /** A record of {@code topic} whose value is serialized (with the schema headers) by the topic's serde; null: a tombstone. */
    public static <V> ProducerRecord<String, byte[]> record(Topic<V> topic, String key, V value) {
        RecordHeaders headers = new RecordHeaders();
        byte[] bytes = value == null ? null : topic.valueSerde().serialize(topic.name(), headers, value);
        return new ProducerRecord<>(topic.name(), null, key, bytes, headers);
    }

    /**
     * Writes {@code records} in one transaction.
     *
     * @return where each record was written, in order
     * @throws IllegalStateException when the transaction could not be committed (nothing was written)
     */
    public synchronized List<RecordMetadata> publish(List<ProducerRecord<String, byte[]>> records) {
        Producer<String, byte[]> p = producer();
        try {
            p.beginTransaction();
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (ProducerRecord<String, byte[]> record : records) {
                sent.add(p.send(record));
            }
            p.commitTransaction();
            List<RecordMetadata> out = new ArrayList<>();
            for (Future<RecordMetadata> future : sent) {
                out.add(future.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abort(p);
            throw new IllegalStateException("interrupted writing the change", e);
        } catch (ExecutionException | RuntimeException e) {
            abort(p);
            throw new IllegalStateException("could not write the change and its audit record: " + e.getMessage(), e);
        }
    }

    private Producer<String, byte[]> producer() {
        if (producer == null) {
            Producer<String, byte[]> created = factory.get();
            try {
                created.initTransactions();
            } catch (RuntimeException e) {
                created.close(Duration.ZERO);
                throw new IllegalStateException("cannot start the transactional producer: " + e.getMessage(), e);
            }
            producer = created;
        }
        return producer;
    }

    /** Aborts; a producer that cannot abort (fenced, or in a fatal state) is replaced at the next change. */
    private void abort(Producer<String, byte[]> p) {
        try {
            p.abortTransaction();
        } catch (RuntimeException e) {
            log.warn("abort failed, starting a new producer for the next change: {}", e.getMessage());
            p.close(Duration.ZERO);
            producer = null;
        }
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}
