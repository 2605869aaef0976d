package io.etrms.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The benchmarks' command line: {@code benchmarks/run.sh <topology|holders|latency|fanout|memory|all>}
 * (which runs {@code java -cp benchmarks/target/benchmarks.jar:benchmarks/target/lib/* io.etrms.bench.BenchCli ...}).
 * Each subcommand prints a table and writes {@code <name>.json} and {@code <name>.svg} under the
 * results directory.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "ETRMS benchmarks, each against a baseline measured in the same run.",
        subcommands = {BenchCli.Topology.class, BenchCli.Holders.class, BenchCli.Latency.class, BenchCli.FanOut.class, BenchCli.Memory.class, BenchCli.All.class})
public final class BenchCli implements Callable<Integer> {

    public static void main(String[] args) {
        int rc = new CommandLine(new BenchCli()).execute(args);
        System.exit(rc);
    }

    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return 2;
    }

    /** Where results go: {@code --results-dir}, else {@code -Detrms.bench.results.dir}, else {@code benchmarks/results}. */
    static final class ResultsOption {
        @Option(names = "--results-dir", description = "Directory for <name>.json and <name>.svg (default: benchmarks/results).")
        Path resultsDir;

        Path resolve() throws java.io.IOException {
            Path dir = resultsDir != null ? resultsDir
                    : Path.of(System.getProperty("etrms.bench.results.dir", "benchmarks/results"));
            Files.createDirectories(dir);
            return dir;
        }
    }

    static void finish(BenchReport report, Path dir) {
        report.print(System.out);
        System.out.println("results: " + dir.resolve(report.benchmark() + ".json").toAbsolutePath()
                + " and " + dir.resolve(report.benchmark() + ".svg").toAbsolutePath());
    }

    @Command(name = "topology", mixinStandardHelpOptions = true, description = "Topology throughput, EOS and ALOS, vs raw producer/consumer.")
    static final class Topology implements Callable<Integer> {
        @Mixin ResultsOption results;
        @Option(names = "--fills", description = "Fills to preload (default: ${DEFAULT-VALUE}).")
        int fills = TopologyThroughputBenchmark.Options.defaults().fills();
        @Option(names = "--warm-up-fills", description = "Fills of the unmeasured topology run first (default: as many as --fills).")
        Integer warmUpFills;
        @Option(names = "--ticks-per-fill", description = "Price ticks per fill (default: ${DEFAULT-VALUE}).")
        int ticksPerFill = TopologyThroughputBenchmark.Options.defaults().ticksPerFill();
        @Option(names = "--accounts", description = "Trading accounts (default: ${DEFAULT-VALUE}).")
        int accounts = TopologyThroughputBenchmark.Options.defaults().accounts();
        @Option(names = "--guarantees", split = ",", description = "Processing guarantees (default: exactly_once_v2,at_least_once).")
        List<String> guarantees = TopologyThroughputBenchmark.Options.defaults().guarantees();
        @Option(names = "--streams-config", description = "A streams-app setting for both runs, key=value, repeatable (e.g. producer.retry.backoff.ms=10).")
        java.util.Map<String, String> streamsConfig = new java.util.LinkedHashMap<>();

        @Override
        public Integer call() throws Exception {
            var d = TopologyThroughputBenchmark.Options.defaults();
            var options = new TopologyThroughputBenchmark.Options(fills, warmUpFills == null ? fills : warmUpFills, ticksPerFill, accounts, d.exchanges(), d.symbolsPerExchange(),
                    d.instrumentsPerAccount(), d.partitions(), guarantees, d.commitIntervalMs(), d.timeout(), d.seed(), streamsConfig);
            Path dir = results.resolve();
            finish(new TopologyThroughputBenchmark(options).run(dir), dir);
            return 0;
        }
    }

    @Command(name = "holders", mixinStandardHelpOptions = true,
            description = "Stream-thread CPU and records per tick for 10, 100 and 1,000 accounts holding the instruments, same tick rate.")
    static final class Holders implements Callable<Integer> {
        @Mixin ResultsOption results;
        @Option(names = "--holders", split = ",", description = "Holder counts, the first is the baseline (default: 10,100,1000).")
        List<Integer> holders = HoldersBenchmark.Options.defaults().holders();
        @Option(names = "--ticks-per-second", description = "Tick rate (default: ${DEFAULT-VALUE}).")
        int ticksPerSecond = HoldersBenchmark.Options.defaults().ticksPerSecond();
        @Option(names = "--seconds", description = "Duration of each tick phase (default: ${DEFAULT-VALUE}).")
        long seconds = HoldersBenchmark.Options.defaults().tickPhase().toSeconds();
        @Option(names = "--guarantee", description = "Processing guarantee (default: ${DEFAULT-VALUE}).")
        String guarantee = HoldersBenchmark.Options.defaults().guarantee();

        @Override
        public Integer call() throws Exception {
            var d = HoldersBenchmark.Options.defaults();
            var options = new HoldersBenchmark.Options(holders, d.instruments(), ticksPerSecond, java.time.Duration.ofSeconds(seconds),
                    d.partitions(), guarantee, d.timeout(), d.seed());
            Path dir = results.resolve();
            finish(new HoldersBenchmark(options).run(dir), dir);
            return 0;
        }
    }

    @Command(name = "latency", mixinStandardHelpOptions = true, description = "Fill → WebSocket latency, EOS and ALOS, commit.interval.ms sweep, vs produce → consumer.")
    static final class Latency implements Callable<Integer> {
        @Mixin ResultsOption results;
        @Option(names = "--scale", description = "Fraction of the spec rate (5000 fills/s + 20000 ticks/s) to offer (default: ${DEFAULT-VALUE}).")
        double scale = LatencyBenchmark.Options.defaults().scale();
        @Option(names = "--commit-intervals", split = ",", description = "commit.interval.ms values to sweep (default: 25,100,500).")
        List<Integer> commitIntervals = LatencyBenchmark.Options.defaults().commitIntervalsMs();
        @Option(names = "--guarantees", split = ",", description = "Processing guarantees (default: exactly_once_v2,at_least_once).")
        List<String> guarantees = LatencyBenchmark.Options.defaults().guarantees();
        @Option(names = "--warmup-seconds", description = "Warm-up per configuration (default: ${DEFAULT-VALUE}).")
        int warmupSeconds = (int) LatencyBenchmark.Options.defaults().warmup().toSeconds();
        @Option(names = "--measure-seconds", description = "Measured time per configuration (default: ${DEFAULT-VALUE}).")
        int measureSeconds = (int) LatencyBenchmark.Options.defaults().measure().toSeconds();
        @Option(names = "--jit-warmup-seconds", description = "Unmeasured run of the first configuration before the measured ones, "
                + "so that they see compiled code (default: ${DEFAULT-VALUE}; 0 skips it).")
        int jitWarmupSeconds = (int) LatencyBenchmark.Options.defaults().jitWarmup().toSeconds();
        @Option(names = "--streams-config", description = "A streams-app setting for every run, key=value, repeatable (e.g. producer.retry.backoff.ms=10).")
        java.util.Map<String, String> streamsConfig = new java.util.LinkedHashMap<>();

        @Override
        public Integer call() throws Exception {
            var d = LatencyBenchmark.Options.defaults();
            var options = new LatencyBenchmark.Options(scale, d.accounts(), d.exchanges(), d.symbolsPerExchange(), d.instrumentsPerAccount(),
                    d.partitions(), guarantees, commitIntervals, Duration.ofSeconds(warmupSeconds), Duration.ofSeconds(measureSeconds),
                    Duration.ofSeconds(jitWarmupSeconds), d.seed(),
                    streamsConfig);
            Path dir = results.resolve();
            finish(new LatencyBenchmark(options).run(dir), dir);
            return 0;
        }
    }

    @Command(name = "fanout", mixinStandardHelpOptions = true,
            description = "WebSocket fan-out (5k and 10k clients x 20 msgs/s, memory of 10k idle connections) vs a Node.js ws broadcast server.")
    static final class FanOut implements Callable<Integer> {
        @Mixin ResultsOption results;
        @Option(names = "--clients", split = ",", description = "Client counts with traffic (default: 5000,10000).")
        List<Integer> clients = FanOutBenchmark.Options.defaults().clientCounts();
        @Option(names = "--rate", description = "Messages per second per client (published on each of risk-metrics and alerts) (default: ${DEFAULT-VALUE}).")
        int rate = FanOutBenchmark.Options.defaults().messagesPerSecond();
        @Option(names = "--warmup-seconds", description = "Publishing before each measurement (default: ${DEFAULT-VALUE}).")
        int warmupSeconds = (int) FanOutBenchmark.Options.defaults().warmup().toSeconds();
        @Option(names = "--measure-seconds", description = "Measured time per client count and server (default: ${DEFAULT-VALUE}).")
        int measureSeconds = (int) FanOutBenchmark.Options.defaults().measure().toSeconds();
        @Option(names = "--idle-clients", description = "Idle connections for the memory measurement (default: ${DEFAULT-VALUE}).")
        int idleClients = FanOutBenchmark.Options.defaults().idleClients();
        @Option(names = "--client-threads", description = "Selector threads of the clients (default: ${DEFAULT-VALUE}).")
        int clientThreads = FanOutBenchmark.Options.defaults().clientThreads();
        @Option(names = "--node-dir", description = "Directory of the Node.js baseline (default: benchmarks/node).")
        Path nodeDir = FanOutBenchmark.Options.defaults().nodeDir();
        @Option(names = "--gateway-jvm", split = " ", description = "JVM options of the gateway process, space-separated "
                + "(default: -Xms64m -Xmx1g -XX:+UseG1GC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30).")
        List<String> gatewayJvm = FanOutBenchmark.Options.defaults().gatewayJvm();

        @Override
        public Integer call() throws Exception {
            var options = new FanOutBenchmark.Options(clients, rate, Duration.ofSeconds(warmupSeconds), Duration.ofSeconds(measureSeconds),
                    idleClients, clientThreads, gatewayJvm, nodeDir);
            Path dir = results.resolve();
            finish(new FanOutBenchmark(options).run(dir), dir);
            return 0;
        }
    }

    @Command(name = "memory", mixinStandardHelpOptions = true, description = "RSS of the local default (./etrms) idle and under load vs a bare broker.")
    static final class Memory implements Callable<Integer> {
        @Mixin ResultsOption results;
        @Option(names = "--idle-seconds", description = "Idle phase (default: ${DEFAULT-VALUE}).")
        int idleSeconds = (int) MemoryBenchmark.Options.defaults().idle().toSeconds();
        @Option(names = "--load-seconds", description = "Load phase (default: ${DEFAULT-VALUE}).")
        int loadSeconds = (int) MemoryBenchmark.Options.defaults().load().toSeconds();
        @Option(names = "--scale", description = "Extra load as a fraction of 5000 fills/s + 20000 ticks/s (default: ${DEFAULT-VALUE}).")
        double scale = MemoryBenchmark.Options.defaults().scale();
        @Option(names = "--clients", description = "WebSocket clients during the load phase (default: ${DEFAULT-VALUE}).")
        int clients = MemoryBenchmark.Options.defaults().clients();

        @Override
        public Integer call() throws Exception {
            var d = MemoryBenchmark.Options.defaults();
            var options = new MemoryBenchmark.Options(Duration.ofSeconds(idleSeconds), Duration.ofSeconds(loadSeconds), scale, clients, d.jvmOptions());
            Path dir = results.resolve();
            finish(new MemoryBenchmark(options).run(dir), dir);
            return 0;
        }
    }

    @Command(name = "all", mixinStandardHelpOptions = true, description = "Every benchmark with its defaults, one after the other.")
    static final class All implements Callable<Integer> {
        @Mixin ResultsOption results;

        @Override
        public Integer call() throws Exception {
            Path dir = results.resolve();
            finish(new TopologyThroughputBenchmark(TopologyThroughputBenchmark.Options.defaults()).run(dir), dir);
            finish(new HoldersBenchmark(HoldersBenchmark.Options.defaults()).run(dir), dir);
            finish(new LatencyBenchmark(LatencyBenchmark.Options.defaults()).run(dir), dir);
            finish(new FanOutBenchmark(FanOutBenchmark.Options.defaults()).run(dir), dir);
            finish(new MemoryBenchmark(MemoryBenchmark.Options.defaults()).run(dir), dir);
            System.out.println("all benchmarks written to " + dir.toAbsolutePath() + " " + Arrays.toString(new String[] {"topology", "holders", "latency", "fanout", "memory"}));
            return 0;
        }
    }
}
