package io.etrms.gateway.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import io.etrms.gateway.metrics.GatewayMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The per-connection senders against a sink whose sends complete only when the test says so. */
class SendersTest {

    /** Records sends and closes; completes a send on {@link #complete()}. */
    static final class ManualSink implements TextSink {
        final List<String> sent = new ArrayList<>();
        final List<Consumer<Throwable>> pending = new ArrayList<>();
        final List<String> closes = new ArrayList<>();

        /** What each write carried. */
        final List<List<String>> writes = new ArrayList<>();

        @Override
        public synchronized void send(EncodedText[] texts, Consumer<Throwable> completion) {
            List<String> write = new ArrayList<>();
            for (EncodedText text : texts) {
                sent.add(text.text());
                write.add(text.text());
            }
            writes.add(write);
            pending.add(completion);
        }

        @Override
        public synchronized void close(int code, String reason) {
            closes.add(code + " " + reason);
        }

        void complete() {
            Consumer<Throwable> completion;
            synchronized (this) {
                completion = pending.remove(0);
            }
            completion.accept(null);
        }
    }

    private final GatewayMetrics metrics = new GatewayMetrics();

    @Test
    void shouldKeepOneSendInFlightAndConflateToTheLatestSnapshot() {
        ManualSink sink = new ManualSink();
        ConflatingSender sender = new ConflatingSender(sink, metrics.channel(Channel.POSITIONS));

        sender.offer(EncodedText.of("v1"));
        sender.offer(EncodedText.of("v2"));
        sender.offer(EncodedText.of("v3"));
        sender.offer(EncodedText.of("v4"));

        assertThat(sink.sent).containsExactly("v1");
        assertThat(sender.pending()).isEqualTo(2);
        sink.complete();
        assertThat(sink.sent).containsExactly("v1", "v4");
        sink.complete();
        assertThat(sender.pending()).isZero();
        assertThat(metrics.channel(Channel.POSITIONS).conflated().count()).isEqualTo(2.0);
        assertThat(metrics.channel(Channel.POSITIONS).sent().count()).isEqualTo(2.0);
    }

    @Test
    void shouldSendEveryAlertInOrderAndCloseWith1013WhenTheQueueOverflows() {
        ManualSink sink = new ManualSink();
        QueueingSender sender = new QueueingSender(sink, metrics.channel(Channel.ALERTS), 3);

        sender.offer(EncodedText.of("a1"));
        sender.offer(EncodedText.of("a2"));
        sender.offer(EncodedText.of("a3"));
        sender.offer(EncodedText.of("a4"));
        assertThat(sink.writes).containsExactly(List.of("a1"));
        sink.complete();
        // the three queued behind a1 go out in one write
        assertThat(sink.writes).containsExactly(List.of("a1"), List.of("a2", "a3", "a4"));
        assertThat(sender.pending()).isEqualTo(3);
        assertThat(sink.closes).isEmpty();

        // a2..a4 in flight, the queue empty: three more fit, the fourth overflows
        sender.offer(EncodedText.of("a5"));
        sender.offer(EncodedText.of("a6"));
        sender.offer(EncodedText.of("a7"));
        assertThat(sink.closes).isEmpty();
        sender.offer(EncodedText.of("a8"));

        assertThat(sink.closes).containsExactly("1013 " + QueueingSender.OVERFLOW_REASON);
        assertThat(sender.isClosed()).isTrue();
        sink.complete();
        assertThat(sink.sent).containsExactly("a1", "a2", "a3", "a4");
        assertThat(metrics.channel(Channel.ALERTS).slowConsumerCloses().count()).isEqualTo(1.0);
        assertThat(metrics.channel(Channel.ALERTS).sent().count()).isEqualTo(4.0);
    }

    @Test
    void shouldCarryAtMostMaxBatchMessagesPerWrite() {
        ManualSink sink = new ManualSink();
        QueueingSender sender = new QueueingSender(sink, metrics.channel(Channel.ALERTS), 1000);

        for (int i = 0; i <= 100; i++) {
            sender.offer(EncodedText.of("a" + i));
        }
        sink.complete();
        sink.complete();
        sink.complete();

        assertThat(sink.writes).extracting(List::size).containsExactly(1, OutboundSender.MAX_BATCH, 100 - OutboundSender.MAX_BATCH);
        assertThat(sink.writes.get(2)).startsWith("a65").endsWith("a100");
        assertThat(sender.pending()).isZero();
        assertThat(metrics.channel(Channel.ALERTS).sent().count()).isEqualTo(101.0);
    }

    @Test
    void shouldDrainWithoutRecursionWhenSendsCompleteInline() {
        List<String> sent = new ArrayList<>();
        TextSink inline = new TextSink() {
            @Override
            public void send(EncodedText[] texts, Consumer<Throwable> completion) {
                for (EncodedText text : texts) {
                    sent.add(text.text());
                }
                completion.accept(null);
            }

            @Override
            public void close(int code, String reason) {
            }
        };
        QueueingSender sender = new QueueingSender(inline, metrics.channel(Channel.ALERTS), 200_000);
        for (int i = 0; i < 100_000; i++) {
            sender.offer(EncodedText.of("a" + i));
        }
        assertThat(sent).hasSize(100_000);
        assertThat(sent.get(99_999)).isEqualTo("a99999");
    }

    @Test
    void shouldHoldLiveAlertsDuringAReplayAndDropThoseTheReplaySent() {
        ManualSink sink = new ManualSink();
        QueueingSender sender = new QueueingSender(sink, metrics.channel(Channel.ALERTS), 100);
        Subscriber subscriber = new Subscriber(new SubscriptionRequest(Channel.ALERTS, "main", SnapshotFilter.NONE, 0L), sender, 100);
        subscriber.startHolding();

        subscriber.deliver(alert(5));
        subscriber.deliver(alert(6));
        assertThat(sink.sent).isEmpty();
        subscriber.endReplay(5);
        subscriber.deliver(alert(7));
        sink.complete();

        assertThat(sink.sent).containsExactly(alert(6).json(), alert(7).json());
    }

    private static ChannelMessage alert(long id) {
        return ChannelMessage.parse(Channel.ALERTS, "{\"type\":\"circuit_breaker\",\"alert_id\":" + id + ",\"account\":\"main\"}");
    }
}
