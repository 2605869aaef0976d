package io.etrms.streams.health;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls the stages' states at a fixed interval and reports, once, a stage that can no longer
 * work by itself (see {@link StageStates#failure(boolean)}): a Kafka Streams client in
 * {@code ERROR} stays there, and a process that only logs it looks alive to its orchestrator while
 * it processes nothing. The caller decides what to do with the report (StreamsMain exits
 * non-zero, so that the orchestrator restarts it).
 *
 * <p>Polling rather than a state listener: the stages are already started when the watcher is
 * created (a listener set then would miss an earlier transition), and a listener runs on Kafka
 * Streams' own threads.
 */
public final class StageWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StageWatcher.class);

    private final Supplier<StageStates> states;
    private final BooleanSupplier shutdownBegun;
    private final Consumer<String> onFailure;
    private final AtomicBoolean reported = new AtomicBoolean();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "etrms-streams-watcher");
        t.setDaemon(true);
        return t;
    });

    private StageWatcher(Supplier<StageStates> states, BooleanSupplier shutdownBegun, Consumer<String> onFailure) {
        this.states = states;
        this.shutdownBegun = shutdownBegun;
        this.onFailure = onFailure;
    }

    /** A watcher that is not scheduled: {@link #check()} runs one poll (for tests). */
    static StageWatcher unscheduled(Supplier<StageStates> states, BooleanSupplier shutdownBegun, Consumer<String> onFailure) {
        return new StageWatcher(states, shutdownBegun, onFailure);
    }

    /**
     * Starts polling every {@code interval}.
     *
     * @param shutdownBegun whether the process has begun to close the stages itself
     * @param onFailure     called at most once, on the watcher's thread, with the reason
     */
    public static StageWatcher start(Supplier<StageStates> states, BooleanSupplier shutdownBegun, Duration interval,
                                     Consumer<String> onFailure) {
        StageWatcher watcher = new StageWatcher(states, shutdownBegun, onFailure);
        watcher.timer.scheduleWithFixedDelay(watcher::check, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return watcher;
    }

    /** One poll: reports a failure (the first one only) and returns it. */
    Optional<String> check() {
        try {
            StageStates now = states.get();
            // The states first, then the flag: a stage stopping because our own shutdown began was
            // flagged before it changed state, so it is never taken for a failure.
            Optional<String> failure = now.failure(shutdownBegun.getAsBoolean());
            if (failure.isPresent() && reported.compareAndSet(false, true)) {
                log.error("{}: it will not recover by itself; exiting so that the service is restarted", failure.get());
                onFailure.accept(failure.get());
            }
            return failure;
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again: the watcher must outlive any surprise.
            log.warn("stage watcher poll failed", e);
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
