package io.etrms.bench;

import io.etrms.kafka.embedded.EmbeddedKafkaBroker;
import io.etrms.model.EtrmsConfig;
import io.etrms.model.Fill;
import io.etrms.model.Json;
import io.etrms.model.PriceTick;
import io.etrms.model.Topic;
import io.etrms.model.TopicAdmin;
import io.etrms.model.Topics;
import io.etrms.model.Transfer;
import io.etrms.streams.StreamsApp;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cost of a tick against the number of accounts holding the instrument. For each holder
 * count (10, 100, 1 000 by default), on one embedded broker and fresh topics: every account
 * deposits and opens a position in each instrument of one set (3 instruments; a seeded random size
 * of 0.5 to 5 units, long or short), then ticks of those
 * instruments arrive at a fixed rate (paced, round-robin, a small random walk that trips no
 * breaker) for a fixed time. Measured over the tick phase, from its first tick until both stages
 * have committed everything:
 * <ul>
 *   <li>each stage's stream-thread CPU time per tick (ThreadMXBean: the work, which the machine's
 *       other load changes far less than wall-clock rates);</li>
 *   <li>records the topology produced per tick: to its internal topic (stage 1 → stage 2), to the
 *       public output topics, and to its changelogs.</li>
 * </ul>
 * The baseline is the smallest holder count, in the same run: each row's {@code cpu_ratio} is its
 * CPU per tick over that of the first row.
 */
public final class HoldersBenchmark {

    private static final Logger log = LoggerFactory.getLogger(HoldersBenchmark.class);
    private static final String EXCHANGE = "binance";

    /**
     * @param holders        the holder counts to measure, the first is the baseline
     * @param instruments    instruments in the set every account holds
     * @param ticksPerSecond tick rate of the tick phase
     * @param tickPhase      duration of the tick phase
     * @param guarantee      processing guarantee
     * @param timeout        give up on one holder count after this
     */
    public record Options(List<Integer> holders, int instruments, int ticksPerSecond, Duration tickPhase, int partitions,
                          String guarantee, Duration timeout, long seed) {

        public static Options defaults() {
            return new Options(List.of(10, 100, 1000), 3, 1000, Duration.ofSeconds(20), 3, StreamsConfig.EXACTLY_ONCE_V2,
                    Duration.ofMinutes(5), 42);
        }

        public static Options smoke() {
            return new Options(List.of(5, 50), 2, 200, Duration.ofSeconds(2), 3, StreamsConfig.EXACTLY_ONCE_V2, Duration.ofSeconds(90), 42);
        }
    }

    private final Options options;

    public HoldersBenchmark(Options options) {
        this.options = options;
    }

    public BenchReport run(Path resultsDir) throws Exception {
        BenchReport report = new BenchReport("holders", "Cost of a tick vs accounts holding the instrument (same tick rate)");
        report.parameter("holders", options.holders())
                .parameter("instruments", options.instruments())
                .parameter("ticks_per_s", options.ticksPerSecond())
                .parameter("tick_phase_s", options.tickPhase().toSeconds())
                .parameter("partitions", options.partitions())
                .parameter("guarantee", options.guarantee())
                .parameter("process", "broker, producer and both Streams stages in one JVM");
        report.machineBefore(MachineSnapshot.take());
        SvgChart chart = new SvgChart("Stream-thread CPU per tick (µs, lower is better)", "µs per tick");
        try (ScratchDirectory scratch = new ScratchDirectory("etrms-bench-holders");
             EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startOnFreePorts(scratch.resolve("kafka"))) {
            // Unmeasured: class loading and JIT compilation, which the first measured run would otherwise pay.
            runOne(broker.bootstrapServers(), options.holders().get(0), Duration.ofSeconds(Math.min(5, options.tickPhase().toSeconds())),
                    scratch.resolve("warm-up"));
            Double baseline = null;
            for (int holders : options.holders()) {
                Map<String, Object> row = runOne(broker.bootstrapServers(), holders, options.tickPhase(), scratch.resolve("h" + holders));
                double cpu = (Double) row.get("cpu_us_per_tick");
                baseline = baseline == null ? cpu : baseline;
                row.put("cpu_ratio", BenchReport.ratio(cpu, baseline));
                report.row(row);
                chart.bar(holders + " holders", "stage 1", (Double) row.get("stage1_cpu_us_per_tick"));
                chart.bar(holders + " holders", "stage 2", (Double) row.get("stage2_cpu_us_per_tick"));
                report.summary("cpu_ratio_at_" + holders, row.get("cpu_ratio"));
            }
        }
        report.note("cpu_us_per_tick = both stages' stream-thread CPU time over the tick phase / ticks; cpu_ratio = that over the "
                + "first row's (same run). holders_marked_per_tick / holders_evaluated_per_tick: holders a tick moved, and those "
                + "stage 2 evaluated exactly (the holder index lets the others be). internal_per_tick = records stage 1 wrote for stage 2; output_per_tick = records on the "
                + "public output topics (positions, portfolio, accounts, risk-metrics, alerts, risk-commands, dead-letters); "
                + "changelog_per_tick = records on both stages' changelog topics.");
        report.machineAfter(MachineSnapshot.take());
        report.writeJson(resultsDir.resolve("holders.json"));
        chart.write(resultsDir.resolve("holders.svg"));
        return report;
    }

