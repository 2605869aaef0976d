package io.etrms.bench;

import io.etrms.kafka.embedded.EmbeddedKafkaBroker;
import io.etrms.model.TopicAdmin;
import io.etrms.model.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Benchmark 3, WebSocket fan-out: 1 k, 5 k and 10 k clients (half on {@code risk-metrics}, half
 * on {@code alerts}, one account) on one ws-gateway running alone in a child JVM, while
 * risk-metrics snapshots and alerts are published to Kafka at a fixed rate. Baseline in the same
 * run, same clients, same messages: the minimal Node.js {@code ws} broadcast server
 * ({@code benchmarks/node}), fed from the same topics by a {@link FeedBridge}.
 *
 * <p>Per server and client count: delivered messages/s (and the share of what was offered),
 * p50/p99 delivery latency (publish → client), and memory per connection: (RSS with n clients −
 * RSS with none) / n, plus for the JVM the live heap per connection after a full GC.
 */
public final class FanOutBenchmark {

    private static final Logger log = LoggerFactory.getLogger(FanOutBenchmark.class);
    static final String ACCOUNT = "fanout";
    /** USER_HZ: 100 on every Linux the benchmark runs on (getconf CLK_TCK). */
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    /**
     * @param clientCounts      client counts, ascending (clients are added, not reconnected)
     * @param messagesPerSecond messages per second on each of the two channels
     * @param measure           measured publishing time per count and server
     * @param gatewayHeap       -Xmx of the gateway JVM
     * @param nodeDir           directory of broadcast-server.js and its package-lock.json
     */
    public record Options(List<Integer> clientCounts, int messagesPerSecond, Duration measure, String gatewayHeap, Path nodeDir) {

        public static Options defaults() {
            return new Options(List.of(1_000, 5_000, 10_000), 2, Duration.ofSeconds(10), "1g", defaultNodeDir());
        }

