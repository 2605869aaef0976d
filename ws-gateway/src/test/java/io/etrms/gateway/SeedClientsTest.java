package io.etrms.gateway;

import io.etrms.gateway.fanout.Channel;
import io.etrms.testing.SeedExamples;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etrms.model.Topics;
import io.etrms.testing.KafkaCluster;
import io.etrms.testing.KafkaClusterExtension;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user's own clients from {@code shared/seed/websocket-api-examples.md}, extracted at test
 * time and run unchanged against a gateway on localhost:8000 (the port they hardcode): the three
 * Python programs with Debian's {@code python3-websockets}, the Node.js program with npm {@code ws}.
 * Each must print data for every endpoint it opens and no error. The browser page of the seed
 * runs in headless Chromium in {@code dashboard.SeedBrowserPageTest}.
 */
@ExtendWith(KafkaClusterExtension.class)
class SeedClientsTest {

    private static final String PYTHON = "/usr/bin/python3";
    private static final Duration DEADLINE = Duration.ofSeconds(40);

    @TempDir
    Path work;

    @Test
    void shouldRunTheSeedPythonConnectionExampleOnAllFourEndpoints(KafkaCluster kafka) throws Exception {
        assumePythonWebsockets();
        String script = SeedExamples.block("Setting Up WebSocket Connection", "python").code();
        runAgainstGateway(kafka, List.of(PYTHON, write("etrms_client.py", script)), Map.of(), 1,
                List.of("Connected to positions WebSocket", "Connected to alerts WebSocket",
                        "Received positions update: {'type': 'positions', 'account': 'main'",
                        "'total_position_value': 31300, 'total_unrealized_pnl': 700",
                        "Received accounts update: {'type': 'accounts', 'account': 'main'",
                        "Received risk-metrics update: {'type': 'risk_metrics', 'account': 'main'",
                        "Received alerts update: {'type': 'circuit_breaker', 'alert_id': 1, 'account': 'main'"),
                List.of("Error", "Traceback", "closed"));
    }

    @Test
    void shouldRunTheSeedPythonAlertHandlerExample(KafkaCluster kafka) throws Exception {
        assumePythonWebsockets();
        String script = SeedExamples.block("Handling Real-time Alerts", "python").code();
        String output = runAgainstGateway(kafka, List.of(PYTHON, write("etrms_alerts.py", script)), Map.of(), 1,
                List.of("INFO - Connected to alerts WebSocket",
                        "WARNING - ALERT at ",
                        ": Drawdown 12.5% exceeds 10% for * on *",
                        "INFO - Circuit breaker 'max_drawdown' triggered for * on *",
                        "WARNING - Max drawdown exceeded for *: 12.5%"),
                List.of("ERROR", "Error", "Traceback"));
        assertThat(Files.readString(work.resolve("alerts.log"))).contains("Drawdown 12.5% exceeds 10% for * on *");
        assertThat(output).contains("\"current_drawdown\": 12.5");
    }

    @Test
    void shouldRunTheSeedCommandLineMonitorOnAllFourEndpoints(KafkaCluster kafka) throws Exception {
        assumePythonWebsockets();
        String script = SeedExamples.block("Command-line Monitoring", "python").code();
        runAgainstGateway(kafka, List.of(PYTHON, write("etrms_monitor.py", script)), Map.of(), 1,
                List.of("Received positions update:", "Total Position Value: 31300", "Total Unrealized PnL: 700",
                        "BTC/USDT:USDT: Size: 0.5, Entry: 50000, Current: 51000, PnL: ",
                        "Received accounts update:", "Exchange: binance", "balance: 10000",
                        "Received risk-metrics update:", "Total Exposure: 31300", "Max Drawdown: 2.5%",
                        "Received alerts update:", "ALERT: Drawdown 12.5% exceeds 10%", "Condition: max_drawdown",
                        "Action: published HALT for main"),
                List.of("Error", "Traceback", "closed"));
    }

    @Test
    void shouldRunTheSeedNodeClientOnAllFourEndpoints(KafkaCluster kafka) throws Exception {
        Path modules = nodeModules();
        String script = SeedExamples.block("Node.js WebSocket Client", "javascript").code();
        runAgainstGateway(kafka, List.of("node", write("etrms_client.js", script)), Map.of("NODE_PATH", modules.toString()), 1,
                List.of("Connected to positions WebSocket", "Connected to alerts WebSocket",
                        "Positions update - Total value: 31300, Total PnL: 700",
                        "Received accounts update",
                        "Risk metrics update - Total exposure: 31300, Max drawdown: 2.5%",
                        "ALERT: Drawdown 12.5% exceeds 10% for * on * - published HALT for main",
                        "CIRCUIT BREAKER TRIGGERED: max_drawdown",
                        "Max drawdown exceeded for * - Taking emergency action"),
                List.of("Error", "Disconnected"));
        assertThat(Files.readString(work.resolve("logs/positions-latest.json"))).contains("\"total_position_value\": 31300");
    }

