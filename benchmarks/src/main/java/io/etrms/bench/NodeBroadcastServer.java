package io.etrms.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The fan-out benchmark's baseline: {@code benchmarks/node/broadcast-server.js}, the minimal
 * Node.js {@code ws} broadcast server, in its own process. Its one dependency is installed at run
 * time with {@code npm ci} from the committed lock file (from the npm registry, once).
 */
public final class NodeBroadcastServer implements AutoCloseable {

    private final ChildProcess process;
    private final int port;

    private NodeBroadcastServer(ChildProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Installs {@code ws} if missing, starts the server on a free loopback port and waits for it. */
    public static NodeBroadcastServer start(Path nodeDir, Path logDir) throws Exception {
        Path script = nodeDir.resolve("broadcast-server.js");
        if (!Files.exists(script)) {
            throw new IllegalStateException("Node.js baseline not found: " + script.toAbsolutePath());
        }
        if (!Files.isDirectory(nodeDir.resolve("node_modules").resolve("ws"))) {
            install(nodeDir, logDir.resolve("npm-ci.log"));
        }
        ChildProcess process = ChildProcess.start("node-broadcast", List.of("node", "--expose-gc", "broadcast-server.js", "0"), nodeDir,
                logDir.resolve("node-broadcast.log"));
        try {
            int port = Integer.parseInt(process.awaitReady(Duration.ofSeconds(30)));
            return new NodeBroadcastServer(process, port);
        } catch (Exception e) {
            process.close();
            throw e;
        }
    }

    private static void install(Path nodeDir, Path log) throws IOException, InterruptedException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
                .directory(nodeDir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!npm.waitFor(3, TimeUnit.MINUTES) || npm.exitValue() != 0) {
            npm.destroyForcibly();
            throw new IllegalStateException("npm ci in " + nodeDir + " failed: " + Files.readString(log, StandardCharsets.UTF_8));
        }
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /** Runs a full garbage collection in the server (GET /gc). */
    public void gc() throws IOException, InterruptedException {
        HttpResponse<Void> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/gc")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the Node.js baseline did not collect garbage: HTTP " + response.statusCode());
        }
    }

    public long rssKb() {
        return process.rssKb();
    }

    public static String version() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor(10, TimeUnit.SECONDS);
            return v;
        } catch (IOException e) {
            return "not installed";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