        public static Options smoke() {
            return new Options(List.of(50), 10, Duration.ofSeconds(2), "512m", defaultNodeDir());
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
                .parameter("offered", options.messagesPerSecond() + " risk-metrics/s + " + options.messagesPerSecond() + " alerts/s")
                .parameter("measure_s", options.measure().toSeconds())
                .parameter("gateway_jvm", "-Xmx" + options.gatewayHeap() + " -XX:+UseG1GC, its own process")
                .parameter("node", NodeBroadcastServer.version() + ", ws 8.18.3, its own process")
                .parameter("process", "broker, publisher, feed bridge and all clients in the benchmark JVM");
        report.machineBefore(MachineSnapshot.take());
        SvgChart rateChart = new SvgChart("Fan-out: delivered messages/s (higher is better)", "messages/s");

        try (ScratchDirectory scratch = new ScratchDirectory("etrms-bench-fanout");
             EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startOnFreePorts(scratch.resolve("kafka"));
             KafkaProducer<String, byte[]> producer = KafkaClientSettings.newProducer(broker.bootstrapServers(), KafkaClientSettings.PACED_LINGER_MS);
             FanOutClients clients = new FanOutClients()) {
            Topics topics = new Topics("fan-" + UUID.randomUUID().toString().substring(0, 6) + ".", Topics.DEFAULT_PARTITIONS);
            TopicAdmin.ensureTopics(TopicAdmin.adminConfig(broker.bootstrapServers()), topics.all(), (short) 1);
            try (CommitWatcher watcher = new CommitWatcher(broker.bootstrapServers())) {
                watcher.awaitLeaders(topics.all().stream().map(t -> t.name()).toList(), Duration.ofSeconds(60));
            }
            SnapshotPublisher publisher = new SnapshotPublisher(producer, topics, ACCOUNT);
            Path logs = scratch.resolve("logs");

            Map<Integer, Map<String, Object>> gatewayRows = new LinkedHashMap<>();
            try (ChildProcess gateway = ChildProcess.java("gateway", GatewayProcess.class.getName(),
                    List.of("-Xms64m", "-Xmx" + options.gatewayHeap(), "-XX:+UseG1GC"),
                    List.of(broker.bootstrapServers(), topics.prefix()), logs.resolve("gateway.log"))) {
                int port = Integer.parseInt(gateway.awaitReady(Duration.ofSeconds(90)));
                Server server = new Server("ws-gateway", port, gateway.pid(), true);
                measureServer(server, clients, publisher, gatewayRows);
            }
            Map<Integer, Map<String, Object>> nodeRows = new LinkedHashMap<>();
            try (NodeBroadcastServer node = NodeBroadcastServer.start(options.nodeDir(), logs);
                 FeedBridge bridge = new FeedBridge(broker.bootstrapServers(), topics, node.port())) {
                Server server = new Server("node ws", node.port(), node.pid(), false);
                measureServer(server, clients, publisher, nodeRows);
            }
            for (int n : options.clientCounts()) {
                Map<String, Object> g = gatewayRows.get(n);
                Map<String, Object> b = nodeRows.get(n);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("clients", (long) n);
                row.put("gw_msgs_s", g.get("msgs_s"));
                row.put("node_msgs_s", b.get("msgs_s"));
                row.put("msgs_ratio", BenchReport.ratio((Double) g.get("msgs_s"), (Double) b.get("msgs_s")));
                row.put("gw_delivered_pct", g.get("delivered_pct"));
                row.put("node_delivered_pct", b.get("delivered_pct"));
                row.put("gw_p50_ms", g.get("p50_ms"));
                row.put("gw_p99_ms", g.get("p99_ms"));
                row.put("node_p99_ms", b.get("p99_ms"));
                row.put("p99_ratio", BenchReport.ratio((Double) g.get("p99_ms"), (Double) b.get("p99_ms")));
                row.put("gw_cpu_pct", g.get("cpu_pct"));
                row.put("node_cpu_pct", b.get("cpu_pct"));
                row.put("gw_cpu_ms_per_1k_msgs", g.get("cpu_ms_per_1k_msgs"));
                row.put("node_cpu_ms_per_1k_msgs", b.get("cpu_ms_per_1k_msgs"));
                row.put("gw_kb_per_conn", g.get("kb_per_conn"));
                row.put("gw_heap_kb_per_conn", g.get("heap_kb_per_conn"));
                row.put("node_kb_per_conn", b.get("kb_per_conn"));
                row.put("mem_ratio", BenchReport.ratio((Double) g.get("kb_per_conn"), (Double) b.get("kb_per_conn")));
                row.put("gw_rss_mb", g.get("rss_mb"));
                row.put("node_rss_mb", b.get("rss_mb"));
                row.put("gw_connect_s", g.get("connect_s"));
                row.put("node_connect_s", b.get("connect_s"));
                row.put("gw_closed_by_server", g.get("closed_by_server"));
                row.put("node_closed_by_server", b.get("closed_by_server"));
                report.row(row);
                rateChart.bar(n + " clients", "ws-gateway", (Double) g.get("msgs_s"));
                rateChart.bar(n + " clients", "Node.js ws baseline", (Double) b.get("msgs_s"));
            }
            int largest = options.clientCounts().get(options.clientCounts().size() - 1);
            Map<String, Object> last = report.rows().get(report.rows().size() - 1);
            report.summary("clients", largest)
                    .summary("msgs_ratio_gateway_to_node", last.get("msgs_ratio"))
                    .summary("p99_ratio_gateway_to_node", last.get("p99_ratio"))
                    .summary("gateway_kb_per_connection", last.get("gw_kb_per_conn"))
                    .summary("node_kb_per_connection", last.get("node_kb_per_conn"));
        }
        report.note("msgs_s = messages received by all clients / publishing time; delivered_pct = received / (clients × messages "
                + "published on their channel); the window ends 0.5 s after the last publish. Latency = client receive − publisher stamp (bench_sent_us), both in the benchmark JVM.");
        report.note("kb_per_conn = (server RSS with n clients − RSS with none, after a warm-up) / n; gw_heap_kb_per_conn = live heap "
                + "after a full GC per connection. The gateway JVM keeps heap it grew into, so its RSS figure is an upper bound.");
        report.note("The gateway reads Kafka itself; the Node.js server is fed the same records by a consumer in the benchmark JVM "
                + "over one more loopback WebSocket hop. The clients run in the benchmark JVM and share the 2 cores with both servers.");
        report.note("cpu_pct = the server process's user + system CPU time during the window (publishing + 0.5 s) / the window, "
                + "100 = one core; cpu_ms_per_1k_msgs = that CPU time per 1000 messages received: the cost of a delivery, "
                + "much less sensitive than msgs_s to what else runs on the machine.");
        report.note("Targets (issue H): 10 k clients at ≤ 30 KB each; fan-out ≥ the Node.js baseline.");
        report.machineAfter(MachineSnapshot.take());
        report.writeJson(resultsDir.resolve("fanout.json"));
        rateChart.write(resultsDir.resolve("fanout.svg"));
        return report;
    }

