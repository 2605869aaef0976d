package io.etrms.cluster;

import io.etrms.model.Json;
import io.etrms.model.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.awaitility.Awaitility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The crash loop: the same data set through ETRMS twice on one 3-node KRaft cluster of separate
 * processes — once by a single streams-app instance that is never disturbed (the clean run), once
 * by several instances of one application while they are killed with SIGKILL and started again,
 * one after the other, {@code --kills} times (the crash run) — and then the drift: every way the
 * crash run's final positions (last value and whole fill history of every position) and accounts
 * differ from the clean run's, plus any record either run dead-lettered (the data set is valid
 * throughout). It must be 0.
 *
 * <p>Kills are spread over the crash run by its progress (the share of input records stage 1 has
 * committed), so they land while fills are being processed, also during the state restoration
 * that the previous kill caused; or, with {@code --kill-interval-seconds}, at a fixed interval
 * (then a kill may also hit an instance that is still starting or restoring). Each killed instance is started again at once on its state
 * directory, as a container restart would.
 *
 * <p>A benchmark-style command, not part of the test suite: {@code cluster-tests/crash-loop.sh}.
 */
@Command(name = "crash-loop", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Kills and restarts streams-app instances during a large run and reports the drift from a clean run (must be 0).")
public final class CrashLoop implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(CrashLoop.class);

    @Option(names = "--fills", description = "Distinct fills in the data set (default: ${DEFAULT-VALUE}).", defaultValue = "1000000")
    int fills;

    @Option(names = "--kills", description = "SIGKILLs of a streams-app instance during the crash run (default: ${DEFAULT-VALUE}).", defaultValue = "20")
    int kills;

    @Option(names = "--kill-interval-seconds", defaultValue = "0",
            description = "Kill every this many seconds from the start of the feed instead of at even steps of stage 1's progress (0, the default: by progress).")
    int killIntervalSeconds;

    @Option(names = "--instances", description = "streams-app instances of the crash run (default: ${DEFAULT-VALUE}).", defaultValue = "2")
    int instances;

    @Option(names = "--partitions", description = "Partitions of every topic (default: ${DEFAULT-VALUE}).", defaultValue = "6")
    int partitions;

    @Option(names = "--accounts", description = "Accounts trading (default: ${DEFAULT-VALUE}).", defaultValue = "6")
    int accounts;

    @Option(names = "--ticks-per-fill", description = "Price ticks per fill (default: ${DEFAULT-VALUE}).", defaultValue = "0.1")
    double ticksPerFill;

    @Option(names = "--seed", description = "Seed of the data set (default: ${DEFAULT-VALUE}).", defaultValue = "20261125")
    long seed;

    @Option(names = "--dir", description = "Where brokers, state and logs go (default: ${DEFAULT-VALUE}).", defaultValue = "cluster-tests/target/cluster-runs")
    Path baseDir;

    @Option(names = "--skip-clean-run", description = "Skip the clean run, so no drift figure (for trying kill schedules quickly).")
    boolean skipCleanRun;

    @Option(names = "--keep", description = "Keep the brokers' data and the state directories after the run.")
    boolean keep;

    public static void main(String[] args) {
        System.exit(new CommandLine(new CrashLoop()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path runDir = RunDirectory.create(baseDir, "crash-loop");
        String classpath = RunDirectory.childClasspath(Path.of("cluster-tests").toAbsolutePath(), runDir);
        Map<String, BigDecimal> symbols = new LinkedHashMap<>();
        symbols.put("BTC/USDT:USDT", new BigDecimal("65000"));
        symbols.put("ETH/USDT", new BigDecimal("3200"));
        symbols.put("SOL/USDT", new BigDecimal("150"));
        DataSet.Spec spec = new DataSet.Spec(DataSet.accountsCovering(partitions, accounts), List.of("binance", "coinbase"),
                symbols, fills, ticksPerFill, 0.01, 20, seed, 0);
        // A replay of a recorded feed that ended an hour ago. 1 M fills span ~31 h of event time; a
        // fill more than a day past the wall clock when stage 1 reads it is invalid (dead-lettered),
        // so a data set starting near now would be cut off at a point that depends on when each run
        // got there.
        long span = DataSet.generate(spec).lastEventTime();
        DataSet data = DataSet.generate(spec.startingAt((System.currentTimeMillis() - Duration.ofHours(1).toMillis() - span) / 1000 * 1000));
        Report report = new Report(runDir, data, kills, instances, partitions);
        log.info("crash loop in {}: {}", runDir, data);

        Map<String, String> streams = Map.of("session.timeout.ms", "6000", "heartbeat.interval.ms", "1500",
                "topic.min.insync.replicas", "2");
        try (ProcessDeployment clean = ProcessDeployment.start(runDir.resolve("clean"), classpath,
                new ProcessDeployment.Settings(3, partitions, "clean.", "etrms-clean", streams, Map.of()), Duration.ofMinutes(3))) {
            OutputSummary expected = null;
            if (!skipCleanRun) {
                long t = System.nanoTime();
                clean.startStreams(1);
                clean.awaitStreamsMembers(1, Duration.ofMinutes(3));
                expected = feedAndSummarize(clean, data, null, report);
                report.cleanRun = Duration.ofNanos(System.nanoTime() - t);
                clean.service("streams-1").terminate(Duration.ofSeconds(30));
                log.info("clean run done in {} s", report.cleanRun.toSeconds());
            }

            // The crash run: same cluster, other topics and application id.
            ProcessDeployment crash = clean.alongside(runDir.resolve("crash"),
                    new ProcessDeployment.Settings(3, partitions, "crash.", "etrms-crash", streams, Map.of()));
            long t = System.nanoTime();
            for (int n = 1; n <= instances; n++) {
                crash.startStreams(n);
            }
            crash.awaitStreamsMembers(instances, Duration.ofMinutes(3));
            OutputSummary actual = feedAndSummarize(crash, data, crash, report);
            report.crashRun = Duration.ofNanos(System.nanoTime() - t);
            crash.stopServices();

            if (expected != null) {
                report.differences = new ArrayList<>(expected.differencesFrom(actual));
                report.differences.addAll(report.deadLetterDifferences());
            }
            report.positionRecords = actual.positionRecords();
            report.accountRecords = actual.accountRecords();
        } finally {
            ChildJvm.killAll();
            if (!keep) {
                ReferenceRun.deleteRecursively(runDir.resolve("clean"));
                ReferenceRun.deleteRecursively(runDir.resolve("crash"));
                ReferenceRun.deleteRecursively(runDir.resolve("lib"));
            }
        }
        report.print(System.out);
        report.write(runDir.resolve("report.txt"));
        return report.differences == null || report.differences.isEmpty() ? 0 : 1;
    }

    /**
     * Sends the data set (as fast as the producer goes), kills instances of {@code victims} on the
     * way when given, then the closing ticks once stage 1 has every fill, and summarizes the outputs.
     */
    private OutputSummary feedAndSummarize(ProcessDeployment deployment, DataSet data, ProcessDeployment victims, Report report)
            throws Exception {
        Topics topics = deployment.topics();
        // What stage 1 reads (fills and prices; transfers go to stage 2).
        long total = data.records().stream().filter(r -> !r.topic().equals("transfers")).count();
        try (Feeder feeder = new Feeder(Feeder.newProducer(deployment.bootstrapServers()), topics);
             Admin admin = Admin.create(deployment.kafka().adminConfig())) {
            long started = System.nanoTime();
            feeder.start(data.records(), 0);
            int[] done = {0};
            // Poll the progress; kill when it crosses the next mark; done once stage 1 has every record.
            Awaitility.await("crash run of " + topics.prefix()).atMost(Duration.ofMinutes(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        if (feeder.failed() > 0) {
                            throw new IllegalStateException("Kafka refused records", feeder.firstFailure());
                        }
                        supervise(deployment, victims == null ? 1 : instances, started, report);
                        ProcessDeployment.Lag lag = deployment.lag(admin);
                        long processed = deployment.instrumentStageCommitted(admin);
                        boolean due = killIntervalSeconds > 0
                                ? System.nanoTime() - started >= (done[0] + 1) * killIntervalSeconds * 1_000_000_000L
                                : processed >= total * (done[0] + 1) / (kills + 1);
                        if (victims != null && done[0] < kills && due) {
                            int n = done[0] % instances + 1;
                            long at = System.nanoTime();
                            victims.service("streams-" + n).kill();
                            victims.startStreams(n);
                            done[0]++;
                            report.kills.add(String.format("kill #%d: streams-%d at %.1f s, %,d of %,d input records processed by stage 1",
                                    done[0], n, (at - started) / 1e9, processed, total));
                            log.info(report.kills.get(report.kills.size() - 1));
                        }
                        return feeder.awaitDone(Duration.ZERO) && lag.instrumentStage() == 0 && (victims == null || done[0] == kills);
                    });
            data.closingTicks().forEach(feeder::send);
            feeder.flush();
            if (feeder.failed() > 0) {
                throw new IllegalStateException("Kafka refused records", feeder.firstFailure());
            }
            Awaitility.await("both stages caught up").atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions().until(() -> {
                        supervise(deployment, victims == null ? 1 : instances, started, report);
                        return deployment.lag(admin).isZero();
                    });
            log.info("{}: every record processed {} s after the first was sent", topics.prefix(), (System.nanoTime() - started) / 1_000_000_000);
        }
        DeadLetters deadLetters = DeadLetters.read(deployment.bootstrapServers(), topics.deadLetters.name());
        if (victims == null) {
            report.cleanDeadLetters = deadLetters;
        } else {
            report.crashDeadLetters = deadLetters;
        }
        // the closing ticks' re-marked positions go out at the next mark interval, after the lag is 0
        OutputSummary[] summary = {null};
        Awaitility.await("every position marked by its closing tick").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    summary[0] = CommittedTopics.summary(deployment.bootstrapServers(), topics.positions.name(), topics.accounts.name(), false);
                    return summary[0].notYetMarkedBy(data.closingTicks()).isEmpty();
                });
        return summary[0];
    }

    /** What a run sent to {@code dead-letters}: how many records, and the first one's error. */
    record DeadLetters(long count, String firstError) {
        static DeadLetters read(String bootstrapServers, String topic) {
            long[] count = {0};
            String[] first = {null};
            CommittedTopics.read(bootstrapServers, topic, (key, json) -> {
                if (count[0]++ == 0) {
                    try {
                        first[0] = Json.MAPPER.readTree(json).path("error").asText();
                    } catch (IOException e) {
                        first[0] = json;
                    }
                }
            });
            return new DeadLetters(count[0], first[0]);
        }

        @Override
        public String toString() {
            return String.format("%,d", count) + (firstError == null ? "" : " (first: " + firstError + ")");
        }
    }

    /**
     * What a supervisor does (compose {@code restart: unless-stopped}, a Kubernetes Deployment): an
     * instance that exited by itself (streams-app exits 1 when a stage fails for good) is started
     * again on its state directory, and the report says so.
     */
    private static void supervise(ProcessDeployment deployment, int count, long started, Report report) {
        for (int n = 1; n <= count; n++) {
            ChildJvm service = deployment.service("streams-" + n);
            if (!service.isAlive() && !service.wasStopped()) {
                int status = service.exitValue();
                deployment.startStreams(n);
                report.restarts.add(String.format("%sstreams-%d exited by itself (status %d) at %.1f s: restarted",
                        deployment.topics().prefix(), n, status, (System.nanoTime() - started) / 1e9));
                log.info(report.restarts.get(report.restarts.size() - 1));
            }
        }
    }

    /** What the run measured; printed and written to {@code report.txt}. */
    private static final class Report {
        final Path runDir;
        final DataSet data;
        final int plannedKills;
        final int instances;
        final int partitions;
        final List<String> kills = new ArrayList<>();
        final List<String> restarts = new ArrayList<>();
        Duration cleanRun;
        Duration crashRun;
        List<String> differences;
        DeadLetters cleanDeadLetters;
        DeadLetters crashDeadLetters;
        long positionRecords;
        long accountRecords;

        Report(Path runDir, DataSet data, int plannedKills, int instances, int partitions) {
            this.runDir = runDir;
            this.data = data;
            this.plannedKills = plannedKills;
            this.instances = instances;
            this.partitions = partitions;
        }

        void print(PrintStream out) {
            out.println("ETRMS crash loop, " + Instant.now());
            out.println("data set: " + data);
            out.printf("cluster: 3 KRaft nodes (separate JVMs), replication 3, min.insync.replicas 2, %d partitions per topic%n", partitions);
            out.printf("machine: %d cores; every broker, streams-app and this driver on it%n", Runtime.getRuntime().availableProcessors());
            if (cleanRun != null) {
                out.printf("clean run: 1 streams-app instance, no crash: %d s (%,.0f input records/s)%n", cleanRun.toSeconds(),
                        data.all().size() / (double) Math.max(1, cleanRun.toSeconds()));
            }
            out.printf("crash run: %d streams-app instances, %d of %d planned SIGKILLs, each instance restarted at once: %d s (%,.0f input records/s)%n",
                    instances, kills.size(), plannedKills, crashRun.toSeconds(), data.all().size() / (double) Math.max(1, crashRun.toSeconds()));
            kills.forEach(k -> out.println("  " + k));
            out.println("restarts after an exit by itself (what a supervisor does): " + restarts.size());
            restarts.forEach(r -> out.println("  " + r));
            out.printf("crash run published %,d position and %,d accounts records%n", positionRecords, accountRecords);
            out.println("dead letters: " + (cleanDeadLetters == null ? "" : "clean run " + cleanDeadLetters + ", ") + "crash run " + crashDeadLetters);
            if (differences == null) {
                out.println("drift: not measured (--skip-clean-run)");
            } else {
                out.println("drift: " + differences.size() + (differences.isEmpty() ? " (final positions, their fill histories and accounts equal the clean run's)" : ""));
                differences.stream().limit(50).forEach(d -> out.println("  " + d));
            }
        }

        /**
         * The data set is valid throughout, so both runs must dead-letter nothing; a record one run
         * dead-letters and the other applies is drift the output comparison would show only indirectly.
         */
        List<String> deadLetterDifferences() {
            List<String> out = new ArrayList<>();
            if (cleanDeadLetters.count() > 0) {
                out.add("the clean run dead-lettered " + cleanDeadLetters + " of a valid data set");
            }
            if (crashDeadLetters.count() != cleanDeadLetters.count()) {
                out.add("the crash run dead-lettered " + crashDeadLetters + ", the clean run " + String.format("%,d", cleanDeadLetters.count()));
            }
            return out;
        }

        void write(Path file) throws IOException {
            try (PrintStream out = new PrintStream(Files.newOutputStream(file), true, StandardCharsets.UTF_8)) {
                print(out);
            }
        }
    }
}
