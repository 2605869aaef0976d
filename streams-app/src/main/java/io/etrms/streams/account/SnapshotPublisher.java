package io.etrms.streams.account;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * Decides when an account's portfolio, accounts and risk-metrics snapshots (and its re-marked
 * positions) go out. What goes out is built when it goes out, from the stores: always the latest
 * state, never a held copy.
 * <ul>
 *   <li>After a fill, transfer or breaker change ({@link #changed}): at once when the account has
 *       been quiet for {@code recordIntervalMs}, else the latest when that interval has passed.</li>
 *   <li>After marks only ({@link #marked}): at most once per {@code markIntervalMs}. A mark moves
 *       every holder of its instrument; publishing each of them on every tick would make the tick
 *       cost grow with the number of holders again.</li>
 * </ul>
 * Breakers are not affected: they run before this, and alerts and risk commands are never held.
 * Pending publications live in memory: a task that stops before they go out republishes every
 * account at its next initialisation ({@link #republishAll}). With both intervals 0 every record's
 * snapshots go out at once.
 */
final class SnapshotPublisher {

    /** Builds and forwards an account's current snapshots (the portfolio only when asked) and the positions of {@code instruments}. */
    interface Sender {
        void send(String account, boolean portfolio, Set<String> instruments);
    }

    private static final class Pending {
        boolean afterRecord;
        boolean portfolio;
        final Set<String> instruments = new TreeSet<>();
    }

    private final long recordIntervalMs;
    private final long markIntervalMs;
    private final LongSupplier clock;
    private final Sender sender;
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    /** Wall-clock time of each account's latest publication, while it still holds back the next. */
    private final Map<String, Long> lastSent = new HashMap<>();

    SnapshotPublisher(long recordIntervalMs, long markIntervalMs, LongSupplier clock, Sender sender) {
        this.recordIntervalMs = recordIntervalMs;
        this.markIntervalMs = markIntervalMs;
        this.clock = clock;
        this.sender = sender;
    }

    /** Whether anything is ever held back (then a punctuation must call {@link #flushDue}). */
    boolean conflates() {
        return recordIntervalMs > 0 || markIntervalMs > 0;
    }

    /** How often {@link #flushDue} should run. */
    long flushIntervalMs() {
        return recordIntervalMs > 0 ? (markIntervalMs > 0 ? Math.min(recordIntervalMs, markIntervalMs) : recordIntervalMs) : markIntervalMs;
    }

    /** A fill, transfer or breaker change; {@code portfolio}: it changed a position. */
    void changed(String account, boolean portfolio) {
        Pending p = pending.computeIfAbsent(account, a -> new Pending());
        p.afterRecord = true;
        p.portfolio |= portfolio;
        long now = clock.getAsLong();
        Long last = lastSent.get(account);
        if (recordIntervalMs <= 0 || last == null || now - last >= recordIntervalMs) {
            send(account, now);
        }
    }

    /**
     * A mark moved the account's position in {@code instrument}; {@code urgent}: it also changed a
     * trading state, which goes out as soon as a record's change would.
     */
    void marked(String account, String instrument, boolean urgent) {
        Pending p = pending.computeIfAbsent(account, a -> new Pending());
        p.portfolio = true;
        p.instruments.add(instrument);
        if (urgent) {
            changed(account, true);
        } else if (markIntervalMs <= 0 && (!p.afterRecord || recordIntervalMs <= 0)) {
            send(account, clock.getAsLong());
        }
    }

    /** Publishes every pending account whose interval has passed. */
    void flushDue(long now) {
        List<String> due = new ArrayList<>();
        for (Map.Entry<String, Pending> e : pending.entrySet()) {
            long interval = e.getValue().afterRecord ? recordIntervalMs : markIntervalMs;
            Long last = lastSent.get(e.getKey());
            if (last == null || now - last >= interval) {
                due.add(e.getKey());
            }
        }
        for (String account : due) {
            send(account, now);
        }
        long longest = Math.max(recordIntervalMs, markIntervalMs);
        for (Iterator<Map.Entry<String, Long>> it = lastSent.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Long> e = it.next();
            if (now - e.getValue() >= longest && !pending.containsKey(e.getKey())) {
                it.remove();
            }
        }
    }

    /** Publishes these accounts' snapshots and positions now (after a restart: what was pending is lost). */
    void republishAll(Map<String, Set<String>> accountsAndInstruments) {
        long now = clock.getAsLong();
        accountsAndInstruments.forEach((account, instruments) -> {
            Pending p = pending.computeIfAbsent(account, a -> new Pending());
            p.portfolio = true;
            p.instruments.addAll(instruments);
            send(account, now);
        });
    }

    private void send(String account, long now) {
        Pending p = pending.remove(account);
        if (p == null) {
            return;
        }
        sender.send(account, p.portfolio, p.instruments);
        if (recordIntervalMs > 0 || markIntervalMs > 0) {
            lastSent.put(account, now);
        }
    }
}
