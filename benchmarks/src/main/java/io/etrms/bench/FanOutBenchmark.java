package io.etrms.bench;

import io.etrms.kafka.embedded.EmbeddedKafkaBroker;
import io.etrms.model.TopicAdmin;
import io.etrms.model.Topics;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Benchmark 3, WebSocket fan-out: one ws-gateway alone in a child JVM against the minimal Node.js
 * {@code ws} broadcast server ({@code benchmarks/node}), the same clients and the same messages,
 * one server after the other. The clients (half on {@code risk-metrics}, half on {@code alerts},
 * one account) are {@link FanOutClients}: raw sockets on a few selector threads, as cheap as JDK
 * sockets allow, yet on this 2-core machine still a third or more of the CPU at 10 k clients (mostly
 * the kernel's per-read work: {@code client_cpu_ms_per_1k} and {@code bench_jvm_cpu_ms_per_1k} in
 * each row show how much). Risk-metrics snapshots (~1.4 KB) and
 * alerts are published to Kafka at {@code rate} a second each, so every client is offered
 * {@code rate} messages a second; the gateway reads Kafka itself, the Node.js server is fed the
 * same records by a {@link FeedBridge}.
 *
 * <p>Per server: memory per idle connection ({@code idleClients} connected, nothing published,
 * after a full GC: RSS and, for the JVM, live heap); then per client count, after a warm-up,
 * delivered messages/s while publishing, the share of what was offered that arrived by the end of
 * a drain, p50/p99 delivery latency (publish → client) and CPU of the server process per 1,000
 * delivered messages (and of the clients, to show they were not the limit).
 */
public final class FanOutBenchmark {

    private static final Logger log = LoggerFactory.getLogger(FanOutBenchmark.class);
    static final String ACCOUNT = "fanout";
    /** USER_HZ: 100 on every Linux the benchmark runs on (getconf CLK_TCK). */
    private static final long CLOCK_TICKS_PER_SECOND = 100;
    private static final Duration DRAIN = Duration.ofSeconds(2);

