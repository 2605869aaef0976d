package io.etrms.gateway;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
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
 * {@link #subscribe subscribe}. Both run under the channel's lock, so a new subscriber gets the
 * snapshot and then every later change, never an older value after a newer one. Nothing under the
 * lock blocks: senders only buffer. Unsubscribing takes no lock (it runs inside Jetty's onClose,
 * possibly on a thread that holds a sender's or subscriber's lock): the subscriber is queued and
 * dropped by the next publish or subscribe on its channel.
 */
final class TopicBroadcaster {

    private static final class Hub {
        final Map<String, ChannelMessage> latest = new HashMap<>();
        final Map<String, Set<Subscriber>> subscribers = new HashMap<>();
        final Queue<Subscriber> leaving = new ConcurrentLinkedQueue<>();

        /** Drops the subscribers that left. Holds the hub lock. */
        void dropLeavers() {
            for (Subscriber gone; (gone = leaving.poll()) != null; ) {
                String account = gone.request().account();
                Set<Subscriber> set = subscribers.get(account);
                if (set != null && set.remove(gone) && set.isEmpty()) {
                    subscribers.remove(account);
                }
            }
        }
    }

    private final Map<Channel, Hub> hubs = new EnumMap<>(Channel.class);

    TopicBroadcaster() {
        for (Channel channel : Channel.values()) {
            hubs.put(channel, new Hub());
        }
    }

    /** Stores {@code message} as the latest of its account (state channels) and offers it to the account's subscribers. */
    void publish(ChannelMessage message) {
        Hub hub = hubs.get(message.channel());
        synchronized (hub) {
            hub.dropLeavers();
            if (message.channel().isState()) {
                hub.latest.put(message.account(), message);
            }
            Set<Subscriber> subscribers = hub.subscribers.get(message.account());
            if (subscribers != null) {
                for (Subscriber subscriber : subscribers) {
                    subscriber.deliver(message);
                }
            }
        }
    }

    /** A tombstone: the account has no snapshot on this channel any more. */
    void remove(Channel channel, String account) {
        Hub hub = hubs.get(channel);
        synchronized (hub) {
            hub.latest.remove(account);
        }
    }

    /** Registers {@code subscriber} and, on a state channel, offers it the current snapshot. */
    void subscribe(Subscriber subscriber) {
        SubscriptionRequest request = subscriber.request();
        Hub hub = hubs.get(request.channel());
        synchronized (hub) {
            hub.dropLeavers();
            hub.subscribers.computeIfAbsent(request.account(), a -> new LinkedHashSet<>()).add(subscriber);
            ChannelMessage current = hub.latest.get(request.account());
            if (current != null) {
                subscriber.deliver(current);
            }
        }
    }

    /** Takes no lock: see the class comment. */
    void unsubscribe(Subscriber subscriber) {
        hubs.get(subscriber.request().channel()).leaving.add(subscriber);
    }

    /** Subscribers currently registered on {@code channel} (for tests and metrics). */
    int subscriberCount(Channel channel) {
        Hub hub = hubs.get(channel);
        synchronized (hub) {
            hub.dropLeavers();
            return hub.subscribers.values().stream().mapToInt(Set::size).sum();
        }
    }

    Optional<ChannelMessage> latest(Channel channel, String account) {
        Hub hub = hubs.get(channel);
        synchronized (hub) {
            return Optional.ofNullable(hub.latest.get(account));
        }
    }

    /** Accounts with a snapshot on {@code channel}. */
    List<String> accounts(Channel channel) {
        Hub hub = hubs.get(channel);
        synchronized (hub) {
            return new ArrayList<>(hub.latest.keySet());
        }
    }
}
