package io.etrms.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Prometheus' own checker, {@code promtool} (Debian package {@code prometheus}, which
 * {@code .ci/run} installs): {@code check metrics} lints a {@code /metrics} exposition,
 * {@code check rules} validates alerting rule files, {@code test rules} runs their unit tests. Where promtool is missing a test using it is
 * skipped, saying why, except under CI ({@code CI=true}), where it fails.
 */
public final class Promtool {

    private static final Path DEBIAN = Path.of("/usr/bin/promtool");

    /** What promtool said: its exit status and its output (stdout and stderr). */
    public record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    private Promtool() {
    }

    /** {@code promtool check metrics} of {@code exposition} (Prometheus text format). */
    public static Result checkMetrics(String exposition) {
        return run(List.of("check", "metrics"), exposition);
    }

    /** {@code promtool check rules FILE...}. */
    public static Result checkRules(Path... files) {
        List<String> args = new ArrayList<>(List.of("check", "rules"));
        for (Path file : files) {
            args.add(file.toString());
        }
        return run(args, "");
    }

    /** {@code promtool test rules FILE}: the rule unit tests in {@code FILE}. */
    public static Result testRules(Path file) {
        return run(List.of("test", "rules", file.toString()), "");
    }

    /** {@code promtool check config FILE} (scrape configuration; rule files it names are checked too). */
    public static Result checkConfig(Path file) {
        return run(List.of("check", "config", file.toString()), "");
    }

    private static Result run(List<String> args, String stdin) {
        List<String> command = new ArrayList<>();
        command.add(executable());
        command.addAll(args);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            CompletableFuture<byte[]> output = CompletableFuture.supplyAsync(() -> {
                try {
                    return process.getInputStream().readAllBytes();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try (OutputStream in = process.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command + " did not finish within 60 s");
            }
            return new Result(process.exitValue(), new String(output.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command, e);
        }
    }

    private static String executable() {
        if (Files.isExecutable(DEBIAN)) {
            return DEBIAN.toString();
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "promtool");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        String why = "promtool is missing (apt-get install prometheus)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException(why + ": .ci/run must install it");
        }
        throw Assumptions.<IllegalStateException>abort("skipped: " + why);
    }
}
