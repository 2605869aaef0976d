package io.etrms.gateway.fanout;

import java.util.ArrayDeque;

/**
 * Sender of the alerts channel: every message once, in order, never conflated, in a bounded
 * queue. A reader that lets the queue overflow is closed with 1013 (try again later) and resumes
 * without a gap by reconnecting with {@code since=<last alert_id received>}.
 */
public final class QueueingSender extends OutboundSender {

    public static final int TRY_AGAIN_LATER = 1013;
    public static final String OVERFLOW_REASON = "too slow for the alert stream: reconnect with since=<last alert_id>";

    private final ArrayDeque<EncodedText> queue = new ArrayDeque<>();
    private final int capacity;

    public QueueingSender(TextSink sink, ChannelMeters meters, int capacity) {
        super(sink, meters);
        this.capacity = capacity;
    }

    @Override
    protected boolean enqueue(EncodedText text) {
        if (queue.size() >= capacity) {
            queue.clear();
            meters().slowConsumerCloses().increment();
            closeLocked(TRY_AGAIN_LATER, OVERFLOW_REASON);
            return false;
        }
        queue.addLast(text);
        return true;
    }

    @Override
    protected EncodedText next() {
        return queue.pollFirst();
    }

    @Override
    protected int buffered() {
        return queue.size();
    }
}
