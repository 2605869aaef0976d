package io.etrms.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.etrms.model.BuildInfo;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ./etrms --help} answers before any build, with the program's own usage text; {@code -V} prints the build. */
class LocalStackCommandTest {

    private static final Path SCRIPT = Path.of(System.getProperty("etrms.repo.root", "..")).resolve("etrms");

    @Test
    void shouldAnswerHelpWithoutBuildingWithTheProgramsOwnUsage(@TempDir Path dir) throws Exception {
        // Given the script alone in a directory: no sources, no build, so any build attempt would fail
        Path copy = Files.copy(SCRIPT, dir.resolve("etrms"));

        // When
        Process process = new ProcessBuilder("bash", copy.toString(), "--help").directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();

        // Then it answered at once, with what picocli prints for LocalStack --help
        assertThat(process.exitValue()).as(out).isZero();
        assertThat(out).startsWith(new CommandLine(new LocalStack()).getUsageMessage())
                .doesNotContain("Building ETRMS")
                .endsWith("-V prints the version.\n");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(copy);
        }
    }

    @Test
    void shouldSayItCannotReachAnOutsideKafkaWithinTenSeconds(@TempDir Path dir) throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        StringWriter err = new StringWriter();
        CommandLine cli = LocalStack.commandLine();
        cli.setErr(new PrintWriter(err));
        long started = System.nanoTime();

        int status = cli.execute("--bootstrap-servers", "127.0.0.1:" + port, "--data-dir", dir.toString());

        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(java.time.Duration.ofSeconds(12));
        assertThat(status).isEqualTo(1);
        assertThat(err.toString()).startsWith("etrms: cannot reach Kafka at 127.0.0.1:" + port + ": no connection within 10 s");
    }

    @Test
    void shouldPrintTheBuildVersion() {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new LocalStack());
        cli.setOut(new PrintWriter(out));

        assertThat(cli.execute("-V")).isZero();
        assertThat(out.toString()).startsWith("etrms " + BuildInfo.version() + " (ETRMS)\n");
        assertThat(BuildInfo.version()).matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    }
}
