package io.etrms.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A process the benchmark starts and measures: a child JVM on this JVM's classpath (the gateway
 * alone, a bare broker, the whole local stack) or the Node.js baseline. Its output goes to a log
 * file; it announces readiness with a line {@code READY <port>} (or the caller polls something
 * else). Closing its stdin stops it (the benchmark mains exit on EOF, so a crashed benchmark leaves
 * no orphans); {@link #close} then sends SIGTERM, and SIGKILL after a grace period.
 */
public final class ChildProcess implements AutoCloseable {

    private final Process process;
    private final String name;
    private final CompletableFuture<String> ready = new CompletableFuture<>();

    private ChildProcess(Process process, String name, Path log) {
        this.process = process;
        this.name = name;
        Thread pump = new Thread(() -> pump(log), name + "-output");
        pump.setDaemon(true);
        pump.start();
    }

    /** Starts {@code mainClass} in a new JVM on this JVM's classpath. */
    public static ChildProcess java(String name, String mainClass, List<String> jvmOptions, List<String> args, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-XX:+ExitOnOutOfMemoryError"); // a service out of memory exits (and is restarted) instead of limping on
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        return start(name, command, null, log);
    }

    /** Starts any command in {@code directory} (null: the current one). */
    public static ChildProcess start(String name, List<String> command, Path directory, Path log) throws IOException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        return new ChildProcess(builder.start(), name, log);
    }

    private void pump(Path log) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             Writer out = Files.newBufferedWriter(log)) {
            String line;
            while ((line = reader.readLine()) != null) {
                out.write(line);
                out.write('\n');
                out.flush();
                if (line.startsWith("READY")) {
                    ready.complete(line.substring(5).trim());
                }
            }
        } catch (IOException e) {
            // the process ended
        } finally {
            ready.completeExceptionally(new IllegalStateException(name + " ended before it was ready (see " + log + ")"));
        }
    }

    /** Waits for the {@code READY <text>} line and returns the text. */
    public String awaitReady(Duration timeout) throws Exception {
        try {
            return ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException(name + " not ready within " + timeout, e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long rssKb() {
        return ProcessMemory.rssKb(pid());
    }

    public long peakRssKb() {
        return ProcessMemory.peakRssKb(pid());
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // already closed
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
