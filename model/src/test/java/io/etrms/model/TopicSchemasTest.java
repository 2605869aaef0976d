package io.etrms.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The JSON Schema of every topic value ({@code docs/api/schemas/<topic>.schema.json}, referenced
 * from the AsyncAPI document) against the Java record that ETRMS serializes:
 * <ul>
 *   <li>the schema's fields and JSON types are exactly those Jackson writes for the record, nested
 *       records, lists and maps included: a field added to, renamed in or removed from a record
 *       without its schema fails here;</li>
 *   <li>a value the serde writes (every field set) validates against the schema, and the schema
 *       rejects a value of the wrong shape;</li>
 *   <li>the schema version in the file is the one the serde puts in {@code etrms-schema-version}.</li>
 * </ul>
 * After changing a record, change its schema (and bump both versions for an incompatible change).
 */
class TopicSchemasTest {

    private static final Topics TOPICS = Topics.defaults();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final long TS = 1_764_000_000_000L;

    @Test
    void shouldHaveASchemaForEveryTopicWhoseFieldsAreThoseOfItsRecord() throws IOException {
        for (Topic<?> topic : TOPICS.published()) {
            JsonNode schema = read(schemaFile(topic));
            Map<String, String> fromRecord = new TreeMap<>();
            recordShape(Json.MAPPER.constructType(json(topic).type()), "", fromRecord);
            Map<String, String> fromSchema = new TreeMap<>();
            schemaShape(schema, schemaFile(topic), schema, "", fromSchema, fromRecord);

            List<String> drift = new java.util.ArrayList<>();
            fromRecord.forEach((path, type) -> {
                if (!type.equals(fromSchema.get(path))) {
                    drift.add("record has " + (path.isEmpty() ? "(root)" : path) + ": " + type + ", schema " + fromSchema.getOrDefault(path, "nothing"));
                }
            });
            fromSchema.keySet().stream().filter(path -> !fromRecord.containsKey(path))
                    .forEach(path -> drift.add("schema has " + path + ": " + fromSchema.get(path) + ", record nothing"));
            assertThat(drift).as("%s against record %s", schemaFile(topic).getFileName(), json(topic).type().getName()).isEmpty();
            assertThat(schema.path("x-etrms-topic").asText()).isEqualTo(suffix(topic));
            assertThat(schema.path("x-etrms-schema-version").asInt()).as(topic.name()).isEqualTo(json(topic).schemaVersion());
            assertThat(schema.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        }
    }

    @Test
    void shouldAcceptEveryValueTheSerdeWrites() throws IOException {
        Map<Topic<?>, Object> samples = samples();
        assertThat(samples.keySet()).containsExactlyInAnyOrderElementsOf(TOPICS.published());
        for (Map.Entry<Topic<?>, Object> sample : samples.entrySet()) {
            JsonNode value = Json.MAPPER.readTree(serialize(sample.getKey(), sample.getValue()));
            assertThat(validate(sample.getKey(), value)).as("%s: %s", sample.getKey().name(), value).isEmpty();
        }
    }

    @Test
    void shouldRejectAValueOfTheWrongShape() throws IOException {
        JsonNode wrongType = Json.MAPPER.readTree("{\"fill_id\":\"f-1\",\"account\":\"main\",\"exchange\":\"binance\",\"symbol\":\"BTC\","
                + "\"side\":\"buy\",\"quantity\":\"lots\",\"price\":100,\"timestamp\":1764000000000}");
        JsonNode missing = Json.MAPPER.readTree("{\"exchange\":\"binance\",\"price\":100,\"timestamp\":1764000000000}");
        JsonNode badState = Json.MAPPER.readTree(Json.write(samples().get(TOPICS.riskMetrics)).replace("\"ACTIVE\"", "\"PAUSED\""));

        assertThat(validate(TOPICS.fills, wrongType)).extracting(ValidationMessage::getInstanceLocation).map(Object::toString)
                .containsExactly("$.quantity");
        assertThat(validate(TOPICS.prices, missing)).extracting(ValidationMessage::getProperty).containsExactly("symbol");
        assertThat(validate(TOPICS.riskMetrics, badState)).extracting(m -> m.getInstanceLocation().toString())
                .containsExactly("$.risk_metrics.trading_state");
    }

    /** Every topic's value with every field set, as the services write them. */
    static Map<Topic<?>, Object> samples() {
        BigDecimal one = BigDecimal.ONE;
        Position position = new Position("main", "binance", "BTC/USDT:USDT", new BigDecimal("0.5"), new BigDecimal("50000"),
                new BigDecimal("51000"), new BigDecimal("500"), BigDecimal.ZERO, new BigDecimal("25500"), one, 1.5, 2.0, TS, TS);
        Map<Topic<?>, Object> out = new java.util.LinkedHashMap<>();
        out.put(TOPICS.fills, new Fill("f-1", "main", "binance", "BTC/USDT:USDT", Fill.BUY, one, new BigDecimal("50000"), one, TS));
        out.put(TOPICS.prices, new PriceTick("binance", "BTC/USDT:USDT", new BigDecimal("51000"), TS));
        out.put(TOPICS.transfers, new Transfer("t-1", "main", "binance", new BigDecimal("10000"), TS));
        out.put(TOPICS.riskLimits, new RiskLimits(10.0, 5000.0, 5.0, 1e6, 250_000.0, 5.0, 300L, 60L, 300L, 75.0, "17:00", "America/New_York",
                true, "closed", 0.001, 45L));
        out.put(TOPICS.riskControl, new RiskControl("main", RiskControl.SET_STATE, null, TradingState.HALTED, "manual stop", "root", TS));
        out.put(TOPICS.positions, position);
        out.put(TOPICS.portfolio, new PortfolioSnapshot(PortfolioSnapshot.TYPE, "main", TS, new BigDecimal("25500"), new BigDecimal("500"),
                BigDecimal.ZERO, Map.of("binance", new PortfolioSnapshot.ExchangePositions(new BigDecimal("25500"), new BigDecimal("500"),
                        BigDecimal.ZERO, List.of(position)))));
        out.put(TOPICS.accounts, new AccountsSnapshot(AccountsSnapshot.TYPE, "main", TS, Map.of("binance", new AccountsSnapshot.ExchangeAccount(
                new BigDecimal("10000"), new BigDecimal("10500"), new BigDecimal("500"), BigDecimal.ZERO, new BigDecimal("25500"),
                new BigDecimal("10000"), 2.43))));
        out.put(TOPICS.riskMetrics, new RiskMetricsSnapshot(RiskMetricsSnapshot.TYPE, "main", TS, new RiskMetricsSnapshot.RiskMetrics(
                new BigDecimal("25500"), new BigDecimal("25500"), new BigDecimal("10500"), new BigDecimal("11000"), 4.5, 6.0,
                new BigDecimal("500"), new BigDecimal("-300"), 2.43, TradingState.ACTIVE,
                Map.of("binance", new RiskMetricsSnapshot.ExchangeMetrics(new BigDecimal("25500"), new BigDecimal("25500"),
                        new BigDecimal("10500"), new BigDecimal("500"), BigDecimal.ZERO, 2.43)),
                Map.of("BTC/USDT:USDT", new RiskMetricsSnapshot.SymbolMetrics(new BigDecimal("25500"), new BigDecimal("25500"),
                        new BigDecimal("500"), 1.5, 2.0)),
                Map.of("binance", Map.of("BTC/USDT:USDT", TradingState.REDUCE_ONLY)),
                Map.of("max_drawdown", new RiskMetricsSnapshot.LimitUse(new BigDecimal("20"), new BigDecimal("4.5"), 22.5),
                        "max_leverage", new RiskMetricsSnapshot.LimitUse(new BigDecimal("5"), null, null)),
                Map.of("binance", Map.of("BTC/USDT:USDT", Map.of("max_position_notional",
                        new RiskMetricsSnapshot.LimitUse(new BigDecimal("200000"), new BigDecimal("25500"), 12.75)))))));
        out.put(TOPICS.alerts, new Alert(Alert.TRIPPED, 7L, "main", Alert.MAX_DRAWDOWN, "Drawdown 12.5% exceeds 10%", Alert.ANY, Alert.ANY,
                Alert.CRITICAL, TS / 1000, Map.of("value", 12.5, "threshold", 10, "current_drawdown", 12.5), Alert.ACTION_HALT,
                "published HALT for main", TS));
        out.put(TOPICS.riskCommands, new RiskCommand("main|7", "main", RiskCommand.HALT, Alert.ANY, Alert.ANY, Alert.MAX_DRAWDOWN, 7L, TS));
        out.put(TOPICS.deadLetters, new DeadLetter(TOPICS.fills.name(), 0, 42L, "quantity must be > 0, was -1", "{\"fill_id\":\"f-9\"}", TS));
        out.put(TOPICS.accountGroups, new AccountGroup("main", "acme/desk-1", "ops", TS));
        out.put(TOPICS.groupLimits, new GroupLimits(2e6, 1e6, 100_000.0, 10.0, 40.0, 80.0, 60L, "17:00", "America/New_York",
                true, "closed"));
        out.put(TOPICS.positionSnapshots, new PositionSnapshot("main", "binance", "BTC/USDT:USDT", new BigDecimal("-2.5"), TS));
        out.put(TOPICS.audit, new AuditRecord("6f1c0c1e-3a51-4c1b-9d55-5c1d2f0e7a10", AuditRecord.RISK_LIMITS, "main", null, "ops", TS,
                Map.of("max_leverage", 5), Map.of("max_leverage", 3), "desk review", AuditRecord.PUBLISHED));
        return out;
    }

    /** A public topic's serde: JSON. */
    private static JsonSerde<?> json(Topic<?> topic) {
        return (JsonSerde<?>) topic.valueSerde();
    }

    @SuppressWarnings("unchecked")
    private static <V> byte[] serialize(Topic<V> topic, Object value) {
        return topic.valueSerde().serialize(topic.name(), (V) value);
    }

    private static Set<ValidationMessage> validate(Topic<?> topic, JsonNode value) {
        JsonSchema schema = FACTORY.getSchema(SchemaLocation.of(schemaFile(topic).toUri().toString()));
        return schema.validate(value);
    }

    /** Path → JSON type of every field Jackson writes for {@code type}; {@code *} a map's values, {@code []} a list's items. */
    private static void recordShape(JavaType type, String path, Map<String, String> out) {
        Class<?> raw = type.getRawClass();
        if (raw == String.class) {
            out.put(path, "string");
        } else if (raw == BigDecimal.class || raw == Double.class || raw == double.class || raw == Float.class) {
            out.put(path, "number");
        } else if (raw == Long.class || raw == long.class || raw == Integer.class || raw == int.class) {
            out.put(path, "integer");
        } else if (raw == Boolean.class || raw == boolean.class) {
            out.put(path, "boolean");
        } else if (Collection.class.isAssignableFrom(raw)) {
            out.put(path, "array");
            recordShape(type.getContentType(), path + "[]", out);
        } else if (Map.class.isAssignableFrom(raw)) {
            out.put(path, "object");
            if (type.getContentType().getRawClass() == Object.class) {
                out.put(path + ".*", "any");
            } else {
                recordShape(type.getContentType(), path + ".*", out);
            }
        } else {
            out.put(path, "object");
            for (BeanPropertyDefinition property : Json.MAPPER.getSerializationConfig().introspect(type).findProperties()) {
                recordShape(property.getPrimaryType(), path + "." + property.getName(), out);
            }
        }
    }

    /** The same shape read from a schema: {@code $ref}s followed, {@code null} left out of type lists. */
    private static void schemaShape(JsonNode node, Path file, JsonNode root, String path, Map<String, String> out,
                                    Map<String, String> record) throws IOException {
        if (node.has("$ref")) {
            String ref = node.get("$ref").asText();
            if (ref.startsWith("#/")) {
                schemaShape(root.at(ref.substring(1)), file, root, path, out, record);
            } else {
                Path other = file.resolveSibling(ref);
                JsonNode otherRoot = read(other);
                schemaShape(otherRoot, other, otherRoot, path, out, record);
            }
            return;
        }
        String type = jsonType(node.path("type"));
        out.put(path, type);
        if ("any".equals(record.get(path + ".*"))) {
            out.put(path + ".*", "any"); // a free-form map in the record: what the schema says of its keys is documentation
            return;
        }
        if ("array".equals(type)) {
            schemaShape(node.path("items"), file, root, path + "[]", out, record);
        }
        if ("object".equals(type)) {
            var fields = node.path("properties").fields();
            while (fields.hasNext()) {
                var field = fields.next();
                schemaShape(field.getValue(), file, root, path + "." + field.getKey(), out, record);
            }
            if (node.path("additionalProperties").isObject()) {
                schemaShape(node.path("additionalProperties"), file, root, path + ".*", out, record);
            }
        }
    }

    private static String jsonType(JsonNode type) {
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (!"null".equals(t.asText())) {
                    return t.asText();
                }
            }
        }
        return type.isMissingNode() ? "any" : type.asText();
    }

    static Path schemaFile(Topic<?> topic) {
        return repoRoot().resolve("docs/api/schemas").resolve(suffix(topic) + ".schema.json");
    }

    private static String suffix(Topic<?> topic) {
        return topic.name().substring(TOPICS.prefix().length());
    }

    private static Path repoRoot() {
        return Path.of(System.getProperty("etrms.repo.root", "..")).toAbsolutePath().normalize();
    }

    private static JsonNode read(Path file) throws IOException {
        return Json.MAPPER.readTree(Files.readString(file));
    }
}