    private Map<String, Object> runOne(String bootstrap, int holders, Duration tickPhase, Path stateDir) throws Exception {
        String runId = "h" + holders + "-" + UUID.randomUUID().toString().substring(0, 6);
        Topics topics = new Topics(runId + ".", options.partitions());
        TopicAdmin.ensureTopics(TopicAdmin.adminConfig(bootstrap), topics.all(), (short) 1);
        try (CommitWatcher watcher = new CommitWatcher(bootstrap)) {
            watcher.awaitLeaders(topics.all().stream().map(Topic::name).toList(), Duration.ofSeconds(60));
        }
        EtrmsConfig config = EtrmsConfig.of(Map.of(
                        EtrmsConfig.BOOTSTRAP_SERVERS, bootstrap,
                        EtrmsConfig.TOPIC_PREFIX, topics.prefix(),
                        EtrmsConfig.TOPIC_PARTITIONS, Integer.toString(options.partitions())))
                .with(StreamsApp.APPLICATION_ID, runId)
                .with(StreamsApp.STATE_DIR, stateDir.toString())
                .with(StreamsApp.CREATE_TOPICS, "false")
                .with(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, options.guarantee());
        List<String> instruments = new ArrayList<>();
        for (int i = 0; i < options.instruments(); i++) {
            instruments.add("SYM" + i + "/USD");
        }
        Random random = new Random(options.seed());
        Map<String, BigDecimal> prices = new LinkedHashMap<>();
        instruments.forEach(s -> prices.put(s, new BigDecimal("100")));

        try (StreamsApp app = StreamsApp.start(config);
             KafkaProducer<String, byte[]> producer = KafkaClientSettings.newProducer(bootstrap, KafkaClientSettings.PACED_LINGER_MS);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            awaitRunning(app);
            // Set-up: the holders, each with one unit of every instrument, marked by a first tick.
            long t = System.currentTimeMillis() - 60_000;
            for (String symbol : instruments) {
                producer.send(tick(topics, symbol, prices.get(symbol), t++));
            }
            for (int a = 0; a < holders; a++) {
                String account = "acct-" + a;
                producer.send(new ProducerRecord<>(topics.transfers.name(), account,
                        json(new Transfer("d-" + a, account, EXCHANGE, new BigDecimal("100000"), t++))));
                for (String symbol : instruments) {
                    BigDecimal size = BigDecimal.valueOf(5 + random.nextInt(46), 1); // 0.5 to 5
                    producer.send(new ProducerRecord<>(topics.fills.name(), EXCHANGE + "|" + symbol,
                            json(new Fill("f-" + a + "-" + symbol, account, EXCHANGE, symbol, random.nextInt(10) < 6 ? "buy" : "sell",
                                    size, prices.get(symbol), new BigDecimal("0.01"), t++))));
                }
            }
            producer.flush();
            awaitCaughtUp(admin, runId, topics);

            Map<TopicPartition, Long> before = endOffsets(admin, written(admin, runId, topics));
            double holderMarksBefore = metric(app, "holder-marks-total");
            double evaluatedBefore = metric(app, "evaluated-holder-marks-total");
            double stage1Before = streamThreadCpuSeconds(runId + "-instrument");
            double stage2Before = streamThreadCpuSeconds(runId + "-account");
            long started = System.nanoTime();
            long ticks = sendTicks(producer, topics, instruments, prices, random, tickPhase, t);
            double sendSeconds = (System.nanoTime() - started) / 1e9;
            awaitCaughtUp(admin, runId, topics);
            double phaseSeconds = (System.nanoTime() - started) / 1e9;
            double stage1 = streamThreadCpuSeconds(runId + "-instrument") - stage1Before;
            double stage2 = streamThreadCpuSeconds(runId + "-account") - stage2Before;
            double holderMarks = metric(app, "holder-marks-total") - holderMarksBefore;
            double evaluated = metric(app, "evaluated-holder-marks-total") - evaluatedBefore;
            Map<TopicPartition, Long> after = endOffsets(admin, written(admin, runId, topics));
            long internal = 0;
            long outputs = 0;
            long changelogs = 0;
            Set<String> outputTopics = Set.of(topics.positions.name(), topics.portfolio.name(), topics.accounts.name(),
                    topics.riskMetrics.name(), topics.alerts.name(), topics.riskCommands.name(), topics.deadLetters.name());
            for (Map.Entry<TopicPartition, Long> e : countRecords(bootstrap, before, after).entrySet()) {
                long produced = e.getValue();
                String topic = e.getKey().topic();
                if (topic.endsWith("-changelog")) {
                    changelogs += produced;
                } else if (outputTopics.contains(topic)) {
                    outputs += produced;
                } else {
                    internal += produced;
                }
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("holders", (long) holders);
            row.put("ticks", ticks);
            row.put("ticks_s_sent", BenchReport.round(ticks / sendSeconds));
            row.put("tick_phase_s", BenchReport.round(phaseSeconds));
            row.put("stage1_cpu_us_per_tick", BenchReport.round(stage1 * 1e6 / ticks));
            row.put("stage2_cpu_us_per_tick", BenchReport.round(stage2 * 1e6 / ticks));
            row.put("cpu_us_per_tick", BenchReport.round((stage1 + stage2) * 1e6 / ticks));
            row.put("holders_marked_per_tick", BenchReport.round(holderMarks / ticks));
            row.put("holders_evaluated_per_tick", BenchReport.round(evaluated / ticks));
            row.put("internal_per_tick", BenchReport.round((double) internal / ticks));
            row.put("output_per_tick", BenchReport.round((double) outputs / ticks));
            row.put("changelog_per_tick", BenchReport.round((double) changelogs / ticks));
            log.info("{} holders: {}", holders, row);
            return row;
        }
    }

    /** Ticks at the configured rate for {@code phase}, round-robin over the instruments; returns how many. */
    private long sendTicks(KafkaProducer<String, byte[]> producer, Topics topics, List<String> instruments, Map<String, BigDecimal> prices,
                           Random random, Duration phase, long firstEventTime) {
        long start = System.nanoTime();
        long end = start + phase.toNanos();
        double interval = 1e9 / options.ticksPerSecond();
        long sent = 0;
        long t = firstEventTime;
        while (true) {
            long due = start + (long) (sent * interval);
            if (due >= end) {
                break;
            }
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            String symbol = instruments.get((int) (sent % instruments.size()));
            // ±0.02 % per tick: far from every breaker's limit (and from the outlier filter)
            BigDecimal next = prices.get(symbol).multiply(BigDecimal.valueOf(1 + (random.nextDouble() - 0.5) * 0.0004))
                    .setScale(4, RoundingMode.HALF_EVEN);
            prices.put(symbol, next);
            producer.send(tick(topics, symbol, next, t++));
            sent++;
        }
        producer.flush();
        return sent;
    }

    private static ProducerRecord<String, byte[]> tick(Topics topics, String symbol, BigDecimal price, long t) {
        return new ProducerRecord<>(topics.prices.name(), EXCHANGE + "|" + symbol, json(new PriceTick(EXCHANGE, symbol, price, t)));
    }

    private static byte[] json(Object value) {
        return Json.write(value).getBytes(StandardCharsets.UTF_8);
    }

    private void awaitRunning(StreamsApp app) throws InterruptedException {
        long deadline = System.nanoTime() + options.timeout().toNanos();
        while (!app.isRunning()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the topology did not reach RUNNING within " + options.timeout());
            }
            Thread.sleep(50);
        }
    }

