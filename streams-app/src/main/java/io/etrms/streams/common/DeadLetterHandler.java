package io.etrms.streams.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.etrms.model.DeadLetter;
import io.etrms.model.Json;
import io.etrms.model.JsonSerde;
import org.apache.kafka.common.header.internals.RecordHeaders;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' exception handlers of both stages, feeding {@code dead-letters} through Kafka
 * Streams' own dead-letter records (KIP-1034: sent by the task's producer, in its transaction):
 * <ul>
 *   <li><b>deserialization</b>: a value of a typed source that does not parse becomes a
 *       {@link DeadLetter} with the raw payload and the parser's reason ({@link DeadLetterReason#UNPARSABLE});</li>
 *   <li><b>processing</b>: an unexpected failure of our own code sets the record aside
 *       ({@link DeadLetterReason#PROCESSING_ERROR}) instead of stopping the stream thread;</li>
 *   <li><b>production</b>: an output larger than {@code etrms.record.max.bytes} (refused by
 *       {@link SizeGuard} before it reaches the producer, where it would poison the transaction)
 *       becomes a dead letter naming the topic and size ({@link DeadLetterReason#TOO_LARGE}); a
 *       retriable send error is retried, anything else fails the task as Kafka Streams' default does.</li>
 * </ul>
 * The pipeline goes on in every case. {@link #configure(Properties, String, DeadLetterCounts)} sets it up.
 */
public final class DeadLetterHandler implements DeserializationExceptionHandler, ProcessingExceptionHandler, ProductionExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterHandler.class);

    /** The dead-letters topic (full name). */
    public static final String TOPIC_CONFIG = "etrms.dead.letters.topic";
    /** The stage's {@link DeadLetterCounts} object. */
    public static final String COUNTS_CONFIG = "etrms.dead.letters.counts";

    /** Version of the dead-letters value schema (docs/api/schemas/dead-letters.schema.json). */
    private static final int DEAD_LETTER_SCHEMA_VERSION = io.etrms.model.Topics.defaults().deadLetters.valueSerde().schemaVersion();

    private String topic;
    private DeadLetterCounts counts;

    /** Installs this class as all three handlers of a stage. */
    public static void configure(Properties props, String deadLettersTopic, DeadLetterCounts counts) {
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        props.put(TOPIC_CONFIG, deadLettersTopic);
        props.put(COUNTS_CONFIG, counts);
    }

    @Override
    public void configure(Map<String, ?> configs) {
        Object name = configs.get(TOPIC_CONFIG);
        if (!(name instanceof String s) || s.isBlank()) {
            throw new IllegalArgumentException(TOPIC_CONFIG + " must name the dead-letters topic");
        }
        topic = s;
        counts = configs.get(COUNTS_CONFIG) instanceof DeadLetterCounts c ? c : new DeadLetterCounts();
    }

    @Override
    public DeserializationExceptionHandler.Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
                                                                Exception exception) {
        String error = unparsable(exception) + DeadLetters.truncationNote(record.value());
        log.warn("dead letter from {}-{}@{}: {}", context.topic(), context.partition(), context.offset(), error);
        return DeserializationExceptionHandler.Response.resume(
                letter(context, record.key(), record.value(), error, record.timestamp(), DeadLetterReason.UNPARSABLE));
    }

    @Override
    public ProcessingExceptionHandler.Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        log.error("processing failed in {} for a record from {}-{}@{}; it goes to dead-letters", context.processorNodeId(),
                context.topic(), context.partition(), context.offset(), exception);
        String error = "processing error: " + exception + DeadLetters.truncationNote(context.sourceRawValue());
        return ProcessingExceptionHandler.Response.resume(letter(context, context.sourceRawKey(), context.sourceRawValue(), error,
                context.timestamp(), DeadLetterReason.PROCESSING_ERROR));
    }

    @Override
    public ProductionExceptionHandler.Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record,
                                                           Exception exception) {
        if (exception instanceof RetriableException) {
            return ProductionExceptionHandler.Response.retry();
        }
        if (exception instanceof RecordTooLargeException) {
            return ProductionExceptionHandler.Response.resume(tooLarge(context, record.topic(), record.key(), exception));
        }
        log.error("cannot send a record to {}: failing the task", record.topic(), exception);
        return ProductionExceptionHandler.Response.fail();
    }

    @Override
    @SuppressWarnings("rawtypes")
    public ProductionExceptionHandler.Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record,
                                                                        Exception exception, SerializationExceptionOrigin origin) {
        byte[] key = record.key() instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : null;
        if (exception instanceof RecordTooLargeException) {
            return ProductionExceptionHandler.Response.resume(tooLarge(context, record.topic(), key, exception));
        }
        log.error("cannot serialize a record for {} (a bug): it goes to dead-letters", record.topic(), exception);
        return ProductionExceptionHandler.Response.resume(letter(context, key, null,
                "cannot serialize the " + origin.name().toLowerCase() + " of a record for " + record.topic() + ": " + exception,
                context.timestamp(), DeadLetterReason.PROCESSING_ERROR));
    }

    private List<ProducerRecord<byte[], byte[]>> tooLarge(ErrorHandlerContext context, String target, byte[] key, Exception exception) {
        log.error("a record for {} is too large; a dead letter replaces it: {}", target, exception.getMessage());
        return letter(context, key, null, "record for " + target + " too large: " + exception.getMessage(), context.timestamp(),
                DeadLetterReason.TOO_LARGE);
    }

    private List<ProducerRecord<byte[], byte[]>> letter(ErrorHandlerContext context, byte[] key, byte[] payload, String error,
                                                        long timestamp, DeadLetterReason reason) {
        DeadLetter letter = new DeadLetter(context.topic(), context.partition(), context.offset(), error,
                DeadLetters.payloadText(payload), timestamp);
        counts.record(context.topic(), reason);
        // Labelled as the dead-letters topic's serde labels every record (Kafka Streams sends these as they are).
        RecordHeaders headers = new RecordHeaders();
        headers.add(JsonSerde.CONTENT_TYPE_HEADER, JsonSerde.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
        headers.add(JsonSerde.SCHEMA_VERSION_HEADER, Integer.toString(DEAD_LETTER_SCHEMA_VERSION).getBytes(StandardCharsets.UTF_8));
        return List.of(new ProducerRecord<>(topic, null, key, Json.write(letter).getBytes(StandardCharsets.UTF_8), headers));
    }

    /** The parser's own words, without the serde's wrapping. */
    static String unparsable(Exception exception) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (t instanceof JsonProcessingException json) {
                return "unparsable JSON: " + json.getOriginalMessage();
            }
        }
        return "unparsable value: " + exception.getMessage();
    }
}
