package io.etrms.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etrms.kafka.embedded.EmbeddedKafkaBroker;
import io.etrms.testing.SeedExamples;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The local default as a user meets it: the whole stack from the command line's own entry point,
 * and the seed's first Python client ("Setting Up WebSocket Connection") run unchanged against it.
 * The seed hardcodes ws://localhost:8000, so the gateway takes port 8000 here.
 */
class LocalStackTest {

    private static final Path PYTHON = Path.of("/usr/bin/python3");

    @Test
    void shouldServePositionsToTheSeedPythonClientWithin60SecondsAndAgainAfterARestart(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(pythonWebsocketsAvailable(), "/usr/bin/python3 with python3-websockets is needed (apt-get install python3-websockets)");
        Path script = tmp.resolve("seed_client.py");
        Files.writeString(script, SeedExamples.block("Setting Up WebSocket Connection", "python").code());
        Path data = tmp.resolve("data");
        String[] args = {"--data-dir", data.toString(), "--http-port", "8000", "--ingest-port", "0",
                "--kafka-port", Integer.toString(EmbeddedKafkaBroker.freePort()),
                "--controller-port", Integer.toString(EmbeddedKafkaBroker.freePort())};

        for (int run = 1; run <= 2; run++) {
            long started = System.nanoTime();
            LocalStack stack = new LocalStack();
            new CommandLine(stack).parseArgs(args);
            try (LocalStack.Running running = stack.start()) {
                String line = firstPositionsLine(script, Duration.ofSeconds(60));
                long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
                assertThat(seconds).as("run %d: seconds until the seed client printed positions", run).isLessThan(60);
                // the seed prints the parsed JSON as a Python dict: {'type': 'positions', ..., 'exchanges': {'binance': {...
                assertThat(line).startsWith("Received positions update: {'type': 'positions'");
                assertThat(line).containsPattern("'exchanges': \\{'\\w+': \\{'total_position_value'");
                assertThat(line).contains("'positions': [{");
            }
            assertThat(data.resolve("kafka").resolve("meta.properties")).exists();
        }
    }

    /** Runs the seed client until it prints a positions line with at least one exchange; returns that line. */
    private static String firstPositionsLine(Path script, Duration timeout) throws Exception {
        Process process = new ProcessBuilder(PYTHON.toString(), "-u", script.toString()).redirectErrorStream(true).start();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (Exception ignored) {
                // process ended
            }
        });
        reader.start();
        try {
            return await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> lines.stream()
                    .filter(l -> l.startsWith("Received positions update:") && !l.contains("'exchanges': {}"))
                    .findFirst().orElse(null), l -> l != null);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("seed client printed no positions with exchanges in " + timeout + "; it printed:\n" + String.join("\n", lines), e);
        } finally {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            assertThat(lines).noneMatch(l -> l.startsWith("Error connecting"));
        }
    }

    private static boolean pythonWebsocketsAvailable() throws Exception {
        if (!Files.isExecutable(PYTHON)) {
            return false;
        }
        Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import websockets").redirectErrorStream(true).start();
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }
}
