package io.etrms.bench;

import io.etrms.kafka.embedded.EmbeddedKafkaBroker;
import io.etrms.model.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Benchmark 4, memory of the local default: the real {@code ./etrms} process
 * ({@code io.etrms.local.LocalStack}: embedded broker, risk topology, gateway and market
 * simulator in one JVM, with the JVM options of {@code ./etrms}) started as a child JVM, its
 * {@code VmRSS} sampled every second from {@code /proc/PID/status}:
 * <ul>
 *   <li>idle: started, the simulator feeding it, no clients;</li>
 *   <li>under load: plus a paced load of fills and ticks (a fraction of the spec's
 *       5 000 + 20 000/s) and WebSocket clients.</li>
 * </ul>
 * Baseline in the same run: a bare embedded broker alone in a child JVM with the same options.
 */
public final class MemoryBenchmark {

    private static final Logger log = LoggerFactory.getLogger(MemoryBenchmark.class);

    /**
     * @param idle       idle phase duration (also the baseline's)
     * @param load       load phase duration
     * @param scale      extra load as a fraction of 5 000 fills/s + 20 000 ticks/s
     * @param clients    WebSocket clients during the load phase
     * @param jvmOptions options of both child JVMs (the default is what ./etrms uses)
     */
    public record Options(Duration idle, Duration load, double scale, int clients, List<String> jvmOptions) {

        public static Options defaults() {
            return new Options(Duration.ofSeconds(30), Duration.ofSeconds(60), 0.01, 1_000, List.of("-Xms256m", "-Xmx1g"));
        }

        public static Options smoke() {
            return new Options(Duration.ofSeconds(2), Duration.ofSeconds(3), 0.004, 20, List.of("-Xms256m", "-Xmx1g"));
        }
    }

    private final Options options;

    public MemoryBenchmark(Options options) {
        this.options = options;
    }

    public BenchReport run(Path resultsDir) throws Exception {
        BenchReport report = new BenchReport("memory", "Memory (RSS) of the local default vs a bare embedded broker");
        report.parameter("jvm_options", String.join(" ", options.jvmOptions()) + " (as ./etrms)")
                .parameter("idle_s", options.idle().toSeconds())
                .parameter("load_s", options.load().toSeconds())
                .parameter("load", String.format("simulator + %.0f fills/s + %.0f ticks/s + %d WebSocket clients",
                        LatencyBenchmark.SPEC_FILLS_PER_SECOND * options.scale(), LatencyBenchmark.SPEC_TICKS_PER_SECOND * options.scale(),
                        options.clients()))
                .parameter("process", "measured processes are child JVMs; load generator and clients in the benchmark JVM");
        report.machineBefore(MachineSnapshot.take());
        SvgChart chart = new SvgChart("Resident memory: local default vs bare broker (MB, lower is better)", "MB");

        try (ScratchDirectory scratch = new ScratchDirectory("etrms-bench-memory")) {
            Samples broker = measureBroker(scratch);
            report.row(row("bare embedded broker", "idle", broker, broker));
            chart.bar("bare broker", "average RSS", broker.averageMb()).bar("bare broker", "peak RSS (VmHWM)", broker.peakMb());

            Samples[] local = measureLocalStack(scratch);
            report.row(row("local default (./etrms)", "idle: simulator only", local[0], broker));
            report.row(row("local default (./etrms)", "under load", local[1], broker));
            chart.bar("local default idle", "average RSS", local[0].averageMb()).bar("local default idle", "peak RSS (VmHWM)", local[0].peakMb());
            chart.bar("local default under load", "average RSS", local[1].averageMb())
                    .bar("local default under load", "peak RSS (VmHWM)", local[1].peakMb());
            report.summary("broker_rss_mb", BenchReport.round(broker.averageMb()))
                    .summary("local_idle_rss_mb", BenchReport.round(local[0].averageMb()))
                    .summary("local_load_peak_mb", BenchReport.round(local[1].peakMb()))
                    .summary("local_idle_ratio_to_broker", BenchReport.ratio(local[0].averageMb(), broker.averageMb()));
        }
        report.note("RSS is VmRSS from /proc/PID/status, sampled every second; peak is VmHWM at the end of the phase. "
                + "A JVM's RSS is mostly the heap it has grown into (bounded by -Xmx), the broker's page cache is not in it.");
        report.machineAfter(MachineSnapshot.take());
        report.writeJson(resultsDir.resolve("memory.json"));
        chart.write(resultsDir.resolve("memory.svg"));
        return report;
    }

