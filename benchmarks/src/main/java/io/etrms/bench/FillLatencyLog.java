package io.etrms.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.Histogram;

/**
 * When each latency-probe fill was meant to be sent and when it was first seen at the far end.
 * Fill n is the n-th fill of the run (fill id {@code f<n>}); it belongs to account
 * {@code n % accounts} as that account's fill {@code n / accounts}. Times are the intended send
 * time of a fixed-rate schedule (no coordinated omission: a stalled sender does not hide the
 * stall) and the arrival on {@link System#nanoTime()}, both in this JVM.
 */
public final class FillLatencyLog {

    private final AtomicLongArray intendedNanos;
    private final AtomicLongArray latencyMicros;
    private final int accounts;

    public FillLatencyLog(int capacity, int accounts) {
        this.intendedNanos = new AtomicLongArray(capacity);
        this.latencyMicros = new AtomicLongArray(capacity);
        this.accounts = accounts;
    }

    public int capacity() {
        return intendedNanos.length();
    }

    public int accounts() {
        return accounts;
    }

    /** The global fill number of account {@code account}'s fill {@code sequence}. */
    public long fillNumber(int account, long sequence) {
        return sequence * accounts + account;
    }

    void sent(long fill, long intended) {
        intendedNanos.set((int) fill, intended);
    }

    /** Records the first arrival of {@code fill}; later arrivals (a re-sent snapshot) are ignored. */
    public void arrived(long fill, long nowNanos) {
        if (fill < 0 || fill >= intendedNanos.length()) {
            return;
        }
        long intended = intendedNanos.get((int) fill);
        if (intended == 0) {
            return;
        }
        long micros = Math.max(1, TimeUnit.NANOSECONDS.toMicros(nowNanos - intended));
        latencyMicros.compareAndSet((int) fill, 0, micros);
    }

    /** What the fills sent with an intended time in [from, to) saw. */
    public Summary summarize(long fromNanos, long toNanos) {
        Histogram histogram = new Histogram(TimeUnit.MINUTES.toMicros(10), 3);
        int sent = 0;
        int received = 0;
        int n = intendedNanos.length();
        long[] firstQuarter = new long[4];
        long[] lastQuarter = new long[4];
        Histogram early = new Histogram(TimeUnit.MINUTES.toMicros(10), 2);
        Histogram late = new Histogram(TimeUnit.MINUTES.toMicros(10), 2);
        long quarter = (toNanos - fromNanos) / 4;
        for (int i = 0; i < n; i++) {
            long intended = intendedNanos.get(i);
            if (intended == 0 || intended < fromNanos || intended >= toNanos) {
                continue;
            }
            sent++;
            long latency = latencyMicros.get(i);
            if (latency > 0) {
                received++;
                long bounded = Math.min(latency, histogram.getHighestTrackableValue());
                histogram.recordValue(bounded);
                if (intended < fromNanos + quarter) {
                    early.recordValue(bounded);
                } else if (intended >= toNanos - quarter) {
                    late.recordValue(bounded);
                }
            }
        }
        double trend = early.getTotalCount() == 0 || late.getTotalCount() == 0 ? Double.NaN
                : (double) late.getValueAtPercentile(50) / Math.max(1, early.getValueAtPercentile(50));
        return new Summary(sent, received, histogram, trend);
    }

    /**
     * @param trend median latency of the last quarter of the window over that of the first: about
     *              1 when the system keeps up, growing when a backlog builds
     */
    public record Summary(int sent, int received, Histogram histogram, double trend) {

        public double millisAt(double percentile) {
            return histogram.getTotalCount() == 0 ? Double.NaN : histogram.getValueAtPercentile(percentile) / 1000.0;
        }

        public double maxMillis() {
            return histogram.getTotalCount() == 0 ? Double.NaN : histogram.getMaxValue() / 1000.0;
        }

        public double receivedPct() {
            return sent == 0 ? 0 : 100.0 * received / sent;
        }

        /** Kept up: every fill arrived, the median stayed under a second and latency did not grow over the window. */
        public boolean sustained() {
            return sent > 0 && received == sent && millisAt(50) < 1_000 && !(trend > 3.0);
        }
    }
}
