package io.etrms.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Node.js checkers of {@code src/test/node} (DCLint, the AsyncAPI parser, kubernetes-models),
 * installed from its lock file by {@code npm ci} when missing ({@code .ci/run} does it up front).
 */
final class NodeTools {

    private static final Path NODE_DIR = Path.of(System.getProperty("basedir", "."), "src", "test", "node");

    /** Exit status and output (stdout and stderr) of one run. */
    record Run(int exitCode, String output) {
    }

    private NodeTools() {
    }

    /** The directory with the package.json; {@code npm ci} there when {@code marker} is missing from node_modules. */
    static Path dir(String marker) throws IOException, InterruptedException {
        Path dir = NODE_DIR.toAbsolutePath();
        assumeTrue(runs("node", "--version") && runs("npm", "--version"), "node and npm are needed for the checkers of " + dir);
        if (!Files.exists(dir.resolve("node_modules").resolve(marker))) {
            Run install = run(dir, List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"));
            assertThat(install.exitCode()).as("npm ci in %s:%n%s", dir, install.output()).isZero();
        }
        return dir;
    }

    /** Runs {@code node SCRIPT ARGS...} in the node directory. */
    static Run node(String marker, String script, String... args) throws IOException, InterruptedException {
        Path dir = dir(marker);
        List<String> command = new ArrayList<>(List.of("node", script));
        command.addAll(List.of(args));
        return run(dir, command);
    }

    static Run run(Path dir, List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException(command + " did not finish within 5 minutes");
        }
        return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private static boolean runs(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
