package io.etrms.gateway.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import io.etrms.gateway.metrics.GatewayMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The broadcaster's fan-out to more subscribers than one thread serves alone. */
class FanOutTest {

    /** Completes every send at once and keeps what it was sent, in order. */
    private static final class RecordingSink implements TextSink {
        final List<String> sent = new ArrayList<>();
        /** How many messages each write carried. */
        final List<Integer> writes = new ArrayList<>();

        @Override
        public synchronized void send(EncodedText[] texts, Consumer<Throwable> completion) {
            for (EncodedText text : texts) {
                sent.add(text.text());
            }
            writes.add(texts.length);
            completion.accept(null);
        }

        @Override
        public void close(int code, String reason) {
        }
    }

    private final GatewayMetrics metrics = new GatewayMetrics();

    @Test
    void shouldGiveEverySubscriberEveryMessageInOrderBeforePublishReturns() {
        int subscribers = FanOut.PARALLEL_MIN * 4 + 7;
        try (FanOut fanOut = new FanOut(3)) {
            TopicBroadcaster broadcaster = new TopicBroadcaster(fanOut);
            SubscriptionRequest request = SubscriptionRequest.parse(Channel.ALERTS, Map.of(), "main");
            List<RecordingSink> sinks = new ArrayList<>();
            for (int i = 0; i < subscribers; i++) {
                RecordingSink sink = new RecordingSink();
                broadcaster.subscribe(new Subscriber(request, new QueueingSender(sink, metrics.channel(Channel.ALERTS), 16), 16));
                sinks.add(sink);
            }

            List<String> published = new ArrayList<>();
            for (int id = 1; id <= 40; id++) {
                String alert = "{\"type\":\"circuit_breaker\",\"alert_id\":" + id + ",\"account\":\"main\"}";
                broadcaster.publish(ChannelMessage.parse(Channel.ALERTS, alert));
                published.add(alert);
                // publish returns only once every subscriber was offered the alert
                for (RecordingSink sink : sinks) {
                    assertThat(sink.sent).hasSize(id);
                }
            }

            for (RecordingSink sink : sinks) {
                assertThat(sink.sent).containsExactlyElementsOf(published);
            }
            assertThat(metrics.channel(Channel.ALERTS).sent().count()).isEqualTo(40.0 * subscribers);
        }
    }

    @Test
    void shouldStillDeliverOnTheCallerAfterClose() {
        FanOut fanOut = new FanOut(1);
        TopicBroadcaster broadcaster = new TopicBroadcaster(fanOut);
        SubscriptionRequest request = SubscriptionRequest.parse(Channel.POSITIONS, Map.of(), "main");
        List<RecordingSink> sinks = new ArrayList<>();
        for (int i = 0; i < FanOut.PARALLEL_MIN; i++) {
            RecordingSink sink = new RecordingSink();
            broadcaster.subscribe(new Subscriber(request, new ConflatingSender(sink, metrics.channel(Channel.POSITIONS)), 16));
            sinks.add(sink);
        }
        broadcaster.publish(ChannelMessage.parse(Channel.POSITIONS, "{\"type\":\"positions\",\"account\":\"main\",\"timestamp\":1}"));
        broadcaster.close();
        broadcaster.publish(ChannelMessage.parse(Channel.POSITIONS, "{\"type\":\"positions\",\"account\":\"main\",\"timestamp\":2}"));

        for (RecordingSink sink : sinks) {
            assertThat(sink.sent).containsExactly(
                    "{\"type\":\"positions\",\"account\":\"main\",\"timestamp\":1}",
                    "{\"type\":\"positions\",\"account\":\"main\",\"timestamp\":2}");
        }
    }

    @Test
    void shouldGiveEachSubscriberTheAlertsOfOnePublishOfItsAccountInOneWrite() {
        int perAccount = FanOut.PARALLEL_MIN * 2 + 3;
        try (FanOut fanOut = new FanOut(2)) {
            TopicBroadcaster broadcaster = new TopicBroadcaster(fanOut);
            List<RecordingSink> mainSinks = new ArrayList<>();
            List<RecordingSink> otherSinks = new ArrayList<>();
            for (int i = 0; i < perAccount; i++) {
                for (String account : List.of("main", "other")) {
                    RecordingSink sink = new RecordingSink();
                    SubscriptionRequest request = SubscriptionRequest.parse(Channel.ALERTS, Map.of(), account);
                    broadcaster.subscribe(new Subscriber(request, new QueueingSender(sink, metrics.channel(Channel.ALERTS), 16), 16));
                    (account.equals("main") ? mainSinks : otherSinks).add(sink);
                }
            }

            broadcaster.publish(List.of(alert(1, "main"), alert(2, "other"), alert(3, "main"), alert(4, "other"), alert(5, "main")));

            for (RecordingSink sink : mainSinks) {
                assertThat(sink.sent).containsExactly(alert(1, "main").json(), alert(3, "main").json(), alert(5, "main").json());
                assertThat(sink.writes).containsExactly(3);
            }
            for (RecordingSink sink : otherSinks) {
                assertThat(sink.sent).containsExactly(alert(2, "other").json(), alert(4, "other").json());
                assertThat(sink.writes).containsExactly(2);
            }
            assertThat(metrics.channel(Channel.ALERTS).sent().count()).isEqualTo(5.0 * perAccount);
        }
    }

    private static ChannelMessage alert(long id, String account) {
        return ChannelMessage.parse(Channel.ALERTS, "{\"type\":\"circuit_breaker\",\"alert_id\":" + id + ",\"account\":\"" + account + "\"}");
    }
}
