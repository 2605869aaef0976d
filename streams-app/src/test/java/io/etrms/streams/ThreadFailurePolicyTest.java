package io.etrms.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;
import org.rocksdb.RocksDBException;

class ThreadFailurePolicyTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final ThreadFailurePolicy policy = new ThreadFailurePolicy("test", 3, 60_000, now::get);

    @Test
    void shouldReplaceThreadsUntilTooManyDieWithinTheWindow() {
        RuntimeException boom = new IllegalStateException("boom");
        assertThat(policy.handle(boom)).isEqualTo(REPLACE_THREAD);
        now.addAndGet(10_000);
        assertThat(policy.handle(boom)).isEqualTo(REPLACE_THREAD);
        now.addAndGet(10_000);
        assertThat(policy.handle(boom)).isEqualTo(REPLACE_THREAD);
        now.addAndGet(10_000); // the 4th failure within 60 s: more than 3
        assertThat(policy.handle(boom)).isEqualTo(SHUTDOWN_CLIENT);
    }

    @Test
    void shouldForgetFailuresOlderThanTheWindow() {
        RuntimeException boom = new IllegalStateException("boom");
        for (int i = 0; i < 3; i++) {
            assertThat(policy.handle(boom)).isEqualTo(REPLACE_THREAD);
        }
        now.addAndGet(60_000); // the first three are 60 s old: out of the window
        assertThat(policy.handle(boom)).isEqualTo(REPLACE_THREAD);
    }

    @Test
    void shouldShutDownAtOnceWhenAStoreIsLockedByThisProcess() {
        // The chain Kafka Streams 4.4 throws when a leaked task still holds a segment's RocksDB lock.
        RocksDBException locked = new RocksDBException("lock hold by current process, acquire time 1795350000 "
                + "acquiring thread 140000: /state/etrms-instrument/0_3/fill-ids/fill-ids.1795348800000/LOCK: No locks available");
        Throwable failure = new StreamsException(new ProcessorStateException(
                "Error opening store fill-ids.1795348800000 at location /state/etrms-instrument/0_3/fill-ids", locked));

        assertThat(ThreadFailurePolicy.isStoreLockedByThisProcess(failure)).isTrue();
        assertThat(policy.handle(failure)).isEqualTo(SHUTDOWN_CLIENT);
    }

    @Test
    void shouldReplaceTheThreadForOtherStoreFailures() {
        // A RocksDB failure that is not this process's own lock (another process holds it, a full disk) may heal.
        Throwable otherProcess = new ProcessorStateException("Error opening store positions",
                new RocksDBException("While lock file: /state/etrms-instrument/0_3/positions/LOCK: Resource temporarily unavailable"));

        assertThat(ThreadFailurePolicy.isStoreLockedByThisProcess(otherProcess)).isFalse();
        assertThat(policy.handle(otherProcess)).isEqualTo(REPLACE_THREAD);
    }
}
