package io.etrms.gateway;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The recent alerts of every account, kept by the {@link TopicReader} as it reads the alerts
 * topic from the beginning, so {@code since} replays and REST {@code /alerts} are answered from
 * memory (a replay used to open a consumer and scan the partition from offset 0: sixty of them
 * made a normal client wait fifteen seconds).
 *
 * <p>Bounded twice: at most {@code perAccount} alerts per account (the oldest goes first), and at
 * most {@code max} in all (the account whose latest alert is the oldest loses its oldest alert).
 * An alert is about 1 KiB here, so the default 20,000 is about 20 MiB. Older alerts stay on the
 * alerts topic (30 days) for anyone who reads Kafka. {@code alert_id} grows per account: an alert
 * whose id is not above the account's last one is a duplicate (a producer retry, a replayed
 * transaction) and is refused.
 */
final class AlertHistory {

    private final int perAccount;
    private final int max;
    /** Accounts in the order of their latest alert, oldest first. */
    private final LinkedHashMap<String, ArrayDeque<ChannelMessage>> byAccount = new LinkedHashMap<>();
    private final HashMap<String, Long> lastIds = new HashMap<>();
    private int size;

    AlertHistory(int perAccount, int max) {
        this.perAccount = perAccount;
        this.max = max;
    }

    /**
     * Keeps {@code alert} unless it is a duplicate.
     *
     * @return true when it is new (and should go to live subscribers)
     */
    synchronized boolean add(ChannelMessage alert) {
        String account = alert.account();
        Long last = lastIds.get(account);
        if (last != null && alert.alertId() <= last) {
            return false;
        }
        lastIds.put(account, alert.alertId());
        ArrayDeque<ChannelMessage> alerts = byAccount.remove(account);
        if (alerts == null) {
            alerts = new ArrayDeque<>();
        }
        byAccount.put(account, alerts); // now the newest entry
        alerts.addLast(alert);
        size++;
        if (alerts.size() > perAccount) {
            alerts.removeFirst();
            size--;
        }
        while (size > max) {
            Iterator<ArrayDeque<ChannelMessage>> eldest = byAccount.values().iterator();
            ArrayDeque<ChannelMessage> oldest = eldest.next();
            oldest.removeFirst();
            size--;
            if (oldest.isEmpty()) {
                eldest.remove();
            }
        }
        return true;
    }

    /** The account's kept alerts with {@code alert_id > since} that pass {@code filter}, oldest first, at most {@code limit}. */
    synchronized List<ChannelMessage> after(String account, long since, int limit, SnapshotFilter filter) {
        List<ChannelMessage> out = new ArrayList<>();
        ArrayDeque<ChannelMessage> alerts = byAccount.get(account);
        if (alerts != null) {
            for (ChannelMessage alert : alerts) {
                if (alert.alertId() > since && alert.encoded(filter).isPresent()) {
                    out.add(alert);
                    if (out.size() == limit) {
                        break;
                    }
                }
            }
        }
        return out;
    }

    /** The account's latest {@code limit} kept alerts that pass {@code filter}, oldest first. */
    synchronized List<ChannelMessage> latest(String account, int limit, SnapshotFilter filter) {
        ArrayDeque<ChannelMessage> kept = new ArrayDeque<>();
        ArrayDeque<ChannelMessage> alerts = byAccount.get(account);
        if (alerts != null) {
            for (Iterator<ChannelMessage> it = alerts.descendingIterator(); it.hasNext() && kept.size() < limit; ) {
                ChannelMessage alert = it.next();
                if (alert.encoded(filter).isPresent()) {
                    kept.addFirst(alert);
                }
            }
        }
        return new ArrayList<>(kept);
    }

    /** Alerts kept, all accounts. */
    synchronized int size() {
        return size;
    }
}