    /**
     * @param clientCounts      client counts with traffic, ascending (clients are added, not reconnected)
     * @param messagesPerSecond messages per second on each of the two channels, i.e. per client
     * @param warmup            publishing before each measurement (JIT, buffers)
     * @param measure           measured publishing time per count and server
     * @param idleClients       clients connected for the idle-memory measurement
     * @param clientThreads     selector threads of the clients
     * @param gatewayJvm        JVM options of the gateway process
     * @param nodeDir           directory of broadcast-server.js and its package-lock.json
     */
    public record Options(List<Integer> clientCounts, int messagesPerSecond, Duration warmup, Duration measure, int idleClients,
                          int clientThreads, List<String> gatewayJvm, Path nodeDir) {

        /** The gateway's JVM by default: G1, returning free heap to the OS after a GC ({@code --gateway-jvm} replaces it). */
        static final List<String> GATEWAY_JVM = List.of("-Xms64m", "-Xmx1g", "-XX:+UseG1GC", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30");

        public static Options defaults() {
            return new Options(List.of(5_000, 10_000), 20, Duration.ofSeconds(5), Duration.ofSeconds(10), 10_000, 2, GATEWAY_JVM,
                    defaultNodeDir());
        }

        public static Options smoke() {
            return new Options(List.of(50), 10, Duration.ofSeconds(1), Duration.ofSeconds(2), 50, 1,
                    List.of("-Xms64m", "-Xmx512m", "-XX:+UseG1GC"), defaultNodeDir());
        }

        static Path defaultNodeDir() {
            String root = System.getProperty("etrms.repo.root");
            return root != null ? Path.of(root, "benchmarks", "node") : Path.of("benchmarks", "node");
        }
    }

    private final Options options;

    public FanOutBenchmark(Options options) {
        this.options = options;
    }

    public BenchReport run(Path resultsDir) throws Exception {
        BenchReport report = new BenchReport("fanout", "WebSocket fan-out: ws-gateway vs a minimal Node.js ws broadcast server");
        report.parameter("clients", options.clientCounts())
                .parameter("channels", "client i on risk-metrics when i is even, alerts when odd; one account")
                .parameter("offered_per_client", options.messagesPerSecond() + " msgs/s (" + options.messagesPerSecond()
                        + " risk-metrics/s + " + options.messagesPerSecond() + " alerts/s published)")
                .parameter("warmup_s", options.warmup().toSeconds())
                .parameter("measure_s", options.measure().toSeconds())
                .parameter("idle_clients", options.idleClients())
                .parameter("client_threads", options.clientThreads())
                .parameter("gateway_jvm", String.join(" ", options.gatewayJvm()) + ", its own process")
                .parameter("node", NodeBroadcastServer.version() + ", ws 8.18.3, its own process")
                .parameter("process", "broker, publisher, feed bridge and all clients in the benchmark JVM")
                .parameter("bench_jvm", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        report.machineBefore(MachineSnapshot.take());
        SvgChart rateChart = new SvgChart("Fan-out: delivered messages/s (higher is better)", "messages/s");

        try (ScratchDirectory scratch = new ScratchDirectory("etrms-bench-fanout");
             EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startOnFreePorts(scratch.resolve("kafka"));
             KafkaProducer<String, byte[]> producer = KafkaClientSettings.newProducer(broker.bootstrapServers(), KafkaClientSettings.PACED_LINGER_MS);
             FanOutClients clients = new FanOutClients(options.clientThreads())) {
            Topics topics = new Topics("fan-" + UUID.randomUUID().toString().substring(0, 6) + ".", Topics.DEFAULT_PARTITIONS);
            TopicAdmin.ensureTopics(TopicAdmin.adminConfig(broker.bootstrapServers()), topics.all(), (short) 1);
            try (CommitWatcher watcher = new CommitWatcher(broker.bootstrapServers())) {
                watcher.awaitLeaders(topics.all().stream().map(t -> t.name()).toList(), Duration.ofSeconds(60));
            }
            SnapshotPublisher publisher = new SnapshotPublisher(producer, topics, ACCOUNT);
            Path logs = scratch.resolve("logs");

            Measured gw;
            try (ChildProcess gateway = ChildProcess.java("gateway", GatewayProcess.class.getName(), options.gatewayJvm(),
                    List.of(broker.bootstrapServers(), topics.prefix()), logs.resolve("gateway.log"))) {
                int port = Integer.parseInt(gateway.awaitReady(Duration.ofSeconds(90)));
                gw = measureServer(new Server("ws-gateway", port, gateway.pid(), true, null), clients, publisher);
            }
            Measured node;
            try (NodeBroadcastServer nodeServer = NodeBroadcastServer.start(options.nodeDir(), logs);
                 FeedBridge bridge = new FeedBridge(broker.bootstrapServers(), topics, nodeServer.port())) {
                node = measureServer(new Server("node ws", nodeServer.port(), nodeServer.pid(), false, nodeServer), clients, publisher);
            }
            for (int i = 0; i < options.clientCounts().size(); i++) {
                int n = options.clientCounts().get(i);
                Map<String, Object> g = gw.rows.get(i);
                Map<String, Object> b = node.rows.get(i);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("clients", (long) n);
                row.put("gw_msgs_s", g.get("msgs_s"));
                row.put("node_msgs_s", b.get("msgs_s"));
                row.put("msgs_ratio", BenchReport.ratio((Double) g.get("msgs_s"), (Double) b.get("msgs_s")));
                row.put("gw_delivered_pct", g.get("delivered_pct"));
                row.put("node_delivered_pct", b.get("delivered_pct"));
                row.put("gw_p50_ms", g.get("p50_ms"));
                row.put("node_p50_ms", b.get("p50_ms"));
                row.put("gw_p99_ms", g.get("p99_ms"));
                row.put("node_p99_ms", b.get("p99_ms"));
                row.put("p99_ratio", BenchReport.ratio((Double) g.get("p99_ms"), (Double) b.get("p99_ms")));
                row.put("gw_cpu_pct", g.get("cpu_pct"));
                row.put("node_cpu_pct", b.get("cpu_pct"));
                row.put("gw_cpu_ms_per_1k_msgs", g.get("cpu_ms_per_1k_msgs"));
                row.put("node_cpu_ms_per_1k_msgs", b.get("cpu_ms_per_1k_msgs"));
                row.put("gw_client_cpu_ms_per_1k", g.get("client_cpu_ms_per_1k_msgs"));
                row.put("node_client_cpu_ms_per_1k", b.get("client_cpu_ms_per_1k_msgs"));
                row.put("gw_bench_jvm_cpu_ms_per_1k", g.get("bench_jvm_cpu_ms_per_1k_msgs"));
                row.put("node_bench_jvm_cpu_ms_per_1k", b.get("bench_jvm_cpu_ms_per_1k_msgs"));
                row.put("gw_rss_mb", g.get("rss_mb"));
                row.put("node_rss_mb", b.get("rss_mb"));
                row.put("gw_closed_by_server", g.get("closed_by_server"));
                row.put("node_closed_by_server", b.get("closed_by_server"));
                row.put("gw_load", g.get("load"));
                row.put("node_load", b.get("load"));
                report.row(row);
                rateChart.bar(n + " clients", "ws-gateway", (Double) g.get("msgs_s"));
                rateChart.bar(n + " clients", "Node.js ws baseline", (Double) b.get("msgs_s"));
            }
            Map<String, Object> last = report.rows().get(report.rows().size() - 1);
            Map<String, Object> first = report.rows().get(0);
            report.summary("clients", options.clientCounts().get(options.clientCounts().size() - 1))
                    .summary("msgs_ratio_gateway_to_node", last.get("msgs_ratio"))
                    .summary("p99_ratio_gateway_to_node_at_" + options.clientCounts().get(0), first.get("p99_ratio"))
                    .summary("idle_clients", options.idleClients())
                    .summary("gateway_idle_kb_per_connection", gw.idleKbPerConnection)
                    .summary("gateway_idle_heap_kb_per_connection", gw.idleHeapKbPerConnection)
                    .summary("node_idle_kb_per_connection", node.idleKbPerConnection)
                    .summary("idle_memory_ratio_gateway_to_node", BenchReport.ratio(gw.idleKbPerConnection, node.idleKbPerConnection))
                    .summary("gateway_cpu_ms_per_1k_msgs", last.get("gw_cpu_ms_per_1k_msgs"))
                    .summary("node_cpu_ms_per_1k_msgs", last.get("node_cpu_ms_per_1k_msgs"));
        }
        report.note("msgs_s = messages received by all clients during the publishing window / its length; delivered_pct = received by "
                + "the end of a " + DRAIN.toSeconds() + " s drain / (clients × messages published on their channel). Latency = client "
                + "receive − publisher stamp (bench_sent_us, the message's first field), both in the benchmark JVM, over the window and drain.");
        report.note("Idle memory per connection = (server RSS with idle_clients connected − RSS with none, both after a full GC: jcmd "
                + "GC.run for the JVM, global.gc() for Node.js) / idle_clients; gateway heap = live heap after the GC, same difference.");
        report.note("cpu_pct = the server process's user + system CPU time during the window, 100 = one core; cpu_ms_per_1k_msgs = that "
                + "CPU time per 1000 messages received (the cost of a delivery); client_cpu_ms_per_1k = the same for the client threads, "
                + "bench_jvm_cpu_ms_per_1k for the whole benchmark JVM (clients, their GC, broker, publisher, feed bridge). "
                + "The gateway's figure includes its own Kafka consumer; the Node.js server's feed consumer runs in the benchmark JVM.");
        report.note("load = the 1-minute load average when the server's measurement ended (the machine is shared).");
        report.note("Targets (issue L): at 10 k clients × 20 msgs/s delivered/s ≥ 1.5× Node.js's; p99 ≤ Node.js's at 5 k × 20; "
                + "memory per idle connection ≤ 2× Node.js's.");
        report.machineAfter(MachineSnapshot.take());
        report.writeJson(resultsDir.resolve("fanout.json"));
        rateChart.write(resultsDir.resolve("fanout.svg"));
        return report;
    }

    private record Server(String name, int port, long pid, boolean jvm, NodeBroadcastServer node) {
    }

    private static final class Measured {
        final List<Map<String, Object>> rows = new ArrayList<>();
        double idleKbPerConnection;
        Double idleHeapKbPerConnection;
    }

    private Measured measureServer(Server server, FanOutClients clients, SnapshotPublisher publisher) throws Exception {
        Measured measured = new Measured();
        // Warm-up with no clients (JIT, buffers), then the footprint with none and with idleClients idle clients.
        publisher.publishFor(options.warmup(), options.messagesPerSecond());
        Thread.sleep(1_000);
        long heap0 = fullGc(server);
        long rss0 = ProcessMemory.rssKb(server.pid());
        clients.connectUpTo(options.idleClients(), server.port(), ACCOUNT, 256, Duration.ofSeconds(120));
        long idleOpen = clients.openSessions();
        Thread.sleep(2_000);
        long heapIdle = fullGc(server);
        long rssIdle = ProcessMemory.rssKb(server.pid());
        measured.idleKbPerConnection = BenchReport.round((double) (rssIdle - rss0) / options.idleClients());
        measured.idleHeapKbPerConnection = server.jvm() && heap0 > 0 && heapIdle > 0
                ? BenchReport.round((double) (heapIdle - heap0) / options.idleClients()) : null;
        log.info("{}: {} idle connections ({} open): {} KB RSS each ({} KB heap); RSS {} → {} MB", server.name(), options.idleClients(),
                idleOpen, measured.idleKbPerConnection, measured.idleHeapKbPerConnection, rss0 / 1024, rssIdle / 1024);
        clients.closeAll();
        Thread.sleep(1_000);
        try {
            for (int n : options.clientCounts()) {
                double connectSeconds = clients.connectUpTo(n, server.port(), ACCOUNT, 256, Duration.ofSeconds(120));
                long open = clients.openSessions();
                publisher.publishFor(options.warmup(), options.messagesPerSecond());
                Thread.sleep(DRAIN.toMillis());

                clients.resetWindow();
                long closedBefore = clients.closedByServer();
                long cpuBefore = cpuMillis(server.pid());
                long clientCpuBefore = clients.cpuMillis();
                long benchCpuBefore = cpuMillis(ProcessHandle.current().pid());
                long windowStart = System.nanoTime();
                long perChannel = publisher.publishFor(options.measure(), options.messagesPerSecond());
                long inWindow = clients.messages();
                double windowSeconds = (System.nanoTime() - windowStart) / 1e9;
                long cpuUsed = cpuMillis(server.pid()) - cpuBefore;
                long clientCpuUsed = clients.cpuMillis() - clientCpuBefore;
                long benchCpuUsed = cpuMillis(ProcessHandle.current().pid()) - benchCpuBefore;
                Thread.sleep(DRAIN.toMillis());
                long received = clients.messages();
                Histogram latency = clients.latencySinceReset();
                double offered = (clients.riskMetricsClients() + clients.alertClients()) * (double) perChannel;
                long rss = ProcessMemory.rssKb(server.pid());

                Map<String, Object> row = new LinkedHashMap<>();
                row.put("msgs_s", BenchReport.round(inWindow / windowSeconds));
                row.put("delivered_pct", BenchReport.round(100.0 * received / offered));
                row.put("p50_ms", BenchReport.round(percentileMillis(latency, 50)));
                row.put("p99_ms", BenchReport.round(percentileMillis(latency, 99)));
                row.put("cpu_pct", BenchReport.round(100.0 * cpuUsed / 1000.0 / windowSeconds));
                row.put("cpu_ms_per_1k_msgs", inWindow == 0 ? null : BenchReport.round(1000.0 * cpuUsed / inWindow));
                row.put("client_cpu_ms_per_1k_msgs", inWindow == 0 ? null : BenchReport.round(1000.0 * clientCpuUsed / inWindow));
                row.put("bench_jvm_cpu_ms_per_1k_msgs", inWindow == 0 ? null : BenchReport.round(1000.0 * benchCpuUsed / inWindow));
                row.put("rss_mb", BenchReport.round(rss / 1024.0));
                row.put("connect_s", BenchReport.round(connectSeconds));
                row.put("open", open);
                row.put("closed_by_server", clients.closedByServer() - closedBefore + clients.connectFailures());
                row.put("load", loadAverage1());
                measured.rows.add(row);
                log.info("{} with {} clients ({} open): {} msgs/s ({} % of offered), p50 {} ms, p99 {} ms, CPU {} % ({} ms per 1k msgs; clients {},"
                                + " benchmark JVM {}), closed {} {}", server.name(), n, open, row.get("msgs_s"), row.get("delivered_pct"),
                        row.get("p50_ms"), row.get("p99_ms"), row.get("cpu_pct"), row.get("cpu_ms_per_1k_msgs"), row.get("client_cpu_ms_per_1k_msgs"),
                        row.get("bench_jvm_cpu_ms_per_1k_msgs"), row.get("closed_by_server"), clients.closeCodes());
            }
        } finally {
            clients.closeAll();
        }
        return measured;
    }

    /** Full GC in the server (jcmd for the JVM, the baseline's own /gc for Node.js); the JVM's live heap after it, KiB, or -1. */
    private static long fullGc(Server server) throws Exception {
        if (server.jvm()) {
            return ProcessMemory.heapUsedAfterGcKb(server.pid());
        }
        server.node().gc();
        return -1;
    }

    private static String loadAverage1() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    /** User + system CPU time of process {@code pid} so far in ms (Linux {@code /proc/PID/stat}), -1 if unknown. */
    static long cpuMillis(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // fields after the command name, which may contain spaces: state is field 3, utime 14, stime 15
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return ticks * 1000 / CLOCK_TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static double percentileMillis(Histogram h, double p) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(p) / 1000.0;
    }
}
