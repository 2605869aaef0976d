package io.etrms.streams;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.rocksdb.RocksDBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a stage does when its stream thread dies of an exception Kafka Streams could not handle:
 * replace the thread (a transient failure heals), unless more than {@code maxReplacements} threads
 * died within {@code windowMs}, which means every attempt fails (a poisoned state, a broken
 * dependency): then the stage shuts down, reaches ERROR, and the service exits so that its
 * supervisor restarts it and its health check reports it (see {@code StreamsMain}).
 *
 * <p>One failure shuts the stage down at once: a RocksDB store whose lock is held by this very
 * process. Kafka Streams can leak a task whose stores stay open when its state updater and stream
 * thread race during a rebalance (the class of apache/kafka#22086); every later attempt in this
 * process to open that store fails, so replacing the thread only burns the failure budget. A fresh
 * process opens it normally.
 */
final class ThreadFailurePolicy implements StreamsUncaughtExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ThreadFailurePolicy.class);

    static final int MAX_REPLACEMENTS = 5;
    static final long WINDOW_MS = 60_000;

    private final String stage;
    private final int maxReplacements;
    private final long windowMs;
    private final LongSupplier clock;
    private final Deque<Long> failures = new ArrayDeque<>();

    ThreadFailurePolicy(String stage, int maxReplacements, long windowMs, LongSupplier clock) {
        this.stage = stage;
        this.maxReplacements = maxReplacements;
        this.windowMs = windowMs;
        this.clock = clock;
    }

    static ThreadFailurePolicy of(String stage) {
        return new ThreadFailurePolicy(stage, MAX_REPLACEMENTS, WINDOW_MS, System::currentTimeMillis);
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(Throwable exception) {
        long now = clock.getAsLong();
        failures.addLast(now);
        while (now - failures.peekFirst() >= windowMs) {
            failures.pollFirst();
        }
        if (isStoreLockedByThisProcess(exception)) {
            log.error("{}: a state store is still locked by this process (a task Kafka Streams leaked); "
                    + "only a fresh process can open it: shutting the stage down", stage, exception);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        if (failures.size() > maxReplacements) {
            log.error("{}: {} stream threads failed within {} s; shutting the stage down", stage, failures.size(), windowMs / 1000, exception);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        log.error("{}: stream thread failed; replacing it", stage, exception);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    /** True when the cause chain holds RocksDB's refusal to lock a store this process already holds. */
    static boolean isStoreLockedByThisProcess(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (t instanceof RocksDBException && t.getMessage() != null
                    && t.getMessage().contains("lock hold by current process")) {
                return true;
            }
        }
        return false;
    }
}