    private record Server(String name, int port, long pid, boolean jvm) {
    }

    private void measureServer(Server server, FanOutClients clients, SnapshotPublisher publisher,
                               Map<Integer, Map<String, Object>> rows) throws Exception {
        // Warm-up with no clients (JIT, buffers), then the idle footprint.
        Duration warmup = options.measure().compareTo(Duration.ofSeconds(3)) < 0 ? options.measure() : Duration.ofSeconds(3);
        publisher.publishFor(warmup, options.messagesPerSecond());
        Thread.sleep(1_000);
        long idleRss = ProcessMemory.rssKb(server.pid());
        long idleHeap = server.jvm() ? ProcessMemory.heapUsedAfterGcKb(server.pid()) : -1;
        log.info("{}: idle RSS {} MB", server.name(), idleRss / 1024);
        String base = "ws://127.0.0.1:" + server.port() + "/api/v1/ws/";
        try {
            for (int n : options.clientCounts()) {
                double connectSeconds = clients.connectUpTo(n, base, ACCOUNT, 256, Duration.ofSeconds(60));
                Thread.sleep(1_000);
                long heap = server.jvm() ? ProcessMemory.heapUsedAfterGcKb(server.pid()) : -1;
                long rss = ProcessMemory.rssKb(server.pid());
                long open = clients.openSessions();

                clients.resetWindow();
                long closedBefore = clients.closedByServer();
                long cpuBefore = cpuMillis(server.pid());
                long windowStart = System.nanoTime();
                long perChannel = publisher.publishFor(options.measure(), options.messagesPerSecond());
                Thread.sleep(500); // let the last messages arrive
                long received = clients.messages();
                long cpuUsed = cpuMillis(server.pid()) - cpuBefore;
                double windowSeconds = (System.nanoTime() - windowStart) / 1e9;
                Histogram latency = clients.latencySinceReset();
                // The messages were published over perChannel / rate seconds; every client should get each of its channel's.
                double rate = received * (double) options.messagesPerSecond() / perChannel;
                double offered = (clients.riskMetricsClients() + clients.alertClients()) * (double) perChannel;

                Map<String, Object> row = new LinkedHashMap<>();
                row.put("msgs_s", BenchReport.round(rate));
                row.put("delivered_pct", BenchReport.round(100.0 * received / offered));
                row.put("p50_ms", BenchReport.round(percentileMillis(latency, 50)));
                row.put("p99_ms", BenchReport.round(percentileMillis(latency, 99)));
                row.put("cpu_pct", BenchReport.round(100.0 * cpuUsed / 1000.0 / windowSeconds));
                row.put("cpu_ms_per_1k_msgs", received == 0 ? null : BenchReport.round(1000.0 * cpuUsed / received));
                row.put("kb_per_conn", BenchReport.round((double) (rss - idleRss) / n));
                row.put("heap_kb_per_conn", server.jvm() && heap > 0 && idleHeap > 0 ? BenchReport.round((double) (heap - idleHeap) / n) : null);
                row.put("rss_mb", BenchReport.round(rss / 1024.0));
                row.put("connect_s", BenchReport.round(connectSeconds));
                row.put("open", open);
                row.put("closed_by_server", clients.closedByServer() - closedBefore + clients.connectFailures());
                rows.put(n, row);
                log.info("{} with {} clients ({} open): {} msgs/s ({} % of offered), p99 {} ms, {} KB/connection, CPU {} % ({} ms per 1k msgs)",
                        server.name(), n, open, row.get("msgs_s"), row.get("delivered_pct"), row.get("p99_ms"), row.get("kb_per_conn"),
                        row.get("cpu_pct"), row.get("cpu_ms_per_1k_msgs"));
            }
        } finally {
            clients.closeAll();
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
