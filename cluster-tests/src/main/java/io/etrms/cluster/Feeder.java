package io.etrms.cluster;

import io.etrms.model.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends a {@link DataSet} to the input topics on a background thread, in order, at a fixed rate
 * (or as fast as the producer takes records), so that the caller can crash things while it runs.
 * Records go out with {@code acks=all} and idempotence: once acknowledged, a record is on at least
 * {@code min.insync.replicas} brokers, exactly once, in order per partition, whichever broker
 * stops meanwhile.
 */
public final class Feeder implements AutoCloseable {

    private final Producer<String, byte[]> producer;
    private final Topics topics;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile boolean stopped;
    private volatile boolean started;

    public Feeder(Producer<String, byte[]> producer, Topics topics) {
        this.producer = producer;
        this.topics = topics;
    }

    /**
     * An idempotent {@code acks=all} producer for the data set, with one request in flight per
     * broker: with more, a batch retried after a leader change (a broker stopping) can be
     * overtaken and then fail with {@code OUT_OF_ORDER_SEQUENCE_NUMBER} (see ingest's README,
     * "Producer settings").
     */
    public static KafkaProducer<String, byte[]> newProducer(String bootstrapServers) {
        return new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 131_072,
                ProducerConfig.CLIENT_ID_CONFIG, "etrms-cluster-feeder"),
                new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * Starts sending {@code records} on a background thread and returns at once.
     *
     * @param recordsPerSecond pacing; 0 or less: as fast as the producer goes
     */
    public Thread start(List<DataSet.Input> records, double recordsPerSecond) {
        started = true;
        Thread thread = new Thread(() -> {
            try {
                long startNanos = System.nanoTime();
                for (int i = 0; i < records.size() && !stopped; i++) {
                    if (recordsPerSecond > 0) {
                        long due = startNanos + (long) (i * 1e9 / recordsPerSecond);
                        long wait;
                        while ((wait = due - System.nanoTime()) > 0 && !stopped) {
                            LockSupport.parkNanos(wait);
                        }
                    }
                    send(records.get(i));
                }
                producer.flush();
            } catch (RuntimeException e) {
                firstFailure.compareAndSet(null, e);
            } finally {
                done.countDown();
            }
        }, "etrms-cluster-feeder");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Sends one record (asynchronously; {@link #flush()} waits for it). */
    public void send(DataSet.Input input) {
        String topic = topics.prefix() + input.topic();
        producer.send(new ProducerRecord<>(topic, input.key(), input.value()), (metadata, error) -> {
            if (error == null) {
                acknowledged.incrementAndGet();
            } else {
                failed.incrementAndGet();
                firstFailure.compareAndSet(null, error);
            }
        });
        sent.incrementAndGet();
    }

    public void flush() {
        producer.flush();
    }

    /** Records handed to the producer. */
    public long sent() {
        return sent.get();
    }

    public long acknowledged() {
        return acknowledged.get();
    }

    /** Records the producer gave up on (after its own retries); must stay 0. */
    public long failed() {
        return failed.get();
    }

    public Exception firstFailure() {
        return firstFailure.get();
    }

    /** Waits until the background run is over (every record sent and flushed, or stopped). */
    public boolean awaitDone(Duration timeout) throws InterruptedException {
        return done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        stopped = true;
        try {
            if (started) {
                done.await(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(30));
    }
}
