package io.etrms.streams.common;

import io.etrms.model.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a record that cannot be used into a {@link DeadLetter} (source topic, partition, offset,
 * reason, raw payload), forwards it to the dead-letters sink and counts it in the Streams metric
 * {@code dead-letters-total} (group {@code stream-etrms-metrics}, tag {@code etrms-id} = the source topic).
 */
public final class DeadLetters {

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    private final ProcessorContext<String, ?> context;
    private final String sinkName;
    private final Map<String, Sensor> sensors = new ConcurrentHashMap<>();

    public DeadLetters(ProcessorContext<String, ?> context, String sinkName) {
        this.context = context;
        this.sinkName = sinkName;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public void send(Record<String, ?> input, byte[] payload, String reason) {
        RecordMetadata meta = context.recordMetadata().orElse(null);
        String topic = meta == null ? null : meta.topic();
        DeadLetter letter = new DeadLetter(topic,
                meta == null ? null : meta.partition(),
                meta == null ? null : meta.offset(),
                reason,
                payload == null ? null : new String(payload, StandardCharsets.UTF_8),
                input.timestamp());
        log.warn("dead letter from {}-{}@{}: {}", topic, letter.partition(), letter.offset(), reason);
        ((ProcessorContext) context).forward(new Record<>(input.key(), letter, input.timestamp()), sinkName);
        sensor(topic == null ? "unknown" : topic).record();
    }

    /** Forwards a dead letter about an earlier record (one this processor held back), counted under its topic. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void send(String key, DeadLetter letter) {
        log.warn("dead letter from {}-{}@{}: {}", letter.sourceTopic(), letter.partition(), letter.offset(), letter.error());
        ((ProcessorContext) context).forward(new Record<>(key, letter, context.currentSystemTimeMs()), sinkName);
        sensor(letter.sourceTopic() == null ? "unknown" : letter.sourceTopic()).record();
    }

    /**
     * Runs {@code work} for one record; an unexpected failure in our own code dead-letters the
     * record instead of stopping the stream thread. Kafka Streams' own exceptions (task migrated,
     * producer fenced) still propagate: Streams must handle those.
     */
    public void guard(Record<String, ?> input, byte[] payload, Runnable work) {
        try {
            work.run();
        } catch (org.apache.kafka.common.KafkaException e) {
            throw e;
        } catch (RuntimeException e) {
            log.error("processing failed for a record from {}", context.recordMetadata().map(RecordMetadata::topic).orElse("?"), e);
            send(input, payload, "processing error: " + e);
        }
    }

    private Sensor sensor(String source) {
        return sensors.computeIfAbsent(source, s -> context.metrics().addRateTotalSensor(
                "etrms", s, "dead-letters", Sensor.RecordingLevel.INFO));
    }
}
