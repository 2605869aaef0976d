package io.etrms.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive {@code mvn package} writes, unpacked as a user would: a {@code bin/} script per
 * service that runs from the archive alone, every jar once in {@code lib/}, the licence and docs.
 */
class DistributionIT {

    private static final String VERSION = System.getProperty("etrms.version");

    @TempDir
    static Path unpacked;
    private static Path home;

    @BeforeAll
    static void unpack() throws Exception {
        Path archive = Path.of(System.getProperty("etrms.distribution.archive"));
        assertThat(archive).exists();
        Run tar = run(unpacked, List.of("tar", "-xzf", archive.toString()));
        assertThat(tar.exitCode()).as(tar.output()).isZero();
        home = unpacked.resolve("etrms-" + VERSION);
    }

    @Test
    void shouldHoldTheScriptsTheJarsTheLicenceAndTheDocs() throws IOException {
        for (String script : List.of("etrms", "etrms-streams", "etrms-gateway", "etrms-ingest")) {
            assertThat(Files.isExecutable(home.resolve("bin").resolve(script))).as("bin/" + script).isTrue();
        }
        try (var jars = Files.list(home.resolve("lib"))) {
            List<String> names = jars.map(p -> p.getFileName().toString()).toList();
            assertThat(names).contains("model-" + VERSION + ".jar", "streams-app-" + VERSION + ".jar", "ws-gateway-" + VERSION + ".jar",
                    "ingest-" + VERSION + ".jar", "local-stack-" + VERSION + ".jar");
            assertThat(names).anyMatch(n -> n.startsWith("kafka-streams-")).noneMatch(n -> n.startsWith("junit-"));
            assertThat(names.stream().map(n -> n.replaceAll("-\\d.*", ""))).as("each library once").doesNotHaveDuplicates();
        }
        assertThat(Files.readString(home.resolve("LICENSE"))).contains("Apache License", "Version 2.0, January 2004");
        assertThat(home.resolve("README.md")).exists();
        assertThat(home.resolve("docs/operations.md")).exists();
        assertThat(home.resolve("docs/api/schemas/fills.schema.json")).exists();
        assertThat(home.resolve("deploy/prometheus/alerts.yml")).exists();
        assertThat(home.resolve("deploy/helm/etrms/Chart.yaml")).exists();
        assertThat(home.resolve("deploy/grafana/dashboards/etrms.json")).exists();
        assertThat(home.resolve("examples/fills.jsonl")).exists();
    }

    @Test
    void shouldPrintTheVersionFromEveryScript() throws Exception {
        for (String script : List.of("etrms", "etrms-streams", "etrms-gateway", "etrms-ingest")) {
            Run version = run(home, List.of("bin/" + script, "-V"));

            assertThat(version.exitCode()).as(script + ": " + version.output()).isZero();
            assertThat(version.output()).as(script).startsWith(script + " " + VERSION + " (ETRMS)\n");
        }
    }

    @Test
    void shouldAnswerHelpFromEveryScript() throws Exception {
        assertThat(run(home, List.of("bin/etrms-streams", "--help")).output()).contains("Usage: etrms-streams", "--bootstrap-servers");
        assertThat(run(home, List.of("bin/etrms-gateway", "--help")).output()).contains("Usage: etrms-gateway", "--port");
        assertThat(run(home, List.of("bin/etrms-ingest", "--help")).output()).contains("Usage: etrms-ingest", "simulate", "replay", "serve");
        assertThat(run(home, List.of("bin/etrms", "--help")).output()).contains("Usage: etrms ", "--data-dir");
    }

    private record Run(int exitCode, String output) {
    }

    private static Run run(Path dir, List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(command + " did not finish within 60 s");
        }
        return new Run(process.exitValue(), out);
    }
}
