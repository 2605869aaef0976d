package io.etrms.bench;

import io.etrms.kafka.embedded.EmbeddedKafkaBroker;
import io.etrms.model.EtrmsConfig;
import io.etrms.model.TopicAdmin;
import io.etrms.model.Topics;
import io.etrms.streams.StreamsApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Benchmark 1, topology throughput. For each processing guarantee, on one embedded broker:
 * <ol>
 *   <li>preload N fills with their price ticks (default 4 per fill, the 5 k : 20 k mix of the
 *       latency spec) and deposits into fresh input topics; the preload is the <b>raw producer</b>
 *       baseline (same records, same broker, Kafka's default producer);</li>
 *   <li>read them all back with a plain consumer: the <b>raw consumer</b> baseline;</li>
 *   <li>start the risk topology ({@link StreamsApp}: {@code <id>-instrument} and
 *       {@code <id>-account}) and time until both stages have <i>committed</i> everything: the
 *       committed offsets of {@code <id>-instrument} on fills and prices, then of
 *       {@code <id>-account} on account-updates and transfers, reach the end offsets.</li>
 * </ol>
 * Reports input records/s and fills/s of the topology and their ratio to both baselines.
 */
public final class TopologyThroughputBenchmark {

    private static final Logger log = LoggerFactory.getLogger(TopologyThroughputBenchmark.class);

    /**
     * @param fills                 fills to preload
     * @param ticksPerFill          price ticks preloaded per fill
     * @param guarantees            processing guarantees to run, e.g. exactly_once_v2, at_least_once
     * @param commitIntervalMs      Streams commit.interval.ms
     * @param timeout               give up on one topology run after this
     * @param warmUpFills           fills of the unmeasured topology run before the measured ones
     */
    public record Options(int fills, int warmUpFills, int ticksPerFill, int accounts, int exchanges, int symbolsPerExchange,
                          int instrumentsPerAccount, int partitions, List<String> guarantees, int commitIntervalMs,
                          Duration timeout, long seed, Map<String, String> streamsConfig) {

        public Options {
            streamsConfig = Map.copyOf(streamsConfig);
        }

        public static Options defaults() {
            return new Options(10_000, 10_000, 4, 50, 3, 10, 3, 3,
                    List.of(StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE), 100, Duration.ofMinutes(4), 42, Map.of());
        }

        public static Options smoke() {
            return new Options(300, 300, 4, 5, 2, 2, 2, 3, List.of(StreamsConfig.EXACTLY_ONCE_V2), 100, Duration.ofSeconds(60), 42, Map.of());
        }
    }

    private final Options options;

    public TopologyThroughputBenchmark(Options options) {
        this.options = options;
    }

    public BenchReport run(Path resultsDir) throws Exception {
        BenchReport report = new BenchReport("topology", "Topology throughput vs raw Kafka producer/consumer (same records, same broker)");
        report.parameter("fills", options.fills())
                .parameter("warm_up_fills", options.warmUpFills())
                .parameter("ticks_per_fill", options.ticksPerFill())
                .parameter("accounts", options.accounts())
                .parameter("instruments", options.exchanges() * options.symbolsPerExchange())
                .parameter("instruments_per_account", options.instrumentsPerAccount())
                .parameter("partitions", options.partitions())
                .parameter("commit_interval_ms", options.commitIntervalMs())
                .parameter("streams_config", new java.util.TreeMap<>(options.streamsConfig()).toString())
                .parameter("producer", "acks=all, idempotent, linger.ms=" + KafkaClientSettings.BULK_LINGER_MS + ", batch.size=16384 (Kafka defaults)")
                .parameter("process", "broker, producer, consumer and both Streams stages in one JVM");
        report.machineBefore(MachineSnapshot.take());
        SvgChart chart = new SvgChart("Topology throughput vs raw Kafka (input records/s, higher is better)", "records/s").logarithmic();

        try (ScratchDirectory scratch = new ScratchDirectory("etrms-bench-topology");
             EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startOnFreePorts(scratch.resolve("kafka"))) {
            warmUp(broker.bootstrapServers());
            // Unmeasured: one topology run as long as a measured one, so that the measured runs see
            // compiled code. A shorter one (2,000 fills until 2026-12-03) left the JIT compiler with
            // a third of the machine's CPU during the first measured run.
            runOne(broker.bootstrapServers(), options.guarantees().get(0), scratch.resolve("streams-warm-up"),
                    options.warmUpFills());
            for (String guarantee : options.guarantees()) {
                Map<String, Object> row = runOne(broker.bootstrapServers(), guarantee, scratch.resolve("streams-" + guarantee), options.fills());
                report.row(row);
                String mode = label(guarantee);
                chart.bar(mode, "raw producer", (Double) row.get("producer_rec_s"));
                chart.bar(mode, "raw consumer", (Double) row.get("consumer_rec_s"));
                chart.bar(mode, "topology (both stages committed)", (Double) row.get("topology_rec_s"));
                chart.bar(mode, "Streams floor (same shape, no risk logic)", (Double) row.get("floor_rec_s"));
                report.summary(mode + "_fills_per_s", row.get("topology_fills_s"));
                report.summary(mode + "_ratio_to_raw_producer", row.get("ratio_to_producer"));
                report.summary(mode + "_floor_ratio_to_raw_producer", row.get("floor_ratio_to_producer"));
                report.summary(mode + "_ratio_to_floor", row.get("ratio_to_floor"));
            }
        }
        report.note("topology_rec_s = input records (fills + ticks) / seconds from both stages RUNNING to both stages "
                + "committed everything; total_s also counts start-up. ratio_to_producer = topology_rec_s / producer_rec_s.");
        report.note("Accounts are funded before they trade, as on a desk: the deposits go through the topology alone first "
                + "(deposits_applied_before_trades: those the account stage committed), then it pauses (KafkaStreams.pause) while "
                + "the fills and ticks are preloaded and read back for the baselines, and the clock starts when it resumes (startup_s "
                + "is then 0). The stages do not wait for an empty input partition (max.task.idle.ms=-1), so deposits preloaded with "
                + "the trades could be read after an account's first fills, and an account without equity is evaluated on every mark.");
        report.note("Each tick is one account-updates record per partition holding its instrument (internal_per_in counts stage 1's "
                + "records for stage 2); stage 2 publishes an account's portfolio, accounts and risk-metrics at most every "
                + "etrms.snapshot.interval.ms after a fill or transfer and every etrms.snapshot.mark.interval.ms after ticks: out_per_in "
                + "(output topics, not changelogs) is that amplification. stage1/stage2_cpu_us_per_input = CPU time of each stage's "
                + "stream thread per input record (other load on the machine changes it far less than the rates).");
        report.machineAfter(MachineSnapshot.take());
        report.writeJson(resultsDir.resolve("topology.json"));
        chart.write(resultsDir.resolve("topology.svg"));
        return report;
    }

    static String label(String guarantee) {
        return StreamsConfig.AT_LEAST_ONCE.equals(guarantee) ? "ALOS" : "EOS";
    }

    /**
     * CPU time used so far by the stream threads of one stage of this run: work per input record
     * that the machine's other load does not change (wall-clock rates do).
     */
    private static double streamThreadCpuSeconds(String applicationId) {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long nanos = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(applicationId + "-") && t.getName().contains("StreamThread") && !t.getName().contains("producer")) {
                nanos += Math.max(0, mx.getThreadCpuTime(t.getId()));
            }
        }
        return nanos / 1e9;
    }

    private Map<String, Object> runOne(String bootstrap, String guarantee, Path stateDir, int fills) throws Exception {
        String runId = "tp-" + label(guarantee).toLowerCase() + "-" + UUID.randomUUID().toString().substring(0, 6);
        Topics topics = new Topics(runId + ".", options.partitions());
        TopicAdmin.ensureTopics(TopicAdmin.adminConfig(bootstrap), topics.all(), (short) 1);
        try (CommitWatcher watcher = new CommitWatcher(bootstrap)) {
            watcher.awaitLeaders(topics.all().stream().map(t -> t.name()).toList(), Duration.ofSeconds(60));
        }

        Workload load = generate(topics, fills);
        long deposits = load.deposits().size();
        long inputRecords = load.trades().size();
        EtrmsConfig config = EtrmsConfig.of(Map.of(
                        EtrmsConfig.BOOTSTRAP_SERVERS, bootstrap,
                        EtrmsConfig.TOPIC_PREFIX, topics.prefix(),
                        EtrmsConfig.TOPIC_PARTITIONS, Integer.toString(options.partitions())))
                .with(StreamsApp.APPLICATION_ID, runId)
                .with(StreamsApp.STATE_DIR, stateDir.toString())
                .with(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee)
                .with(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Integer.toString(options.commitIntervalMs()));
        for (Map.Entry<String, String> e : options.streamsConfig().entrySet()) {
            config = config.with(e.getKey(), e.getValue());
        }
        Timing timing;
        long funded;
        double producerSeconds;
        double consumerSeconds;
        long outputRecords;
        long internalRecords;
        double stage1CpuSeconds;
        double stage2CpuSeconds;
        Timing floorTiming;
        double floorCpuSeconds;
        double jitSeconds;
        long floorInternalRecords;
        long floorOutputRecords;
        try (CommitWatcher watcher = new CommitWatcher(bootstrap)) {
            List<TopicPartition> stage1 = watcher.partitions(List.of(topics.fills.name(), topics.prices.name()));
            List<TopicPartition> stage2 = watcher.partitions(List.of(topics.accountUpdates.name(), topics.transfers.name()));
            preload(bootstrap, load.deposits());
            double jitStart;
            long started;
            try (StreamsApp app = StreamsApp.start(config)) {
                // Accounts are funded before they trade: the topology takes the deposits alone, then
                // pauses while the trades are preloaded for the baselines.
                // (stage 1's inputs are still empty, so this waits for stage 2 to commit the deposits)
                List<TopicPartition> transfers = watcher.partitions(List.of(topics.transfers.name()));
                awaitCommitted(watcher, app::isRunning, runId + "-instrument", stage1, runId + "-account", transfers, System.nanoTime());
                funded = watcher.committed(runId + "-account", transfers).values().stream().mapToLong(Long::longValue).sum();
                app.streams().forEach(KafkaStreams::pause);
                producerSeconds = preload(bootstrap, load.trades());
                load = null; // let the generated bytes go before the topology runs
                consumerSeconds = readAll(bootstrap, List.of(topics.fills.name(), topics.prices.name()), inputRecords);
                log.info("{}: preloaded {} records in {} s, read back in {} s", runId, inputRecords, producerSeconds, consumerSeconds);
                double stage1CpuBefore = streamThreadCpuSeconds(runId + "-instrument");
                double stage2CpuBefore = streamThreadCpuSeconds(runId + "-account");
                started = System.nanoTime();
                jitStart = MachineSnapshot.jitSeconds();
                app.streams().forEach(KafkaStreams::resume);
                timing = awaitCommitted(watcher, app::isRunning, runId + "-instrument", stage1, runId + "-account", stage2, started);
                stage1CpuSeconds = streamThreadCpuSeconds(runId + "-instrument") - stage1CpuBefore;
                stage2CpuSeconds = streamThreadCpuSeconds(runId + "-account") - stage2CpuBefore;
            }
            jitSeconds = MachineSnapshot.jitSeconds() - jitStart;
            outputRecords = countRecords(bootstrap, List.of(topics.positions.name(), topics.portfolio.name(), topics.accounts.name(),
                    topics.riskMetrics.name(), topics.alerts.name(), topics.deadLetters.name()));
            internalRecords = countRecords(bootstrap, List.of(topics.accountUpdates.name()));

            // The same input (the deposits too) through the floor: two Streams stages of the same shape with no risk logic.
            String floorId = runId + "-floor";
            long floorStarted = System.nanoTime();
            try (StreamsFloor floor = StreamsFloor.start(config.with(StreamsApp.STATE_DIR, stateDir.resolve("floor").toString()),
                    floorId, topics, options.partitions())) {
                List<TopicPartition> floorBPartitions = watcher.partitions(List.of(StreamsFloor.internalTopic(topics), topics.transfers.name()));
                floorTiming = awaitCommitted(watcher, floor::isRunning, floorId + "-a", stage1, floorId + "-b", floorBPartitions, floorStarted);
                floorCpuSeconds = streamThreadCpuSeconds(floorId + "-a") + streamThreadCpuSeconds(floorId + "-b");
            }
            floorInternalRecords = countRecords(bootstrap, List.of(StreamsFloor.internalTopic(topics)));
            floorOutputRecords = countRecords(bootstrap, List.of(StreamsFloor.outputTopic(topics)));
        }

        double producerRate = inputRecords / producerSeconds;
        double consumerRate = inputRecords / consumerSeconds;
        double processingSeconds = timing.done - timing.running;
        double topologyRate = inputRecords / processingSeconds;
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("mode", label(guarantee));
        row.put("fills", (long) fills);
        row.put("input_records", inputRecords);
        row.put("deposits", deposits);
        row.put("deposits_applied_before_trades", funded);
        row.put("producer_rec_s", BenchReport.round(producerRate));
        row.put("consumer_rec_s", BenchReport.round(consumerRate));
        row.put("topology_rec_s", BenchReport.round(topologyRate));
        row.put("topology_fills_s", BenchReport.round(fills / processingSeconds));
        row.put("ratio_to_producer", BenchReport.ratio(topologyRate, producerRate));
        row.put("ratio_to_consumer", BenchReport.ratio(topologyRate, consumerRate));
        double floorRate = (inputRecords + deposits) / (floorTiming.done - floorTiming.running);
        row.put("floor_rec_s", BenchReport.round(floorRate));
        row.put("floor_ratio_to_producer", BenchReport.ratio(floorRate, producerRate));
        row.put("ratio_to_floor", BenchReport.ratio(topologyRate, floorRate));
        row.put("floor_cpu_us_per_input", BenchReport.round(floorCpuSeconds * 1e6 / inputRecords));
        row.put("floor_internal_records", floorInternalRecords);
        row.put("floor_output_records", floorOutputRecords);
        row.put("startup_s", BenchReport.round(timing.running));
        row.put("stage1_done_s", BenchReport.round(timing.stage1));
        row.put("total_s", BenchReport.round(timing.done));
        row.put("output_records", outputRecords);
        row.put("out_per_in", BenchReport.round((double) outputRecords / inputRecords));
        row.put("internal_records", internalRecords);
        row.put("internal_per_in", BenchReport.round((double) internalRecords / inputRecords));
        row.put("stage1_cpu_us_per_input", BenchReport.round(stage1CpuSeconds * 1e6 / inputRecords));
        row.put("stage2_cpu_us_per_input", BenchReport.round(stage2CpuSeconds * 1e6 / inputRecords));
        row.put("jit_s", BenchReport.round(jitSeconds));
        return row;
    }

    /**
     * One unmeasured preload and read-back of up to 5 000 fills' worth of records, so the first
     * measured baseline does not pay for class loading and JIT compilation that the later ones
     * do not.
     */
    private void warmUp(String bootstrap) throws Exception {
        Topics topics = new Topics("tp-warmup-" + UUID.randomUUID().toString().substring(0, 6) + ".", options.partitions());
        TopicAdmin.ensureTopics(TopicAdmin.adminConfig(bootstrap), List.of(topics.fills, topics.prices, topics.transfers), (short) 1);
        try (CommitWatcher watcher = new CommitWatcher(bootstrap)) {
            watcher.awaitLeaders(List.of(topics.fills.name(), topics.prices.name(), topics.transfers.name()), Duration.ofSeconds(60));
        }
        List<ProducerRecord<String, byte[]>> records = generate(topics, Math.min(options.fills(), 5_000)).trades();
        preload(bootstrap, records);
        readAll(bootstrap, List.of(topics.fills.name(), topics.prices.name()), records.size());
    }

    /** The deposits, and the trades: per fill its ticks and the fill. */
    private record Workload(List<ProducerRecord<String, byte[]>> deposits, List<ProducerRecord<String, byte[]>> trades) {
    }

    /** Deposits, then per fill its ticks and the fill; event time advances 0.2 ms per record (25 k/s). */
    private Workload generate(Topics topics, int fills) {
        TradeWorkload workload = new TradeWorkload(topics, options.accounts(), options.exchanges(),
                options.symbolsPerExchange(), options.instrumentsPerAccount(), options.seed());
        long base = System.currentTimeMillis() - 60_000;
        List<ProducerRecord<String, byte[]>> deposits = workload.deposits(base);
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        long n = 0;
        for (int f = 0; f < fills; f++) {
            for (int t = 0; t < options.ticksPerFill(); t++) {
                records.add(workload.nextTick(base + (n++) / 5));
            }
            records.add(workload.randomFill(base + (n++) / 5));
        }
        return new Workload(deposits, records);
    }

    /** Sends every record and waits for every acknowledgement; returns seconds. */
    static double preload(String bootstrap, List<ProducerRecord<String, byte[]>> records) throws InterruptedException, ExecutionException {
        try (KafkaProducer<String, byte[]> producer = KafkaClientSettings.newProducer(bootstrap, KafkaClientSettings.BULK_LINGER_MS)) {
            producer.partitionsFor(records.get(0).topic()); // metadata before the clock starts
            long start = System.nanoTime();
            Future<RecordMetadata> last = null;
            for (ProducerRecord<String, byte[]> record : records) {
                last = producer.send(record);
            }
            producer.flush();
            last.get();
            return (System.nanoTime() - start) / 1e9;
        }
    }

    /** Reads {@code expected} records from the beginning of {@code topics}; returns seconds. */
    static double readAll(String bootstrap, List<String> topics, long expected) {
        try (KafkaConsumer<String, byte[]> consumer = KafkaClientSettings.newConsumer(bootstrap)) {
            List<TopicPartition> partitions = new ArrayList<>();
            topics.forEach(t -> consumer.partitionsFor(t).forEach(p -> partitions.add(new TopicPartition(t, p.partition()))));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            partitions.forEach(consumer::position);
            long start = System.nanoTime();
            long seen = 0;
            long bytes = 0;
            long deadline = start + Duration.ofMinutes(2).toNanos();
            while (seen < expected) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("raw consumer read only " + seen + " of " + expected + " records");
                }
                ConsumerRecords<String, byte[]> batch = consumer.poll(Duration.ofMillis(200));
                for (var r : batch) {
                    bytes += r.value().length; // touch every value, as a real consumer would
                }
                seen += batch.count();
            }
            if (bytes == 0) {
                throw new IllegalStateException("raw consumer read empty records");
            }
            return (System.nanoTime() - start) / 1e9;
        }
    }

    /**
     * The records of {@code topics} a read-committed consumer reads: unlike the end offsets, without
     * the exactly-once transactions' commit markers.
     */
    static long countRecords(String bootstrap, List<String> topics) {
        try (KafkaConsumer<String, byte[]> consumer = KafkaClientSettings.newReadCommittedConsumer(bootstrap)) {
            List<TopicPartition> partitions = new ArrayList<>();
            topics.forEach(t -> consumer.partitionsFor(t).forEach(p -> partitions.add(new TopicPartition(t, p.partition()))));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            long count = 0;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topics + " to their end offsets " + end);
                }
                count += consumer.poll(Duration.ofMillis(200)).count();
            }
            return count;
        }
    }

    /** Seconds since start: both stages RUNNING, stage 1 committed everything, stage 2 committed everything. */
    private record Timing(double running, double stage1, double done) {
    }

    private Timing awaitCommitted(CommitWatcher watcher, java.util.function.BooleanSupplier isRunning, String stage1Group,
                                  List<TopicPartition> stage1, String stage2Group, List<TopicPartition> stage2, long started)
            throws InterruptedException {
        long deadline = started + options.timeout().toNanos();
        double running = Double.NaN;
        double stage1Done = Double.NaN;
        while (System.nanoTime() < deadline) {
            double now = (System.nanoTime() - started) / 1e9;
            if (Double.isNaN(running) && isRunning.getAsBoolean()) {
                running = now;
            }
            if (!Double.isNaN(running)) {
                if (Double.isNaN(stage1Done) && watcher.uncommitted(stage1Group, stage1) == 0) {
                    stage1Done = now;
                }
                if (!Double.isNaN(stage1Done) && watcher.uncommitted(stage2Group, stage2) == 0) {
                    return new Timing(running, stage1Done, now);
                }
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException(stage1Group + ", " + stage2Group + ": did not commit all input within " + options.timeout()
                + " (stage 1 uncommitted " + watcher.uncommitted(stage1Group, stage1)
                + ", stage 2 uncommitted " + watcher.uncommitted(stage2Group, stage2) + ")");
    }
}