    /**
     * Until stage 1 has committed all of fills and prices, and stage 2 everything stage 1 and the
     * transfers gave it: every partition stage 2's group reads (whatever the internal topic is
     * called) committed up to its end offset, and none that has records left without a commit.
     */
    private void awaitCaughtUp(Admin admin, String runId, Topics topics) throws Exception {
        long deadline = System.nanoTime() + options.timeout().toNanos();
        List<String> stage2Inputs = new ArrayList<>();
        for (Topic<?> topic : topics.all()) {
            if (topic.name().endsWith("account-updates") || topic.name().endsWith("positions") && !hasTopic(topics, "account-updates")) {
                stage2Inputs.add(topic.name());
            }
        }
        stage2Inputs.add(topics.transfers.name());
        while (true) {
            if (lag(admin, runId + "-instrument", List.of(topics.fills.name(), topics.prices.name())) == 0
                    && lag(admin, runId + "-account", stage2Inputs) == 0) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(runId + ": not caught up within " + options.timeout());
            }
            Thread.sleep(100);
        }
    }

    private static boolean hasTopic(Topics topics, String suffix) {
        return topics.all().stream().anyMatch(t -> t.name().endsWith(suffix));
    }

    /** Records {@code group} has not committed on {@code topics} (against their last stable offsets). */
    private static long lag(Admin admin, String group, List<String> topics) throws Exception {
        Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> request = new HashMap<>();
        for (var d : admin.describeTopics(topics).allTopicNames().get().values()) {
            d.partitions().forEach(p -> request.put(new TopicPartition(d.name(), p.partition()),
                    org.apache.kafka.clients.admin.OffsetSpec.latest()));
        }
        long lag = 0;
        for (var e : admin.listOffsets(request, new org.apache.kafka.clients.admin.ListOffsetsOptions(
                org.apache.kafka.common.IsolationLevel.READ_COMMITTED)).all().get().entrySet()) {
            var c = committed.get(e.getKey());
            lag += Math.max(0, e.getValue().offset() - (c == null ? 0 : c.offset()));
        }
        return lag;
    }

    /** Every partition of the topics this run's topology writes: its outputs, its internal topic, its changelogs. */
    private static List<TopicPartition> written(Admin admin, String runId, Topics topics) throws Exception {
        List<String> names = new ArrayList<>();
        Set<String> inputs = Set.of(topics.fills.name(), topics.prices.name(), topics.transfers.name(), topics.riskLimits.name(),
                topics.riskControl.name());
        for (Topic<?> topic : topics.all()) {
            if (!inputs.contains(topic.name())) {
                names.add(topic.name());
            }
        }
        for (String name : admin.listTopics().names().get()) {
            if (name.startsWith(runId + "-") && name.endsWith("-changelog")) {
                names.add(name);
            }
        }
        List<TopicPartition> out = new ArrayList<>();
        for (var d : admin.describeTopics(names).allTopicNames().get().values()) {
            d.partitions().forEach(p -> out.add(new TopicPartition(d.name(), p.partition())));
        }
        return out;
    }

    /**
     * Committed records per partition between {@code from} and {@code to} (read_committed: offsets
     * alone would also count the transaction markers exactly-once writes).
     */
    private static Map<TopicPartition, Long> countRecords(String bootstrap, Map<TopicPartition, Long> from, Map<TopicPartition, Long> to) {
        Map<TopicPartition, Long> counts = new HashMap<>();
        List<TopicPartition> pending = new ArrayList<>();
        to.forEach((tp, end) -> {
            counts.put(tp, 0L);
            if (end > from.getOrDefault(tp, 0L)) {
                pending.add(tp);
            }
        });
        if (pending.isEmpty()) {
            return counts;
        }
        Map<String, Object> config = new HashMap<>();
        config.put(org.apache.kafka.clients.consumer.ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(org.apache.kafka.clients.consumer.ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(org.apache.kafka.clients.consumer.ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(config,
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(), new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            consumer.assign(pending);
            pending.forEach(tp -> consumer.seek(tp, from.getOrDefault(tp, 0L)));
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (pending.stream().anyMatch(tp -> consumer.position(tp) < to.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read the records the topology wrote");
                }
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() < to.get(tp)) {
                        counts.merge(tp, 1L, Long::sum);
                    }
                }
            }
        }
        return counts;
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, List<TopicPartition> partitions) throws Exception {
        Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, org.apache.kafka.clients.admin.OffsetSpec.latest()));
        Map<TopicPartition, Long> out = new HashMap<>();
        admin.listOffsets(request).all().get().forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    /** The sum of a Kafka Streams metric of both stages (0 where it does not exist). */
    private static double metric(StreamsApp app, String name) {
        double sum = 0;
        for (var streams : app.streams()) {
            for (var e : streams.metrics().entrySet()) {
                if (e.getKey().name().equals(name) && e.getValue().metricValue() instanceof Number n) {
                    sum += n.doubleValue();
                }
            }
        }
        return sum;
    }

    /** CPU time used so far by the stream threads of one stage. */
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
}
