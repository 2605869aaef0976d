package io.etrms.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * The one {@link ObjectMapper} of ETRMS: snake_case fields, nulls left out, unknown fields
 * ignored (producers may add fields), NaN/Infinity and trailing garbage rejected, and decimals
 * written as plain JSON numbers without trailing zeros ({@code 0.5}, never {@code 5.0E-1} or
 * {@code 0.50000}).
 *
 * <p>Read limits ({@link #READ_CONSTRAINTS}), so hostile input is refused while it is parsed:
 * nesting at most 64 levels (our documents have fewer than 10), a number token at most 1,000
 * characters (Jackson's default, stated; the records' own bounds, {@link Validation}, are far
 * tighter), a string at most 2 MiB characters (a Kafka record is at most 1 MB by default), a field
 * name at most 1,024 characters.
 */
public final class Json {

    public static final StreamReadConstraints READ_CONSTRAINTS = StreamReadConstraints.builder()
            .maxNestingDepth(64)
            .maxNumberLength(1_000)
            .maxStringLength(2 * 1024 * 1024)
            .maxNameLength(1_024)
            .build();

    public static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder().streamReadConstraints(READ_CONSTRAINTS).build())
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .addModule(new SimpleModule("etrms-decimals").addSerializer(BigDecimal.class, new PlainDecimalSerializer()))
            .build();

    private Json() {
    }

    /** Serializes to a JSON string; a failure here is a programming error. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }

    /** The reason a parse failed, without Jackson's source-location noise. */
    public static String reason(Exception e) {
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe) {
            return jpe.getOriginalMessage();
        }
        return String.valueOf(e.getMessage());
    }

    static final class PlainDecimalSerializer extends StdSerializer<BigDecimal> {
        PlainDecimalSerializer() {
            super(BigDecimal.class);
        }

        @Override
        public void serialize(BigDecimal value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeNumber(Decimals.normalize(value).toPlainString());
        }
    }

    static {
        // Reject NaN and Infinity tokens explicitly (Jackson's default, stated for the reader).
        MAPPER.getFactory().configure(JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS, false);
    }
}
