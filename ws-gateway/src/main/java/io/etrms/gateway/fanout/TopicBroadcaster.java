package io.etrms.gateway.fanout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The gateway's in-memory state and fan-out: the latest message per account of each state
 * channel (rebuilt from the compacted topics at start), and the subscribers per channel and
 * account. The Kafka consumer thread {@link #publish publishes}; connections
 * {@link #subscribe subscribe}. Both change the channel's state under its lock, so a new
 * subscriber gets the snapshot and then every later change, never an older value after a newer
 * one. No socket write runs under the lock: a publish stores the message and takes the
 * account's subscribers under it, then offers the message to each with
 * the lock released (see {@link Members}), on several threads for a large fan-out ({@link FanOut});
 * a subscribe only buffers the snapshot under it and starts the send after.
 * Unsubscribing takes no lock (it runs inside Jetty's onClose, possibly on a thread that holds a
 * sender's or subscriber's lock): the subscriber is queued and dropped by the next publish or
 * subscribe on its channel.
 */
public final class TopicBroadcaster implements AutoCloseable {

    /**
     * The subscribers of one account: the first {@code size} slots of {@code slots}. Changed under
     * the hub lock only: joining writes the next free slot (growing into a new array when full),
     * leaving builds a new array. A slot below a size once read is therefore never written again, so
     * a publish reads {@code slots} and {@code size} under the lock and iterates without it.
     */
    private static final class Members {
        Subscriber[] slots = new Subscriber[4];
        int size;

        void add(Subscriber subscriber) {
            if (size == slots.length) {
                slots = Arrays.copyOf(slots, size * 2);
            }
            slots[size++] = subscriber;
        }

        /** Removes {@code left}; false when none is left. */
        boolean removeAll(Set<Subscriber> left) {
            Subscriber[] kept = new Subscriber[Math.max(4, slots.length)];
            int n = 0;
            for (int i = 0; i < size; i++) {
                if (!left.contains(slots[i])) {
                    kept[n++] = slots[i];
                }
            }
            slots = kept;
            size = n;
            return n > 0;
        }
    }

    private static final class Hub {
        final Map<String, ChannelMessage> latest = new HashMap<>();
        final Map<String, Members> subscribers = new HashMap<>();
        final Queue<Subscriber> leaving = new ConcurrentLinkedQueue<>();

        /** Drops the subscribers that left, one pass per account however many left. Holds the hub lock. */
        void dropLeavers() {
            if (leaving.isEmpty()) {
                return;
            }
            Map<String, Set<Subscriber>> gone = new HashMap<>();
            for (Subscriber s; (s = leaving.poll()) != null; ) {
                gone.computeIfAbsent(s.request().account(), a -> new HashSet<>()).add(s);
            }
            gone.forEach((account, left) -> {
                Members members = subscribers.get(account);
                if (members != null && !members.removeAll(left)) {
                    subscribers.remove(account);
                }
            });
        }
    }

    private final Map<Channel, Hub> hubs = new EnumMap<>(Channel.class);

    private final FanOut fanOut;

    public TopicBroadcaster() {
        this(FanOut.forThisMachine());
    }

    public TopicBroadcaster(FanOut fanOut) {
        this.fanOut = fanOut;
        for (Channel channel : Channel.values()) {
            hubs.put(channel, new Hub());
        }
    }

    /**
     * Stores {@code message} as the latest of its account (state channels) and offers it to the
     * account's subscribers. Called by one thread (the Kafka reader), so the messages of an account
     * reach each subscriber in order.
     */
    public void publish(ChannelMessage message) {
        publish(message.channel(), message.account(), new ChannelMessage[] {message});
    }

    /**
     * {@link #publish(ChannelMessage) Publishes} {@code messages} in order, those of one channel and
     * account together: a subscriber buffers all of its account's messages before its send starts,
     * so a connection gets the alerts of one Kafka poll in one write instead of one write each.
     */
    public void publish(List<ChannelMessage> messages) {
        Map<Channel, Map<String, List<ChannelMessage>>> byAccount = new EnumMap<>(Channel.class);
        for (ChannelMessage message : messages) {
            byAccount.computeIfAbsent(message.channel(), c -> new LinkedHashMap<>())
                    .computeIfAbsent(message.account(), a -> new ArrayList<>()).add(message);
        }
        byAccount.forEach((channel, accounts) -> accounts.forEach((account, ofAccount) -> publish(channel, account, ofAccount.toArray(new ChannelMessage[0]))));
    }

    /** Stores the last of {@code messages} as the account's latest (state channels) and offers them all to its subscribers. */
    private void publish(Channel channel, String account, ChannelMessage[] messages) {
        Hub hub = hubs.get(channel);
        Subscriber[] targets;
        int count;
        synchronized (hub) {
            hub.dropLeavers();
            if (channel.isState()) {
                hub.latest.put(account, messages[messages.length - 1]);
            }
            Members members = hub.subscribers.get(account);
            if (members == null) {
                return;
            }
            targets = members.slots;
            count = members.size;
        }
        fanOut.deliver(messages, targets, count);
    }

    /** A tombstone: the account has no snapshot on this channel any more. */
    public void remove(Channel channel, String account) {
        Hub hub = hubs.get(channel);
        synchronized (hub) {
            hub.latest.remove(account);
        }
    }

    /** Registers {@code subscriber} and, on a state channel, offers it the current snapshot. */
    public void subscribe(Subscriber subscriber) {
        SubscriptionRequest request = subscriber.request();
        Hub hub = hubs.get(request.channel());
        boolean due = false;
        synchronized (hub) {
            hub.dropLeavers();
            hub.subscribers.computeIfAbsent(request.account(), a -> new Members()).add(subscriber);
            ChannelMessage current = hub.latest.get(request.account());
            if (current != null) {
                due = subscriber.deliverLater(current);
            }
        }
        if (due) {
            subscriber.sender().pump();
        }
    }

    /** Takes no lock: see the class comment. */
    public void unsubscribe(Subscriber subscriber) {
        hubs.get(subscriber.request().channel()).leaving.add(subscriber);
    }

    /** Subscribers currently registered on {@code channel} (for tests and metrics). */
    public int subscriberCount(Channel channel) {
        Hub hub = hubs.get(channel);
        synchronized (hub) {
            hub.dropLeavers();
            return hub.subscribers.values().stream().mapToInt(m -> m.size).sum();
        }
    }

    public Optional<ChannelMessage> latest(Channel channel, String account) {
        Hub hub = hubs.get(channel);
        synchronized (hub) {
            return Optional.ofNullable(hub.latest.get(account));
        }
    }

    /** Accounts with a snapshot on {@code channel}. */
    public List<String> accounts(Channel channel) {
        Hub hub = hubs.get(channel);
        synchronized (hub) {
            return new ArrayList<>(hub.latest.keySet());
        }
    }

    /** Stops the fan-out helper threads. */
    @Override
    public void close() {
        fanOut.close();
    }
}