    private static Map<String, Object> row(String process, String phase, Samples s, Samples broker) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("process", process);
        row.put("phase", phase);
        row.put("rss_avg_mb", BenchReport.round(s.averageMb()));
        row.put("rss_max_mb", BenchReport.round(s.maxMb()));
        row.put("peak_hwm_mb", BenchReport.round(s.peakMb()));
        row.put("ratio_to_broker", BenchReport.ratio(s.averageMb(), broker.averageMb()));
        row.put("samples", (long) s.rssKb().size());
        return row;
    }

    private Samples measureBroker(ScratchDirectory scratch) throws Exception {
        try (ChildProcess broker = ChildProcess.java("broker", BrokerProcess.class.getName(), options.jvmOptions(),
                List.of(scratch.resolve("broker-kafka").toString()), scratch.resolve("logs/broker.log"))) {
            broker.awaitReady(Duration.ofSeconds(90));
            return sample(broker, options.idle(), () -> true);
        }
    }

    /** Idle samples, then under-load samples. */
    private Samples[] measureLocalStack(ScratchDirectory scratch) throws Exception {
        int kafkaPort = EmbeddedKafkaBroker.freePort();
        int controllerPort = EmbeddedKafkaBroker.freePort();
        int httpPort = EmbeddedKafkaBroker.freePort();
        try (ChildProcess stack = ChildProcess.java("local-stack", "io.etrms.local.LocalStack", options.jvmOptions(),
                List.of("--data-dir", scratch.resolve("local").toString(), "--kafka-port", Integer.toString(kafkaPort),
                        "--controller-port", Integer.toString(controllerPort), "--http-port", Integer.toString(httpPort)),
                scratch.resolve("logs/local-stack.log"))) {
            awaitReady(stack, httpPort);
            Samples idle = sample(stack, options.idle(), () -> true);

            String bootstrap = "localhost:" + kafkaPort;
            Topics topics = Topics.defaults();
            TradeWorkload workload = new TradeWorkload(topics, 20, 2, 5, 2, 11);
            double fillsPerSecond = LatencyBenchmark.SPEC_FILLS_PER_SECOND * options.scale();
            FillLatencyLog fills = new FillLatencyLog(PacedLoad.fillCapacity(fillsPerSecond, options.load()), workload.accounts());
            try (KafkaProducer<String, byte[]> producer = KafkaClientSettings.newProducer(bootstrap, KafkaClientSettings.PACED_LINGER_MS);
                 FanOutClients clients = new FanOutClients(1)) {
                workload.deposits(System.currentTimeMillis()).forEach(producer::send);
                clients.connectUpTo(options.clients(), httpPort, "main", 128, Duration.ofSeconds(60));
                PacedLoad load = new PacedLoad(producer, workload, fills, fillsPerSecond,
                        LatencyBenchmark.SPEC_TICKS_PER_SECOND * options.scale(), options.load());
                Thread sender = new Thread(load, "bench-memory-load");
                sender.start();
                Samples loaded = sample(stack, options.load(), sender::isAlive);
                sender.join();
                log.info("memory load: {} fills, {} ticks sent; clients received {} messages", load.sentFills(), load.sentTicks(), clients.messages());
                return new Samples[] {idle, loaded};
            }
        }
    }

    private static void awaitReady(ChildProcess stack, int httpPort) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/readyz")).timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!stack.isAlive()) {
                throw new IllegalStateException("the local stack exited during start-up");
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the local stack was not ready within 120 s");
    }

    /** VmRSS every second for {@code duration} (or until {@code more} says stop), then VmHWM. */
    private static Samples sample(ChildProcess process, Duration duration, BooleanSupplier more) throws InterruptedException {
        List<Long> rss = new ArrayList<>();
        long end = System.nanoTime() + duration.toNanos();
        do {
            Thread.sleep(1_000);
            long kb = process.rssKb();
            if (kb > 0) {
                rss.add(kb);
            }
        } while (System.nanoTime() < end && more.getAsBoolean());
        return new Samples(rss, process.peakRssKb());
    }

    /** RSS samples (KiB) and the high-water mark at the end. */
    record Samples(List<Long> rssKb, long peakKb) {
        double averageMb() {
            return rssKb.stream().mapToLong(Long::longValue).average().orElse(Double.NaN) / 1024.0;
        }

        double maxMb() {
            return rssKb.stream().mapToLong(Long::longValue).max().orElse(-1) / 1024.0;
        }

        double peakMb() {
            return peakKb / 1024.0;
        }
    }
}
