package io.etrms.gateway.fanout;

import java.util.ArrayList;
import java.util.List;

/**
 * One connection's subscription to one account on one channel. The broadcaster hands it every
 * message of that account; it renders the message for its filter (shared with every subscriber
 * using the same filter) and offers it to its sender.
 *
 * <p>An alerts subscription opened with {@code since} starts <em>holding</em>: live alerts wait
 * here while the WebSocket endpoint queues the history from the {@link AlertHistory}; {@link #endReplay(long)} then
 * releases the held alerts, dropping those the replay already sent ({@code alert_id} grows per
 * account, so the hand-over has neither a gap nor a duplicate).
 */
public final class Subscriber {

    private final SubscriptionRequest request;
    private final OutboundSender sender;
    private final int holdCapacity;
    /** Set (before registering) on a subscription that replays: only then does a delivery take this lock. */
    private volatile boolean replaying;
    private boolean holding;
    private final List<ChannelMessage> held = new ArrayList<>();
    private long replayedUpTo = Long.MIN_VALUE;

    public Subscriber(SubscriptionRequest request, OutboundSender sender, int holdCapacity) {
        this.request = request;
        this.sender = sender;
        this.holdCapacity = holdCapacity;
    }

    public SubscriptionRequest request() {
        return request;
    }

    public OutboundSender sender() {
        return sender;
    }

    /** Called by the broadcaster (never blocks): offers {@code message} and starts sending it if the connection is free. */
    public void deliver(ChannelMessage message) {
        EncodedText text = accept(message);
        if (text != null) {
            sender.offer(text);
        }
    }

    /**
     * {@link #deliver} without starting the send, for a caller holding a lock no socket write may
     * run under. Never blocks.
     *
     * @return true when the caller should {@link OutboundSender#pump() pump} the sender once it released its lock
     */
    public boolean deliverLater(ChannelMessage message) {
        EncodedText text = accept(message);
        return text != null && sender.buffer(text);
    }

    /** The text to offer for {@code message}, or null when it is held, already replayed or filtered out. */
    private EncodedText accept(ChannelMessage message) {
        if (replaying) {
            synchronized (this) {
                if (holding) {
                    if (held.size() >= holdCapacity) {
                        held.clear();
                        sender.meters().slowConsumerCloses().increment();
                        sender.close(QueueingSender.TRY_AGAIN_LATER, QueueingSender.OVERFLOW_REASON);
                    } else {
                        held.add(message);
                    }
                    return null;
                }
                if (message.alertId() >= 0 && message.alertId() <= replayedUpTo) {
                    return null;
                }
            }
        }
        return message.encoded(request.filter()).orElse(null);
    }

    /** Holds live alerts until {@link #endReplay(long)}. Called before the subscription is registered. */
    public void startHolding() {
        replaying = true;
        synchronized (this) {
            holding = true;
        }
    }

    /** Releases the held alerts newer than {@code lastReplayedId}, in order, and goes live. */
    public synchronized void endReplay(long lastReplayedId) {
        holding = false;
        replayedUpTo = lastReplayedId;
        for (ChannelMessage message : held) {
            if (message.alertId() > replayedUpTo) {
                message.encoded(request.filter()).ifPresent(sender::offer);
            }
        }
        held.clear();
    }
}
