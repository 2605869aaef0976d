package io.etrms.gateway.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.etrms.gateway.metrics.GatewayMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A server-side close (slow consumer, idle, flood, shutdown) while the Kafka reader publishes.
 * Jetty calls the endpoint's onClose — and so {@link TopicBroadcaster#unsubscribe} — on the thread
 * that closes; this once deadlocked (sender lock → hub lock against hub lock → sender lock).
 */
class BroadcasterCloseRaceTest {

    /** Completes every send at once and, like Jetty, runs onClose synchronously inside close(). */
    private static final class JettyLikeSink implements TextSink {
        Runnable onClose = () -> { };
        final AtomicLong sent = new AtomicLong();

        @Override
        public void send(EncodedText[] texts, Consumer<Throwable> completion) {
            sent.addAndGet(texts.length);
            completion.accept(null);
        }

        @Override
        public void close(int code, String reason) {
            onClose.run();
        }
    }

    @Test
    void shouldNeitherDeadlockNorLoseSubscribersWhenConnectionsCloseDuringPublishing() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            GatewayMetrics metrics = new GatewayMetrics();
            TopicBroadcaster broadcaster = new TopicBroadcaster();
            SubscriptionRequest request = SubscriptionRequest.parse(Channel.POSITIONS, Map.of(), "main");
            List<OutboundSender> senders = new ArrayList<>();
            List<JettyLikeSink> sinks = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                JettyLikeSink sink = new JettyLikeSink();
                OutboundSender sender = new ConflatingSender(sink, metrics.channel(Channel.POSITIONS));
                Subscriber subscriber = new Subscriber(request, sender, 16);
                sink.onClose = () -> broadcaster.unsubscribe(subscriber);
                broadcaster.subscribe(subscriber);
                senders.add(sender);
                sinks.add(sink);
            }

            AtomicBoolean publishing = new AtomicBoolean(true);
            AtomicLong published = new AtomicLong();
            Thread reader = new Thread(() -> {
                while (publishing.get()) {
                    long n = published.incrementAndGet();
                    broadcaster.publish(ChannelMessage.parse(Channel.POSITIONS,
                            "{\"type\":\"positions\",\"account\":\"main\",\"timestamp\":" + n + "}"));
                }
            }, "reader");
            reader.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> published.get() >= 100);

            // Close every other connection from the server side while the reader publishes.
            for (int i = 0; i < senders.size(); i += 2) {
                senders.get(i).close(1013, "test");
            }
            long afterCloses = published.get();
            await().atMost(Duration.ofSeconds(10)).until(() -> published.get() >= afterCloses + 100);
            publishing.set(false);
            reader.join();

            // one more publish drops the closed subscribers; the 100 open ones are still served
            broadcaster.publish(ChannelMessage.parse(Channel.POSITIONS, "{\"type\":\"positions\",\"account\":\"main\",\"timestamp\":0}"));
            assertThat(broadcaster.subscriberCount(Channel.POSITIONS)).isEqualTo(100);
            long before = sinks.get(1).sent.get();
            broadcaster.publish(ChannelMessage.parse(Channel.POSITIONS, "{\"type\":\"positions\",\"account\":\"main\",\"timestamp\":-1}"));
            assertThat(sinks.get(1).sent.get()).isEqualTo(before + 1);
            assertThat(senders.get(0).isClosed()).isTrue();
        });
    }
}
