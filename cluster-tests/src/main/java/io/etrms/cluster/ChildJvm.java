package io.etrms.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Java process started from this JVM, on a given classpath, through {@link ParentWatchdog}
 * (so it halts if this JVM dies). Its standard output and error go to one log file. It can be
 * stopped the two ways production processes stop: {@link #terminate} (SIGTERM, the orderly way,
 * with shutdown hooks) and {@link #kill} (SIGKILL, {@code kill -9}: a crash).
 *
 * <p>Every started process is registered in a JVM-wide set that one shutdown hook kills, so a
 * test that fails half-way (or a Ctrl-C) leaves nothing running.
 */
public final class ChildJvm implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChildJvm.class);
    private static final Set<ChildJvm> RUNNING = ConcurrentHashMap.newKeySet();
    private static final Duration TERMINATE_GRACE = Duration.ofSeconds(60);

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ChildJvm::killAll, "etrms-child-reaper"));
    }

    /**
     * What to run.
     *
     * @param name       short name for logs ({@code broker-1}, {@code streams-2})
     * @param mainClass  class whose {@code main} runs in the child
     * @param args       arguments of {@code main}
     * @param jvmOptions options of the child JVM ({@code -Xmx...})
     * @param env        environment variables added to the child's; this JVM's {@code KAFKA_*} and
     *                   {@code ETRMS_*} variables are removed first, as they would configure the child
     * @param logFile    where standard output and error go (appended)
     */
    public record Spec(String name, String mainClass, List<String> args, List<String> jvmOptions,
                       Map<String, String> env, Path logFile) {
        public Spec {
            args = List.copyOf(args);
            jvmOptions = List.copyOf(jvmOptions);
            env = Map.copyOf(env);
        }
    }

    private final Spec spec;
    private final Process process;
    private volatile boolean stopRequested;

    private ChildJvm(Spec spec, Process process) {
        this.spec = spec;
        this.process = process;
    }

    /** Starts the process and returns at once (readiness is the caller's to wait for). */
    public static ChildJvm start(Spec spec, String classpath) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-XX:+ExitOnOutOfMemoryError"); // a service out of memory exits (and is restarted) instead of limping on
        command.addAll(spec.jvmOptions());
        command.add("-cp");
        command.add(classpath);
        command.add(ParentWatchdog.class.getName());
        command.add(Long.toString(ProcessHandle.current().pid()));
        command.add(spec.mainClass());
        command.addAll(spec.args());
        try {
            Files.createDirectories(spec.logFile().toAbsolutePath().getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(spec.logFile().toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
            builder.environment().keySet().removeIf(k -> k.startsWith("KAFKA_") || k.startsWith("ETRMS_"));
            builder.environment().putAll(spec.env());
            ChildJvm child = new ChildJvm(spec, builder.start());
            RUNNING.add(child);
            child.process.onExit().thenRun(() -> RUNNING.remove(child));
            log.info("{} started (pid {}), log {}", spec.name(), child.pid(), spec.logFile());
            return child;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + spec.name() + ": " + e.getMessage(), e);
        }
    }

    private static java.io.File nullDevice() {
        return new java.io.File("/dev/null");
    }

    public String name() {
        return spec.name();
    }

    public Spec spec() {
        return spec;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit status; only once the process has ended. */
    public int exitValue() {
        return process.exitValue();
    }

    /** True once {@link #kill} or {@link #terminate} was called: an exit after that is no failure. */
    public boolean wasStopped() {
        return stopRequested;
    }

    public Path logFile() {
        return spec.logFile();
    }

    /** {@code kill -9}: the process dies at once, without shutdown hooks. Waits until it is gone. */
    public void kill() {
        stopRequested = true;
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(30));
        log.info("{} killed (SIGKILL), exit {}", spec.name(), process.exitValue());
    }

    /**
     * {@code kill -TERM}: the process runs its shutdown hooks (a broker does a controlled shutdown,
     * a Streams app closes and commits). Waits up to {@code grace}, then kills it.
     *
     * @return true when the process stopped by itself within {@code grace}
     */
    public boolean terminate(Duration grace) {
        if (!process.isAlive()) {
            return true;
        }
        stopRequested = true;
        long started = System.nanoTime();
        process.destroy();
        boolean stopped = awaitExit(grace);
        if (!stopped) {
            log.warn("{} did not stop within {} s of SIGTERM: killing it", spec.name(), grace.toSeconds());
            kill();
            return false;
        }
        log.info("{} stopped (SIGTERM) in {} ms, exit {}", spec.name(), (System.nanoTime() - started) / 1_000_000, process.exitValue());
        return true;
    }

    private boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The last {@code lines} lines of the log, for failure messages. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(spec.logFile());
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM with the default grace; see {@link #terminate}. */
    @Override
    public void close() {
        terminate(TERMINATE_GRACE);
    }

    /** Kills every child process still running (the shutdown hook; also safe to call directly). */
    public static void killAll() {
        for (ChildJvm child : List.copyOf(RUNNING)) {
            child.process.destroyForcibly();
        }
        for (ChildJvm child : List.copyOf(RUNNING)) {
            child.awaitExit(Duration.ofSeconds(10));
        }
    }
}