    /**
     * Fills the topics, starts a gateway on port 8000, runs {@code command} in the temp dir until
     * its output has every {@code expected} text, and checks it has none of {@code errors}.
     */
    private String runAgainstGateway(KafkaCluster kafka, List<String> command, Map<String, String> env, int alertConnections,
                                     List<String> expected, List<String> errors) throws Exception {
        Topics topics = kafka.newTopics();
        Path log = work.resolve("client-output.txt");
        try (TopicWriter writer = new TopicWriter(kafka)) {
            writer.send(topics.portfolio, "main", Samples.portfolio("main", Samples.TS));
            writer.send(topics.accounts, "main", Samples.accounts("main", Samples.TS));
            writer.send(topics.riskMetrics, "main", Samples.riskMetrics("main", Samples.TS));
            try (GatewayServer gateway = startOnPort8000(kafka, topics)) {
                ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile())
                        .redirectErrorStream(true).redirectOutput(log.toFile());
                builder.environment().put("PYTHONUNBUFFERED", "1");
                builder.environment().putAll(env);
                Process process = builder.start();
                try {
                    await().atMost(DEADLINE).until(() -> !process.isAlive()
                            || gateway.metrics().channel(Channel.ALERTS).connections().get() >= alertConnections);
                    assertThat(process.isAlive()).as("client still running; output:%n%s", read(log)).isTrue();
                    writer.send(topics.alerts, "main", Samples.alert("main", 1, "*", "*"));
                    AtomicReference<String> output = new AtomicReference<>("");
                    await().atMost(DEADLINE).untilAsserted(() -> {
                        output.set(read(log));
                        assertThat(output.get()).contains(expected);
                    });
                    assertThat(output.get()).doesNotContain(errors);
                    return output.get();
                } finally {
                    stop(process);
                }
            }
        }
    }

    /** Port 8000 may be taken for a moment by another test JVM of the build: wait for it. */
    private static GatewayServer startOnPort8000(KafkaCluster kafka, Topics topics) {
        AtomicReference<GatewayServer> started = new AtomicReference<>();
        List<String> failures = new ArrayList<>();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            try {
                started.set(TestGateways.start(kafka, topics, Map.of(GatewaySettings.HTTP_PORT, "8000", GatewaySettings.HTTP_HOST, "127.0.0.1")));
                return true;
            } catch (IllegalStateException e) {
                failures.add(e.getMessage());
                return false;
            }
        });
        if (!failures.isEmpty()) {
            System.out.println("port 8000 was busy, retried: " + failures.get(0));
        }
        return started.get();
    }

    private String write(String name, String code) throws IOException {
        Path file = work.resolve(name);
        Files.writeString(file, code);
        return file.toString();
    }

    private static String read(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    private static void stop(Process process) throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static void assumePythonWebsockets() throws Exception {
        boolean present = new File(PYTHON).canExecute() && exitCode(List.of(PYTHON, "-c", "import websockets"), null) == 0;
        if (!present) {
            System.out.println("SKIPPED: " + PYTHON + " with the websockets module is missing (apt-get install python3-websockets)");
        }
        Assumptions.assumeTrue(present, PYTHON + " with python3-websockets is missing (apt-get install python3-websockets)");
    }

    /** src/test/node/node_modules with npm ws, installed from the committed lock file when missing. */
    private static Path nodeModules() throws Exception {
        boolean node = exitCode(List.of("node", "--version"), null) == 0;
        if (!node) {
            System.out.println("SKIPPED: node is not installed");
        }
        Assumptions.assumeTrue(node, "node is not installed");
        Path dir = moduleDir().resolve("src/test/node");
        Path modules = dir.resolve("node_modules");
        if (!Files.isDirectory(modules.resolve("ws"))) {
            int npm = exitCode(List.of("npm", "ci", "--no-audit", "--no-fund"), dir);
            assertThat(npm).as("npm ci in %s", dir).isZero();
        }
        return modules;
    }

    private static Path moduleDir() {
        Path here = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        if (Files.isDirectory(here.resolve("src/test/node"))) {
            return here;
        }
        return Path.of(System.getProperty("etrms.repo.root", here.toString())).resolve("ws-gateway");
    }

    private static int exitCode(List<String> command, Path dir) throws InterruptedException {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            if (dir != null) {
                builder.directory(dir.toFile());
            }
            Process process = builder.start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return -1;
            }
            return process.exitValue();
        } catch (IOException e) {
            return -1;
        }
    }
}
