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

        @Override
        public synchronized void send(EncodedText[] texts, Consumer<Throwable> completion) {
            for (EncodedText text : texts) {
                sent.add(text.text());
            }
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
}
