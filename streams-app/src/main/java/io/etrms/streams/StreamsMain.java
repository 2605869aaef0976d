package io.etrms.streams;

import io.etrms.model.BuildInfo;
import io.etrms.model.EtrmsConfig;
import io.etrms.streams.health.HealthServer;
import io.etrms.streams.health.StageStates;
import io.etrms.streams.health.StageWatcher;
import io.etrms.streams.metrics.StreamsMetrics;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the risk topology on its own against any Kafka cluster. A stage that stops working for
 * good (Kafka Streams in ERROR, or stopped while this process did not ask it to) makes the process
 * exit with status {@value #EXIT_STAGE_FAILED}, so that its orchestrator restarts it; with
 * {@value #HEALTH_PORT} set, {@code GET /healthz} on that port reports the stages' states and
 * {@code GET /metrics} serves the {@link StreamsMetrics} in Prometheus text.
 */
@Command(name = "etrms-streams", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
        description = "ETRMS risk topology (Kafka Streams): fills and prices in; positions, accounts, risk metrics out.")
public final class StreamsMain implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(StreamsMain.class);

    /** Port of the {@code GET /healthz} endpoint; 0 (the default): no endpoint. */
    public static final String HEALTH_PORT = "etrms.streams.health.port";
    /** Exit status when a stage failed (0: stopped by a signal or {@code --help}). */
    public static final int EXIT_STAGE_FAILED = 1;
    /** How often the stages' states are checked. */
    static final Duration WATCH_INTERVAL = Duration.ofSeconds(1);
    /** Names of {@link StreamsApp#streams()}, in its order. */
    static final List<String> STAGES = List.of("instrument", "account", "group");

    @Option(names = "--config", description = "Properties file (keys as in docs/configuration.md).")
    Path configFile;

    @Option(names = "--bootstrap-servers", description = "Kafka bootstrap servers (default localhost:9092).")
    String bootstrapServers;

    @Option(names = "--state-dir", description = "Kafka Streams state directory.")
    String stateDir;

    @Option(names = "-D", description = "Any setting, key=value (repeatable).", mapFallbackValue = "")
    Map<String, String> settings = new LinkedHashMap<>();

    public static void main(String[] args) {
        System.exit(new CommandLine(new StreamsMain()).execute(args));
    }

    /** {@link StreamsApp#defaults()} and this command's own keys. */
    static Map<String, String> defaults() {
        Map<String, String> defaults = new LinkedHashMap<>(StreamsApp.defaults());
        defaults.put(HEALTH_PORT, "0");
        return defaults;
    }

    @Override
    public Integer call() throws InterruptedException {
        Map<String, String> flags = new LinkedHashMap<>(settings);
        flags.put(EtrmsConfig.BOOTSTRAP_SERVERS, bootstrapServers);
        flags.put(StreamsApp.STATE_DIR, stateDir);
        return run(EtrmsConfig.load(defaults(), configFile, System.getenv(), flags), app -> { });
    }

    /**
     * Starts the stages (and the health endpoint when configured) and runs until the JVM shuts
     * down (0) or a stage fails ({@value #EXIT_STAGE_FAILED}, after closing everything).
     *
     * @param started called with the app once its stages are started (tests reach the stages so)
     */
    public static int run(EtrmsConfig settings, java.util.function.Consumer<StreamsApp> started) throws InterruptedException {
        EtrmsConfig config = settings.withDefaults(defaults());
        int healthPort = config.getInt(HEALTH_PORT);
        if (healthPort < 0 || healthPort > 65_535) {
            throw new IllegalArgumentException(HEALTH_PORT + " must be a port (0: no endpoint), was " + healthPort);
        }

        // The port is bound before anything starts, so that a port in use fails the start at once.
        AtomicReference<StreamsApp> running = new AtomicReference<>();
        StreamsMetrics metrics = new StreamsMetrics();
        HealthServer health = healthPort == 0 ? null
                : HealthServer.start(new InetSocketAddress(healthPort), () -> states(running.get()), metrics::scrape);
        StreamsApp app;
        try {
            app = StreamsApp.start(config, metrics.registry());
        } catch (RuntimeException e) {
            if (health != null) {
                health.close();
            }
            metrics.close();
            throw e;
        }
        running.set(app);
        for (int i = 0; i < app.streams().size(); i++) {
            metrics.bind(stageName(i), app.streams().get(i));
        }
        AtomicBoolean shutdownBegun = new AtomicBoolean();
        AtomicBoolean closed = new AtomicBoolean();
        AtomicReference<String> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        StageWatcher watcher = StageWatcher.start(() -> states(app), shutdownBegun::get, WATCH_INTERVAL, reason -> {
            failure.set(reason);
            done.countDown();
        });
        Runnable close = () -> {
            shutdownBegun.set(true);
            if (closed.compareAndSet(false, true)) {
                watcher.close();
                if (health != null) {
                    health.close();
                }
                app.close();
                metrics.close();
            }
        };
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            close.run();
            done.countDown();
        }, "etrms-streams-shutdown"));
        started.accept(app);
        done.await();
        if (failure.get() == null) {
            return 0;
        }
        close.run();
        log.error("exiting with status {}: {}", EXIT_STAGE_FAILED, failure.get());
        return EXIT_STAGE_FAILED;
    }

    /** The states of {@link StreamsApp#streams()}, named as in {@link #STAGES}; all CREATED before {@code app} exists. */
    static StageStates states(StreamsApp app) {
        Map<String, KafkaStreams.State> states = new LinkedHashMap<>();
        if (app == null) {
            STAGES.forEach(stage -> states.put(stage, KafkaStreams.State.CREATED));
            return new StageStates(states);
        }
        List<KafkaStreams> streams = app.streams();
        for (int i = 0; i < streams.size(); i++) {
            states.put(stageName(i), streams.get(i).state());
        }
        return new StageStates(states);
    }

    private static String stageName(int index) {
        return index < STAGES.size() ? STAGES.get(index) : "stage-" + (index + 1);
    }
}
