package io.etrms.streams.common;

import io.etrms.model.Json;
import java.util.List;
import java.util.function.Function;

/** The outcome of parsing and validating one raw input value: the record, or the reason it is unusable. */
public record Parsed<T>(T value, String error) {

    /**
     * Parses JSON into {@code type} and applies the record's own validation.
     *
     * @param problems the record's {@code problems()} method
     */
    public static <T> Parsed<T> of(byte[] raw, Class<T> type, Function<T, List<String>> problems) {
        if (raw == null) {
            return new Parsed<>(null, "null value");
        }
        T value;
        try {
            value = Json.MAPPER.readValue(raw, type);
        } catch (Exception e) {
            return new Parsed<>(null, "unparsable JSON: " + Json.reason(e));
        }
        if (value == null) {
            return new Parsed<>(null, "null value");
        }
        List<String> found = problems.apply(value);
        return found.isEmpty() ? new Parsed<>(value, null) : new Parsed<>(null, String.join("; ", found));
    }

    public boolean ok() {
        return error == null;
    }
}
