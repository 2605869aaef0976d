package io.etrms.gateway.kafka;

import io.etrms.model.EquityHistory;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Every account's equity and drawdown over time, kept by the {@link TopicReader} from the
 * risk-metrics records it reads, for charts ({@code GET /api/v1/history}): one point per
 * {@code resolution} of event time (the last record of each interval wins; a record older than the
 * account's latest point is ignored), for {@code retention} of event time behind the account's
 * latest point. Bounded twice: at most retention / resolution points per account (86,400 by
 * default: 24 h at one a second), and at most {@code maxPoints} in all, beyond which the account
 * whose oldest point is oldest loses its oldest points first. A point is 24 bytes (a long and two
 * doubles in arrays), so the default 2,000,000 points are about 48 MB.
 *
 * <p>The series is rebuilt from Kafka at start, so it holds what the compacted {@code risk-metrics}
 * topic still holds (compaction keeps at least each account's latest record); a refresh of the
 * page, or another instance, gets the same series.
 */
public final class EquityHistoryStore {

    /** Points evicted at once when the total is over the cap (one scan for the oldest account per batch). */
    private static final int EVICTION_BATCH = 1024;

    /** One account's points: a ring of parallel arrays, oldest at {@code head}. */
    private static final class Series {
        long[] timestamps = new long[16];
        double[] equity = new double[16];
        double[] drawdown = new double[16];
        int head;
        int size;

        long oldest() {
            return timestamps[head];
        }

        long latest() {
            return timestamps[index(size - 1)];
        }

        int index(int i) {
            return (head + i) % timestamps.length;
        }

        void append(long t, double e, double d, int capacity) {
            if (size >= capacity) {
                dropOldest(size - capacity + 1);
            }
            if (size == timestamps.length) {
                grow(Math.min(capacity, size * 2));
            }
            int i = index(size++);
            timestamps[i] = t;
            equity[i] = e;
            drawdown[i] = d;
        }

        void replaceLatest(long t, double e, double d) {
            int i = index(size - 1);
            timestamps[i] = t;
            equity[i] = e;
            drawdown[i] = d;
        }

        void dropOldest(int n) {
            head = (head + n) % timestamps.length;
            size -= n;
        }

        private void grow(int capacity) {
            long[] t = new long[capacity];
            double[] e = new double[capacity];
            double[] d = new double[capacity];
            for (int i = 0; i < size; i++) {
                int j = index(i);
                t[i] = timestamps[j];
                e[i] = equity[j];
                d[i] = drawdown[j];
            }
            timestamps = t;
            equity = e;
            drawdown = d;
            head = 0;
        }
    }

    private final long resolutionMillis;
    private final long retentionMillis;
    private final int perAccount;
    private final long maxPoints;
    private final Map<String, Series> series = new HashMap<>();
    private long points;

    public EquityHistoryStore(Duration resolution, Duration retention, long maxPoints) {
        this.resolutionMillis = resolution.toMillis();
        this.retentionMillis = retention.toMillis();
        this.perAccount = (int) Math.max(1, Math.min(Integer.MAX_VALUE - 8, retentionMillis / resolutionMillis));
        this.maxPoints = maxPoints;
    }

    /** A risk-metrics record of {@code account} at event time {@code timestamp} (epoch ms). */
    public synchronized void add(String account, long timestamp, double equity, double drawdown) {
        Series s = series.computeIfAbsent(account, a -> new Series());
        if (s.size > 0) {
            long latest = s.latest();
            if (timestamp < latest) {
                return;
            }
            if (Math.floorDiv(timestamp, resolutionMillis) == Math.floorDiv(latest, resolutionMillis)) {
                s.replaceLatest(timestamp, equity, drawdown);
                return;
            }
        }
        int before = s.size;
        s.append(timestamp, equity, drawdown, perAccount);
        int expired = 0;
        while (s.size - expired > 1 && s.timestamps[s.index(expired)] < timestamp - retentionMillis) {
            expired++;
        }
        s.dropOldest(expired);
        points += s.size - before;
        while (points > maxPoints) {
            evictOldest();
        }
    }

    private void evictOldest() {
        String oldestAccount = null;
        long oldest = Long.MAX_VALUE;
        for (Map.Entry<String, Series> e : series.entrySet()) {
            if (e.getValue().size > 0 && e.getValue().oldest() < oldest) {
                oldest = e.getValue().oldest();
                oldestAccount = e.getKey();
            }
        }
        Series s = series.get(oldestAccount);
        int n = (int) Math.min(s.size, Math.min(EVICTION_BATCH, points - maxPoints));
        s.dropOldest(n);
        points -= n;
        if (s.size == 0) {
            series.remove(oldestAccount);
        }
    }

    /** The account's points at or after {@code from} (epoch ms; null: all kept), or null when it has none. */
    public synchronized EquityHistory since(String account, Long from) {
        Series s = series.get(account);
        if (s == null || s.size == 0) {
            return null;
        }
        int first = 0;
        if (from != null) {
            int lo = 0;
            int hi = s.size;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (s.timestamps[s.index(mid)] < from) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            first = lo;
        }
        int n = s.size - first;
        long[] t = new long[n];
        double[] e = new double[n];
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            int j = s.index(first + i);
            t[i] = s.timestamps[j];
            e[i] = s.equity[j];
            d[i] = s.drawdown[j];
        }
        return new EquityHistory(EquityHistory.TYPE, account, resolutionMillis, from, t, e, d);
    }

    /** Points kept, all accounts. */
    public synchronized long size() {
        return points;
    }
}
