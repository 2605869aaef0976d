package io.etrms.streams.account;

import io.etrms.model.AccountsSnapshot;
import io.etrms.model.PortfolioSnapshot;
import io.etrms.model.RiskMetricsSnapshot;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Publishes an account's portfolio, accounts and risk-metrics snapshots, at most once per account
 * per {@code minIntervalMs} of wall-clock time: the first change after a quiet interval goes out at
 * once, later ones within the interval are replaced by the latest, which goes out when the interval
 * has passed ({@link #flushDue}, called from a wall-clock punctuation). The breakers are not
 * affected: they run on every record before this, and alerts and risk commands are never held.
 * These topics are the latest state of an account (compacted, conflated again by the gateway per
 * connection); what a held snapshot would have shown is in the next one, with {@code max_drawdown}
 * and the trading states carrying any peak or breach in between.
 *
 * <p>Held snapshots live in memory only. If the task stops before they go out (crash, rebalance),
 * its next initialisation publishes the current snapshots of all its accounts ({@code republish}),
 * so the topics never stay behind the committed state. With {@code minIntervalMs} 0 every snapshot
 * goes out at once and nothing is held.
 */
final class SnapshotPublisher {

    /**
     * The latest snapshots of one account not yet published; a null part has nothing new. Parts are
     * built when they go out (a held one replaced by a newer one is never built).
     */
    record Snapshots(Supplier<PortfolioSnapshot> portfolio, Supplier<AccountsSnapshot> accounts, Supplier<RiskMetricsSnapshot> metrics) {

        Snapshots over(Snapshots older) {
            return older == null ? this : new Snapshots(portfolio != null ? portfolio : older.portfolio,
                    accounts != null ? accounts : older.accounts, metrics != null ? metrics : older.metrics);
        }
    }

    private final ProcessorContext<String, Object> context;
    private final long minIntervalMs;
    private final Map<String, Snapshots> held = new LinkedHashMap<>();
    /** Wall-clock time of each account's latest publication, kept while it still holds back the next. */
    private final Map<String, Long> lastSent = new HashMap<>();

    SnapshotPublisher(ProcessorContext<String, Object> context, long minIntervalMs) {
        this.context = context;
        this.minIntervalMs = minIntervalMs;
    }

    boolean conflates() {
        return minIntervalMs > 0;
    }

    void publish(String account, Snapshots snapshots) {
        if (minIntervalMs <= 0) {
            send(account, snapshots);
            return;
        }
        long now = context.currentSystemTimeMs();
        Snapshots merged = snapshots.over(held.remove(account));
        Long last = lastSent.get(account);
        if (last == null || now - last >= minIntervalMs) {
            send(account, merged);
            lastSent.put(account, now);
        } else {
            held.put(account, merged);
        }
    }

    /** Publishes every held snapshot whose account's interval has passed. */
    void flushDue(long now) {
        for (Iterator<Map.Entry<String, Snapshots>> it = held.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Snapshots> e = it.next();
            Long last = lastSent.get(e.getKey());
            if (last == null || now - last >= minIntervalMs) {
                send(e.getKey(), e.getValue());
                lastSent.put(e.getKey(), now);
                it.remove();
            }
        }
        lastSent.entrySet().removeIf(e -> now - e.getValue() >= minIntervalMs && !held.containsKey(e.getKey()));
    }

    /** Publishes these snapshots now, replacing anything held for their accounts. */
    void republish(Map<String, Snapshots> current) {
        long now = context.currentSystemTimeMs();
        current.forEach((account, snapshots) -> {
            held.remove(account);
            send(account, snapshots);
            lastSent.put(account, now);
        });
    }

    private void send(String account, Snapshots s) {
        for (Supplier<?> builder : Arrays.asList(s.portfolio, s.accounts, s.metrics)) {
            if (builder != null) {
                Object part = builder.get();
                // The record's Kafka timestamp is when it is published: the event time (in the
                // payload) may lie ahead of the broker's clock further than it accepts.
                context.forward(new Record<>(account, part, context.currentSystemTimeMs()), sink(part));
            }
        }
    }

    private static String sink(Object part) {
        if (part instanceof PortfolioSnapshot) {
            return AccountTopology.PORTFOLIO_SINK;
        }
        return part instanceof AccountsSnapshot ? AccountTopology.ACCOUNTS_SINK : AccountTopology.RISK_METRICS_SINK;
    }
}
