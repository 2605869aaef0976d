package io.etrms.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

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
}
