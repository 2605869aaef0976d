package io.etrms.ingest;

import io.etrms.model.EtrmsConfig;
import io.etrms.model.TopicAdmin;
import io.etrms.model.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the simulated market against Kafka: a background thread takes records from a
 * {@link MarketEventGenerator} and sends them with an {@link IngestProducer}, paced so that event
 * time follows the wall clock (or unpaced, as fast as the producer goes, for benchmarks).
 *
 * <p>Writes {@code fills} (key {@code exchange|symbol}, Fill), {@code prices} (key
 * {@code exchange|symbol}, PriceTick) and {@code transfers} (key account, Transfer); with a
 * {@link DeskSetup}, first its accounts' group, the group's limits and the session. Before the first
 * record it creates those topics if they are missing (configuration {@code etrms.ingest.create.topics},
 * default true), with the partition count and replication of the configuration.
 */
public final class MarketSimulator implements AutoCloseable {

    /** Whether the simulator, replay and HTTP ingest create missing input topics. */
    public static final String CREATE_TOPICS = "etrms.ingest.create.topics";

    private static final Logger log = LoggerFactory.getLogger(MarketSimulator.class);

    /** How the run loop maps event time to wall-clock time. */
    public enum Pacing {
        /** Event time follows the wall clock: a record is sent when its timestamp comes due. */
        REAL_TIME,
        /** Every record is sent as soon as the producer takes it; for benchmarks. */
        AS_FAST_AS_POSSIBLE
    }

    private final IngestProducer producer;
    private final MarketEventGenerator generator;
    private final Pacing pacing;
    private final long maxRecords;
    private final Runnable beforeFirstRecord;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Thread thread;

    MarketSimulator(IngestProducer producer, MarketEventGenerator generator, Pacing pacing, long maxRecords, Runnable beforeFirstRecord) {
        this.producer = producer;
        this.generator = generator;
        this.pacing = pacing;
        this.maxRecords = maxRecords <= 0 ? Long.MAX_VALUE : maxRecords;
        this.beforeFirstRecord = beforeFirstRecord;
        this.thread = new Thread(this::run, "etrms-market-simulator");
        this.thread.setDaemon(true);
    }

    /** Starts the simulator in real time without a record limit; returns at once. */
    public static MarketSimulator start(EtrmsConfig config, SimulatorOptions options) {
        return start(config, options, Pacing.REAL_TIME, 0);
    }

    /**
     * Starts the simulator; returns at once.
     *
     * @param maxRecords stop after this many records (0 or less: never)
     */
    public static MarketSimulator start(EtrmsConfig config, SimulatorOptions options, Pacing pacing, long maxRecords) {
        return start(config, options, null, pacing, maxRecords);
    }

    /** Starts the simulator in real time for {@code desk} (published before the first record; null: none); returns at once. */
    public static MarketSimulator start(EtrmsConfig config, SimulatorOptions options, DeskSetup desk) {
        return start(config, options, desk, Pacing.REAL_TIME, 0);
    }

    /**
     * Starts the simulator for {@code desk} (published before the first record; null: none); returns at once.
     *
     * @param maxRecords stop after this many records (0 or less: never)
     */
    public static MarketSimulator start(EtrmsConfig config, SimulatorOptions options, DeskSetup desk, Pacing pacing, long maxRecords) {
        Topics topics = config.topics();
        IngestProducer producer = new IngestProducer(IngestProducer.newKafkaProducer(config, "etrms-simulator",
                pacing == Pacing.AS_FAST_AS_POSSIBLE ? IngestProducer.BULK_TUNING : Map.of()), topics);
        MarketEventGenerator generator = new MarketEventGenerator(options, System.currentTimeMillis());
        MarketSimulator simulator = new MarketSimulator(producer, generator, pacing, maxRecords, () -> {
            ensureInputTopics(config);
            if (desk != null) {
                desk.publish(config, options.accounts());
            }
        });
        simulator.thread.start();
        log.info("market simulator started: accounts {}, exchanges {}, {} symbols, {} ticks/s per instrument, {} fills/s per account, scenarios {}, desk {}",
                options.accounts(), options.exchanges(), options.symbols().size(), options.ticksPerSecond(),
                options.fillsPerSecond(), options.scenarios(), desk);
        return simulator;
    }

    /** Creates the topics ingest writes to, when {@link #CREATE_TOPICS} is on (the default). */
    static void ensureInputTopics(EtrmsConfig config) {
        if (!Boolean.parseBoolean(config.get(CREATE_TOPICS, "true"))) {
            return;
        }
        Topics topics = config.topics();
        Map<String, Object> admin = new HashMap<>(config.kafka());
        admin.keySet().retainAll(AdminClientConfig.configNames());
        TopicAdmin.ensureTopics(admin, List.of(topics.fills, topics.prices, topics.transfers, topics.positionSnapshots, topics.deadLetters),
                config.replicationFactor());
    }

    /** Records handed to the producer so far. */
    public long sent() {
        return sent.get();
    }

    /** Records Kafka acknowledged so far. */
    public long acknowledged() {
        return acknowledged.get();
    }

    /** Records Kafka refused (after the producer's own retries). */
    public long failed() {
        return failed.get();
    }

    /** Waits until the run ends by itself (record limit reached or a fatal error); true if it did. */
    public boolean awaitCompletion(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run() {
        try {
            beforeFirstRecord.run();
            long wallStart = System.currentTimeMillis();
            long eventStart = generator.startMillis();
            while (sent.get() < maxRecords && stopRequested.getCount() > 0) {
                InputRecord record = generator.next();
                if (pacing == Pacing.REAL_TIME) {
                    long wait = record.timestamp() - eventStart - (System.currentTimeMillis() - wallStart);
                    if (wait > 0 && stopRequested.await(wait, TimeUnit.MILLISECONDS)) {
                        break;
                    }
                }
                producer.send(record).whenComplete((metadata, error) -> {
                    if (error == null) {
                        acknowledged.incrementAndGet();
                    } else {
                        long failures = failed.incrementAndGet();
                        if (failures == 1 || failures % 1000 == 0) {
                            log.error("simulator record refused by Kafka ({} so far): {}", failures, error.toString());
                        }
                    }
                });
                sent.incrementAndGet();
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("market simulator stopped", e);
        } finally {
            finished.countDown();
        }
    }

    /** Stops the run, flushes what was sent and closes the producer. */
    @Override
    public void close() {
        stopRequested.countDown();
        try {
            thread.join(Duration.ofSeconds(30).toMillis());
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(Duration.ofSeconds(5).toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close();
        log.info("market simulator stopped: {} records sent, {} acknowledged, {} refused", sent.get(), acknowledged.get(), failed.get());
    }
}
