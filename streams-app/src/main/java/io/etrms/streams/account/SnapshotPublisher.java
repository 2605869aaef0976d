package io.etrms.streams.account;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Decides when an account's portfolio, accounts and risk-metrics snapshots (and its re-marked
 * positions) go out. What goes out is built when it goes out, from the stores: always the latest
 * state, never a held copy.
 * <ul>
 *   <li>After a fill, transfer or trading-state change ({@link #changed}): at once when the account
 *       has been quiet for {@code recordIntervalMs}, else the latest when that interval has passed.</li>
 *   <li>After marks only ({@link #marked}): every {@code markIntervalMs}, every holder of every
 *       instrument marked since. A mark moves every holder of its instrument: publishing each of
 *       them on every tick would make the cost of a tick grow with the number of holders again, so a
 *       mark only notes its instrument, and the holders are found when the interval ends.</li>
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
        boolean portfolio;
        final Set<String> instruments = new TreeSet<>();
    }

    private final long recordIntervalMs;
    private final long markIntervalMs;
    private final LongSupplier clock;
    private final Function<String, List<String>> holders;
    private final Sender sender;
    /** Accounts with a change of a record waiting, in arrival order. */
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    /** Instruments marked since the last mark publication. */
    private final Set<String> marked = new TreeSet<>();
    /** Wall-clock time of each account's latest publication, while it still holds back the next. */
    private final Map<String, Long> lastSent = new HashMap<>();
    private long lastMarkFlush;

    /** @param holders the accounts of this task holding an instrument */
    SnapshotPublisher(long recordIntervalMs, long markIntervalMs, LongSupplier clock, Function<String, List<String>> holders, Sender sender) {
        this.recordIntervalMs = recordIntervalMs;
        this.markIntervalMs = markIntervalMs;
        this.clock = clock;
        this.holders = holders;
        this.sender = sender;
        this.lastMarkFlush = clock.getAsLong();
    }

    /** Whether anything is ever held back (then a punctuation must call {@link #flushDue}). */
    boolean conflates() {
        return recordIntervalMs > 0 || markIntervalMs > 0;
    }

    /** How often {@link #flushDue} should run. */
    long flushIntervalMs() {
        return recordIntervalMs > 0 ? (markIntervalMs > 0 ? Math.min(recordIntervalMs, markIntervalMs) : recordIntervalMs) : markIntervalMs;
    }

    /** A fill, transfer or trading-state change; {@code portfolio}: it changed a position; {@code instrument}: one to re-publish, or null. */
    void changed(String account, boolean portfolio, String instrument) {
        Pending p = pending.computeIfAbsent(account, a -> new Pending());
        p.portfolio |= portfolio;
        if (instrument != null) {
            p.instruments.add(instrument);
        }
        long now = clock.getAsLong();
        Long last = lastSent.get(account);
        if (recordIntervalMs <= 0 || last == null || now - last >= recordIntervalMs) {
            send(account, pending.remove(account), now);
        }
    }

    /** A mark moved the positions of {@code instrument}'s holders ({@code holdersNow}, when every mark is published at once). */
    void marked(String instrument, List<String> holdersNow) {
        if (markIntervalMs <= 0) {
            long now = clock.getAsLong();
            for (String account : holdersNow) {
                Pending p = pending.remove(account);
                if (p == null) {
                    p = new Pending();
                } else if (recordIntervalMs > 0) {
                    pending.put(account, p); // a record's change is held: this mark goes out with it
                    p.instruments.add(instrument);
                    p.portfolio = true;
                    continue;
                }
                p.portfolio = true;
                p.instruments.add(instrument);
                send(account, p, now);
            }
            return;
        }
        marked.add(instrument);
    }

    /** Publishes every pending account whose interval has passed, and every holder of a marked instrument once per mark interval. */
    void flushDue(long now) {
        List<String> due = new ArrayList<>();
        for (String account : pending.keySet()) {
            Long last = lastSent.get(account);
            if (last == null || now - last >= recordIntervalMs) {
                due.add(account);
            }
        }
        for (String account : due) {
            send(account, pending.remove(account), now);
        }
        if (!marked.isEmpty() && now - lastMarkFlush >= markIntervalMs) {
            lastMarkFlush = now;
            Map<String, Pending> byAccount = new TreeMap<>();
            for (String instrument : marked) {
                for (String account : holders.apply(instrument)) {
                    Pending p = byAccount.computeIfAbsent(account, a -> new Pending());
                    p.portfolio = true;
                    p.instruments.add(instrument);
                }
            }
            marked.clear();
            byAccount.forEach((account, p) -> {
                Pending held = pending.remove(account);
                if (held != null) {
                    p.instruments.addAll(held.instruments);
                }
                send(account, p, now);
            });
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
            Pending p = pending.remove(account);
            if (p == null) {
                p = new Pending();
            }
            p.portfolio = true;
            p.instruments.addAll(instruments);
            send(account, p, now);
        });
    }

    private void send(String account, Pending p, long now) {
        sender.send(account, p.portfolio, p.instruments);
        if (recordIntervalMs > 0 || markIntervalMs > 0) {
            lastSent.put(account, now);
        }
    }
}
