package io.etrms.streams.health;

import static io.etrms.streams.health.StageStatesTest.states;
import static org.apache.kafka.streams.KafkaStreams.State.ERROR;
import static org.apache.kafka.streams.KafkaStreams.State.NOT_RUNNING;
import static org.apache.kafka.streams.KafkaStreams.State.PENDING_SHUTDOWN;
import static org.apache.kafka.streams.KafkaStreams.State.REBALANCING;
import static org.apache.kafka.streams.KafkaStreams.State.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class StageWatcherTest {

    private final AtomicReference<StageStates> now = new AtomicReference<>(states(REBALANCING, RUNNING));
    private final AtomicBoolean shutdownBegun = new AtomicBoolean();
    private final List<String> reports = new CopyOnWriteArrayList<>();

    @Test
    void shouldReportAStageInErrorOnce() {
        StageWatcher watcher = StageWatcher.unscheduled(now::get, shutdownBegun::get, reports::add);
        assertThat(watcher.check()).isEmpty();

        now.set(states(RUNNING, ERROR));
        assertThat(watcher.check()).isPresent();
        assertThat(watcher.check()).isPresent();

        assertThat(reports).containsExactly("Kafka Streams stage account is ERROR (stages: instrument=RUNNING, account=ERROR)");
    }

    @Test
    void shouldReportAStageThatStoppedWithoutOurShutdown() {
        StageWatcher watcher = StageWatcher.unscheduled(now::get, shutdownBegun::get, reports::add);
        now.set(states(NOT_RUNNING, RUNNING));
        watcher.check();
        assertThat(reports).containsExactly("Kafka Streams stage instrument is NOT_RUNNING (stages: instrument=NOT_RUNNING, account=RUNNING)");
    }

    @Test
    void shouldStayQuietWhileOurOwnShutdownStopsTheStages() {
        StageWatcher watcher = StageWatcher.unscheduled(now::get, shutdownBegun::get, reports::add);
        shutdownBegun.set(true);
        now.set(states(PENDING_SHUTDOWN, NOT_RUNNING));
        assertThat(watcher.check()).isEmpty();
        assertThat(reports).isEmpty();
    }

    @Test
    void shouldOutliveAPollThatThrows() {
        AtomicBoolean broken = new AtomicBoolean(true);
        StageWatcher watcher = StageWatcher.unscheduled(() -> {
            if (broken.get()) {
                throw new IllegalStateException("boom");
            }
            return now.get();
        }, shutdownBegun::get, reports::add);
        assertThat(watcher.check()).isEmpty();
        broken.set(false);
        now.set(states(ERROR, RUNNING));
        assertThat(watcher.check()).isPresent();
        assertThat(reports).hasSize(1);
    }

    @Test
    void shouldPollOnItsOwnThread() throws Exception {
        CompletableFuture<String> reported = new CompletableFuture<>();
        try (StageWatcher watcher = StageWatcher.start(now::get, shutdownBegun::get, Duration.ofMillis(20), reason -> {
            reported.complete(reason + " on " + Thread.currentThread().getName());
        })) {
            now.set(states(RUNNING, ERROR));
            assertThat(reported.get(10, TimeUnit.SECONDS))
                    .isEqualTo("Kafka Streams stage account is ERROR (stages: instrument=RUNNING, account=ERROR) on etrms-streams-watcher");
        }
    }
}
