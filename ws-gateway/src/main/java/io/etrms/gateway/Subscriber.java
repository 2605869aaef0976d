package io.etrms.gateway;

import java.util.ArrayList;
import java.util.List;

/**
 * One connection's subscription to one account on one channel. The broadcaster hands it every
 * message of that account; it renders the message for its filter (shared with every subscriber
 * using the same filter) and offers it to its sender.
 *
 * <p>An alerts subscription opened with {@code since} starts <em>holding</em>: live alerts wait
 * here while {@link AlertReplay} sends the history from Kafka; {@link #endReplay(long)} then
 * releases the held alerts, dropping those the replay already sent ({@code alert_id} grows per
 * account, so the hand-over has neither a gap nor a duplicate).
 */
final class Subscriber {

    private final SubscriptionRequest request;
    private final OutboundSender sender;
    private final int holdCapacity;
    private boolean holding;
    private final List<ChannelMessage> held = new ArrayList<>();
    private long replayedUpTo = Long.MIN_VALUE;

    Subscriber(SubscriptionRequest request, OutboundSender sender, int holdCapacity) {
        this.request = request;
        this.sender = sender;
        this.holdCapacity = holdCapacity;
    }

    SubscriptionRequest request() {
        return request;
    }

    OutboundSender sender() {
        return sender;
    }

    /** Called by the broadcaster (never blocks). */
    void deliver(ChannelMessage message) {
        synchronized (this) {
            if (holding) {
                if (held.size() >= holdCapacity) {
                    held.clear();
                    sender.meters().slowConsumerCloses().increment();
                    sender.close(QueueingSender.TRY_AGAIN_LATER, QueueingSender.OVERFLOW_REASON);
                } else {
                    held.add(message);
                }
                return;
            }
            if (message.alertId() >= 0 && message.alertId() <= replayedUpTo) {
                return;
            }
        }
        message.render(request.filter()).ifPresent(sender::offer);
    }

    /** Holds live alerts until {@link #endReplay(long)}. */
    synchronized void startHolding() {
        holding = true;
    }

    /** Releases the held alerts newer than {@code lastReplayedId}, in order, and goes live. */
    synchronized void endReplay(long lastReplayedId) {
        holding = false;
        replayedUpTo = lastReplayedId;
        for (ChannelMessage message : held) {
            if (message.alertId() > replayedUpTo) {
                message.render(request.filter()).ifPresent(sender::offer);
            }
        }
        held.clear();
    }
}
