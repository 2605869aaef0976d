package io.etrms.streams.common;

import io.etrms.model.DeadLetter;
import io.etrms.model.Json;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The explicit dead-letter branch of a processor: a record that parsed but cannot be used is
 * forwarded to the dead-letters sink as a {@link DeadLetter} (source topic, partition, offset,
 * reason, the record as parsed) and counted. Records that do not deserialize, and failures of our
 * own code, reach dead-letters through {@link DeadLetterHandler} instead.
 */
public final class DeadLetters {

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);
    /** Payloads longer than this are cut: a dead letter must stay well under the broker's record size. */
    public static final int MAX_PAYLOAD_BYTES = 64 * 1024;

    private final ProcessorContext<String, ?> context;
    private final String sinkName;
    private final DeadLetterCounts counts;

    public DeadLetters(ProcessorContext<String, ?> context, String sinkName, DeadLetterCounts counts) {
        this.context = context;
        this.sinkName = sinkName;
        this.counts = counts;
    }

    /** Sets {@code input} aside: {@code parsed} is what it parsed to (its payload in the dead letter, as canonical JSON). */
    public void reject(Record<String, ?> input, Object parsed, DeadLetterReason reason, String error) {
        RecordMetadata meta = context.recordMetadata().orElse(null);
        String topic = meta == null ? null : meta.topic();
        DeadLetter letter = new DeadLetter(topic, meta == null ? null : meta.partition(), meta == null ? null : meta.offset(),
                error, parsed == null ? null : Json.write(parsed), input.timestamp());
        send(input.key(), letter, reason);
    }

    /** Forwards a dead letter about an earlier record (one this processor held back). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void send(String key, DeadLetter letter, DeadLetterReason reason) {
        log.warn("dead letter from {}-{}@{}: {}", letter.sourceTopic(), letter.partition(), letter.offset(), letter.error());
        ((ProcessorContext) context).forward(new Record<>(key, letter, context.currentSystemTimeMs()), sinkName);
        counts.record(letter.sourceTopic(), reason);
    }

    /** Raw bytes as dead-letter text: UTF-8 (invalid bytes replaced), cut at {@link #MAX_PAYLOAD_BYTES}. */
    public static String payloadText(byte[] raw) {
        if (raw == null) {
            return null;
        }
        return new String(raw, 0, Math.min(raw.length, MAX_PAYLOAD_BYTES), StandardCharsets.UTF_8);
    }

    /** What to add to the error of a dead letter whose payload was cut. */
    public static String truncationNote(byte[] raw) {
        return raw != null && raw.length > MAX_PAYLOAD_BYTES
                ? " (payload cut to the first " + MAX_PAYLOAD_BYTES + " of " + raw.length + " bytes)" : "";
    }
}
