package io.etrms.local;

import io.etrms.gateway.GatewayServer;
import io.etrms.ingest.IngestServer;
import io.etrms.ingest.DeskSetup;
import io.etrms.ingest.MarketSimulator;
import io.etrms.ingest.SimulatorOptions;
import io.etrms.kafka.embedded.EmbeddedKafkaBroker;
import io.etrms.model.BuildInfo;
import io.etrms.model.EtrmsConfig;
import io.etrms.model.KafkaReachability;
import io.etrms.streams.StreamsApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The whole of ETRMS in one JVM, for a laptop or a demo: a real Kafka broker (embedded KRaft)
 * on localhost:9092, the risk topology, the WebSocket/REST gateway with the dashboard on
 * localhost:8000, HTTP ingest on localhost:8001 and the market simulator. Data stays under {@code --data-dir}; starting again
 * on the same directory resumes where it stopped. With {@code --bootstrap-servers} it attaches to
 * an existing cluster instead of embedding a broker.
 */
@Command(name = "etrms", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class, sortOptions = false,
        description = "Runs ETRMS locally: Kafka broker, risk topology, gateway and market simulator in one JVM.")
public final class LocalStack implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(LocalStack.class);

    /** The simulated desk's accounts: {@code main} (the seed clients' default account) and two more for the overview. */
    static final java.util.List<String> LOCAL_ACCOUNTS = java.util.List.of("main", "alice", "bob");

    @Option(names = "--data-dir", description = "Where the broker log and the Streams state live (default: ${DEFAULT-VALUE}).")
    Path dataDir = Path.of("data");

    @Option(names = "--kafka-port", description = "Port of the embedded broker (default: ${DEFAULT-VALUE}).")
    int kafkaPort = 9092;

    @Option(names = "--controller-port", description = "KRaft controller port of the embedded broker (default: ${DEFAULT-VALUE}).")
    int controllerPort = 9093;

    @Option(names = "--http-port", description = "Gateway port: WebSocket, REST, dashboard (default: ${DEFAULT-VALUE}).")
    int httpPort = 8000;

    @Option(names = "--ingest-port", description = "HTTP ingest port, POST /api/v1/ingest/{fills|prices|transfers} (default: ${DEFAULT-VALUE}; -1: off).")
    int ingestPort = 8001;

    @Option(names = "--bootstrap-servers", description = "Attach to this Kafka cluster instead of embedding a broker.")
    String bootstrapServers;

    @Option(names = "--no-simulator", negatable = true, description = "Do not start the market simulator.")
    boolean noSimulator;

    @Option(names = "--config", description = "Properties file applied to every service.")
    Path configFile;

    @Option(names = "-D", description = "Any setting, key=value (repeatable), e.g. -Detrms.topic.prefix=demo.")
    Map<String, String> settings = new LinkedHashMap<>();

    public static void main(String[] args) {
        int rc = commandLine().execute(args);
        if (rc != 0) {
            System.exit(rc);
        }
    }

    /** The command line: a start that fails for a reason the user can fix (Kafka unreachable, a port taken) prints it in one line, exit 1. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new LocalStack());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof IllegalStateException || e instanceof IllegalArgumentException) {
                commandLine.getErr().println("etrms: " + e.getMessage());
                commandLine.getErr().flush();
                return 1;
            }
            throw e;
        });
        return cli;
    }

    @Override
    public Integer call() throws Exception {
        Running running = start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            stopped.countDown();
        }, "etrms-shutdown"));
        running.printBanner();
        stopped.await();
        return 0;
    }

    /** Starts everything and returns once the gateway listens; close the result to stop, broker last. */
    public Running start() throws Exception {
        Files.createDirectories(dataDir);
        Deque<AutoCloseable> started = new ArrayDeque<>();
        try {
            String bootstrap = bootstrapServers;
            if (bootstrap == null) {
                EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir.resolve("kafka"), kafkaPort, controllerPort);
                started.push(broker);
                bootstrap = broker.bootstrapServers();
            }
            Map<String, String> flags = new LinkedHashMap<>(settings);
            flags.put(EtrmsConfig.BOOTSTRAP_SERVERS, bootstrap);
            flags.put(StreamsApp.STATE_DIR, dataDir.resolve("streams").toString());
            flags.put("etrms.http.port", Integer.toString(httpPort));
            Map<String, String> defaults = new LinkedHashMap<>(StreamsApp.defaults());
            EtrmsConfig config = EtrmsConfig.load(defaults, configFile, System.getenv(), flags);
            if (bootstrapServers != null) {
                // An outside cluster that is not there: say so within 10 s instead of a minute of retries.
                KafkaReachability.require(config, KafkaReachability.DEFAULT_TIMEOUT);
            }

            StreamsApp streams = StreamsApp.start(config);
            started.push(streams);
            GatewayServer gateway = GatewayServer.start(config);
            started.push(gateway);
            int ingestHttpPort = -1;
            if (ingestPort >= 0) {
                IngestServer ingest = IngestServer.start(config.with("etrms.ingest.http.port", Integer.toString(ingestPort)));
                started.push(ingest);
                ingestHttpPort = ingest.port();
            }
            if (!noSimulator) {
                // The demo desk: three accounts in demo/desk-1, a firm limit on demo, the 17:00 New York session.
                started.push(MarketSimulator.start(config, SimulatorOptions.defaults().withAccounts(LOCAL_ACCOUNTS), DeskSetup.local()));
            }
            return new Running(started, bootstrap, gateway.port(), ingestHttpPort, dataDir);
        } catch (Exception | Error e) {
            new Running(started, null, 0, -1, dataDir).close();
            throw e;
        }
    }

    /** The started services, closed in reverse order of start: simulator, ingest, gateway, topology, broker. */
    public static final class Running implements AutoCloseable {
        private final Deque<AutoCloseable> services;
        private final String bootstrapServers;
        private final int httpPort;
        private final int ingestPort;
        private final Path dataDir;

        Running(Deque<AutoCloseable> services, String bootstrapServers, int httpPort, int ingestPort, Path dataDir) {
            this.services = services;
            this.bootstrapServers = bootstrapServers;
            this.httpPort = httpPort;
            this.ingestPort = ingestPort;
            this.dataDir = dataDir;
        }

        public String bootstrapServers() {
            return bootstrapServers;
        }

        public int httpPort() {
            return httpPort;
        }

        void printBanner() {
            String http = "http://localhost:" + httpPort;
            System.out.println();
            System.out.println("ETRMS is running. Ctrl-C stops it (data stays in " + dataDir.toAbsolutePath() + ").");
            System.out.println("  Dashboard   " + http + "/");
            System.out.println("  WebSocket   ws://localhost:" + httpPort + "/api/v1/ws/{positions|accounts|risk-metrics|alerts}");
            System.out.println("  REST        " + http + "/api/v1/positions?account=main");
            System.out.println("  Health      " + http + "/readyz   Metrics " + http + "/metrics");
            if (ingestPort >= 0) {
                System.out.println("  Ingest      POST http://localhost:" + ingestPort + "/api/v1/ingest/{fills|prices|transfers}");
            }
            System.out.println("  Kafka       " + bootstrapServers + "   (topics etrms.*)");
            System.out.println();
        }

        @Override
        public synchronized void close() {
            while (!services.isEmpty()) {
                AutoCloseable service = services.pop();
                try {
                    service.close();
                } catch (Exception e) {
                    log.warn("stopping {} failed", service.getClass().getSimpleName(), e);
                }
            }
        }
    }
}
