package io.etrms.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.etrms.model.Json;
import io.etrms.model.Validation;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Turns user input (a JSON object, a JSONL line, a CSV row) into an {@link InputRecord}, or into
 * the reason it cannot be one. File replay and HTTP ingest share it, so a record is accepted or
 * rejected for the same reason whichever way it came in.
 *
 * <p>Rules beyond the record's own {@code problems()}: the record type comes from the caller
 * (HTTP path, {@code --type}, file name) or from a {@code type} field ({@code fill}, {@code price},
 * {@code transfer}, {@code position_snapshot}, singular or plural); when both are given they must agree. {@code timestamp}
 * may be epoch milliseconds or an ISO-8601 instant ({@code 2025-11-24T10:15:30.250Z}). Numbers may
 * be JSON numbers or numeric strings. Unknown fields are ignored.
 */
public final class InputRecordParser {

    /** The optional field that names the record type. */
    public static final String TYPE_FIELD = "type";

    /**
     * What became of one input item.
     *
     * @param record the record, when valid
     * @param error  why it was rejected, when invalid ({@code ; }-separated when several rules are broken)
     * @param key    the Kafka key the item has or would have had, null if it cannot be told
     */
    public record Result(InputRecord record, String error, String key) {

        static Result valid(InputRecord record) {
            return new Result(record, null, record.key());
        }

        static Result invalid(String error, String key) {
            return new Result(null, error, key);
        }

        public boolean isValid() {
            return record != null;
        }
    }

    private InputRecordParser() {
    }

    /** Parses one line of JSON text. */
    public static Result parseJson(String text, InputKind expected) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return Result.invalid("invalid JSON: " + Json.reason(e), null);
        }
        return parse(node, expected);
    }

    /** Parses one JSON value, which must be an object. */
    public static Result parse(JsonNode node, InputKind expected) {
        if (node == null || node.isMissingNode()) {
            return Result.invalid("empty input", null);
        }
        if (!node.isObject()) {
            return Result.invalid("expected a JSON object, got " + describe(node), null);
        }
        ObjectNode object = ((ObjectNode) node).deepCopy();
        InputKind kind;
        try {
            kind = kindOf(object, expected);
        } catch (IllegalArgumentException e) {
            return Result.invalid(e.getMessage(), null);
        }
        JsonNode timestamp = object.get("timestamp");
        if (timestamp != null && timestamp.isTextual() && !timestamp.asText().trim().matches("-?\\d+")) {
            try {
                object.put("timestamp", Instant.parse(timestamp.asText().trim()).toEpochMilli());
            } catch (DateTimeParseException e) {
                return Result.invalid("field timestamp: '" + Validation.echo(timestamp.asText()) + "' is neither epoch milliseconds nor an ISO-8601 instant",
                        keyFromFields(kind, object));
            }
        }
        Object value;
        try {
            value = Json.MAPPER.treeToValue(object, kind.type());
        } catch (JsonProcessingException e) {
            return Result.invalid(describe(e), keyFromFields(kind, object));
        }
        InputRecord record = new InputRecord(kind, value);
        List<String> problems = record.problems();
        if (!problems.isEmpty()) {
            return Result.invalid(String.join("; ", problems), InputRecord.keyOf(value));
        }
        return Result.valid(record);
    }

    private static InputKind kindOf(ObjectNode object, InputKind expected) {
        JsonNode typeNode = object.remove(TYPE_FIELD);
        InputKind named = null;
        if (typeNode != null && !typeNode.isNull()) {
            if (!typeNode.isTextual()) {
                throw new IllegalArgumentException("field type: expected fill, price, transfer or position_snapshot, got " + describe(typeNode));
            }
            String type = typeNode.asText().trim().toLowerCase(Locale.ROOT);
            named = switch (type) {
                case "fill", "fills" -> InputKind.FILLS;
                case "price", "prices", "price_tick", "tick" -> InputKind.PRICES;
                case "transfer", "transfers", "deposit", "withdrawal" -> InputKind.TRANSFERS;
                case "position_snapshot", "position_snapshots", "position-snapshot", "position-snapshots" -> InputKind.POSITION_SNAPSHOTS;
                default -> throw new IllegalArgumentException("field type: unknown record type '" + Validation.echo(typeNode.asText())
                        + "' (fill, price, transfer or position_snapshot)");
            };
        }
        if (expected != null && named != null && named != expected) {
            throw new IllegalArgumentException("field type: '" + Validation.echo(typeNode.asText()) + "' does not match the expected " + expected);
        }
        if (expected == null && named == null) {
            throw new IllegalArgumentException("record type unknown: add a type field (fill, price, transfer or position_snapshot) "
                    + "or give the type (--type, or a file name containing fills, prices, transfers or position-snapshots)");
        }
        return named != null ? named : expected;
    }

    /** The key from raw fields, for dead letters of records that did not bind. */
    private static String keyFromFields(InputKind kind, ObjectNode object) {
        if (kind == InputKind.TRANSFERS || kind == InputKind.POSITION_SNAPSHOTS) {
            JsonNode account = object.get("account");
            return account != null && account.isTextual() ? account.asText() : null;
        }
        JsonNode exchange = object.get("exchange");
        JsonNode symbol = object.get("symbol");
        return exchange != null && exchange.isTextual() && symbol != null && symbol.isTextual()
                ? exchange.asText() + "|" + symbol.asText() : null;
    }

    private static String describe(JsonProcessingException e) {
        if (e instanceof JsonMappingException jme && !jme.getPath().isEmpty()) {
            String field = jme.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."));
            if (e instanceof InvalidFormatException ife) {
                return "field " + Validation.echo(field) + ": '" + Validation.echo(ife.getValue()) + "' is not " + friendly(ife.getTargetType());
            }
            if (e instanceof MismatchedInputException mie) {
                return "field " + Validation.echo(field) + ": expected " + friendly(mie.getTargetType());
            }
            return "field " + Validation.echo(field) + ": " + Json.reason(e);
        }
        return "invalid record: " + Json.reason(e);
    }

    private static String friendly(Class<?> type) {
        if (type == null) {
            return "a valid value";
        }
        if (type == BigDecimal.class || Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return type == Long.class || type == long.class ? "an integer (epoch milliseconds)" : "a number";
        }
        if (type == String.class) {
            return "a string";
        }
        return "a " + type.getSimpleName();
    }

    private static String describe(JsonNode node) {
        if (node.isArray()) {
            return "an array";
        }
        if (node.isTextual()) {
            return "a string";
        }
        if (node.isNumber()) {
            return "a number";
        }
        if (node.isBoolean()) {
            return "a boolean";
        }
        if (node.isNull()) {
            return "null";
        }
        return node.getNodeType().toString().toLowerCase(Locale.ROOT);
    }
}
