package io.etrms.gateway.fanout;

/**
 * Sender of a state channel: keeps only the latest snapshot behind the one in flight, so a slow
 * reader gets the newest value, never a backlog. Memory per connection: two references to
 * messages shared with every other connection.
 */
public final class ConflatingSender extends OutboundSender {

    private EncodedText latest;

    public ConflatingSender(TextSink sink, ChannelMeters meters) {
        super(sink, meters);
    }

    @Override
    protected boolean enqueue(EncodedText text) {
        if (latest != null) {
            meters().conflated().increment();
        }
        latest = text;
        return true;
    }

    @Override
    protected EncodedText next() {
        EncodedText text = latest;
        latest = null;
        return text;
    }

    @Override
    protected int buffered() {
        return latest == null ? 0 : 1;
    }
}
