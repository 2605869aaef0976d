package io.etrms.gateway.http;

import io.etrms.model.EtrmsConfig;
import io.etrms.model.RiskControl;
import io.etrms.model.Topic;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/** Publishes {@link RiskControl} records to {@code risk-control} (key account), waiting for the broker's ack. */
public final class RiskControlPublisher implements AutoCloseable {

    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(15);

    private final Producer<String, RiskControl> producer;
    private final Topic<RiskControl> topic;

    RiskControlPublisher(Producer<String, RiskControl> producer, Topic<RiskControl> topic) {
        this.producer = producer;
        this.topic = topic;
    }

    public static RiskControlPublisher create(EtrmsConfig config) {
        Topic<RiskControl> topic = config.topics().riskControl;
        Map<String, Object> props = new HashMap<>(config.kafka());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(ACK_TIMEOUT.toMillis()));
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "etrms-gateway-control");
        return new RiskControlPublisher(new KafkaProducer<>(props, topic.keySerde().serializer(), topic.valueSerde()), topic);
    }

    /**
     * @throws IllegalStateException when the broker did not acknowledge in time
     */
    RecordMetadata publish(RiskControl control) {
        try {
            return producer.send(new ProducerRecord<>(topic.name(), control.account(), control))
                    .get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted publishing risk-control", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not publish risk-control: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
