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

        @Override
        public synchronized void send(String text, Consumer<Throwable> completion) {
            sent.add(text);
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

        sender.offer("v1");
        sender.offer("v2");
        sender.offer("v3");
        sender.offer("v4");

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

        sender.offer("a1");
        sender.offer("a2");
        sender.offer("a3");
        sender.offer("a4");
        assertThat(sink.sent).containsExactly("a1");
        sink.complete();
        sink.complete();
        assertThat(sink.sent).containsExactly("a1", "a2", "a3");
        assertThat(sink.closes).isEmpty();

        // a3 in flight, a4 queued: two more fit, the third overflows
        sender.offer("a5");
        sender.offer("a6");
        assertThat(sink.closes).isEmpty();
        sender.offer("a7");

        assertThat(sink.closes).containsExactly("1013 " + QueueingSender.OVERFLOW_REASON);
        assertThat(sender.isClosed()).isTrue();
        sink.complete();
        assertThat(sink.sent).containsExactly("a1", "a2", "a3");
        assertThat(metrics.channel(Channel.ALERTS).slowConsumerCloses().count()).isEqualTo(1.0);
    }

    @Test
    void shouldDrainWithoutRecursionWhenSendsCompleteInline() {
        List<String> sent = new ArrayList<>();
        TextSink inline = new TextSink() {
            @Override
            public void send(String text, Consumer<Throwable> completion) {
                sent.add(text);
                completion.accept(null);
            }

            @Override
            public void close(int code, String reason) {
            }
        };
        QueueingSender sender = new QueueingSender(inline, metrics.channel(Channel.ALERTS), 200_000);
        for (int i = 0; i < 100_000; i++) {
            sender.offer("a" + i);
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
