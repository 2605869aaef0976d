package io.etrms.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.etrms.model.AccountGroup;
import io.etrms.model.GroupLimits;
import io.etrms.model.Json;
import io.etrms.model.RiskLimits;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The bodies of the change endpoints, checked so a 400 can say exactly what is wrong: not JSON,
 * not an object, an unknown field (a misspelt limit must not be dropped silently), a value Jackson
 * or the record refuses ({@link RiskLimits}' bounds), and the record's own {@code problems()}.
 * <pre>
 * PUT accounts/{account}/limits   {"max_leverage": 3, "cooldown_seconds": 0}       // RiskLimits
 * PUT accounts/{account}/group    {"group": "acme/desk-1"}
 * PUT groups/{group}/limits       {"max_gross_exposure": 2000000}                  // GroupLimits
 * </pre>
 */
final class ChangeRequests {

    private ChangeRequests() {
    }

    /** @throws IllegalArgumentException with the reason for the 400 */
    static RiskLimits riskLimits(String body) {
        return read(body, RiskLimits.class);
    }

    /** @throws IllegalArgumentException with the reason for the 400 */
    static GroupLimits groupLimits(String body) {
        GroupLimits limits = read(body, GroupLimits.class);
        check(limits.problems());
        return limits;
    }

    /** @throws IllegalArgumentException with the reason for the 400 */
    static AccountGroup accountGroup(String account, String body, String requestedBy, long nowMillis) {
        JsonNode tree = object(body, List.of("group"));
        JsonNode group = tree.get("group");
        if (group == null || group.isNull()) {
            throw new IllegalArgumentException("missing field group (DELETE takes the account out of its group)");
        }
        if (!group.isTextual()) {
            throw new IllegalArgumentException("group must be a string");
        }
        AccountGroup value = new AccountGroup(account, group.asText(), requestedBy, nowMillis);
        check(value.problems());
        return value;
    }

    private static void check(List<String> problems) {
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    private static <T extends Record> T read(String body, Class<T> type) {
        JsonNode tree = object(body, fields(type));
        try {
            return Json.MAPPER.treeToValue(tree, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(reason(e));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getCause() instanceof IllegalArgumentException cause ? cause.getMessage() : e.getMessage());
        }
    }

    /** Jackson's reason, or the record's own (a bound its constructor checks), with the field named. */
    private static String reason(JsonProcessingException e) {
        if (e instanceof ValueInstantiationException && e.getCause() instanceof IllegalArgumentException cause) {
            return cause.getMessage();
        }
        String message = Json.reason(e);
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = mapping.getPath().get(mapping.getPath().size() - 1).getFieldName();
            if (field != null && !message.startsWith(field)) {
                return field + ": " + message;
            }
        }
        return message;
    }

    private static List<String> fields(Class<? extends Record> type) {
        List<String> out = new ArrayList<>();
        for (RecordComponent component : type.getRecordComponents()) {
            out.add(new PropertyNamingStrategies.SnakeCaseStrategy().translate(component.getName()));
        }
        return out;
    }

    private static JsonNode object(String body, List<String> allowed) {
        JsonNode tree;
        try {
            tree = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("body is not valid JSON: " + Json.reason(e));
        }
        if (tree == null || !tree.isObject()) {
            throw new IllegalArgumentException("body must be a JSON object");
        }
        for (Iterator<String> names = tree.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new IllegalArgumentException("unknown field " + name + " (allowed: " + String.join(", ", allowed) + ")");
            }
        }
        return tree;
    }
}
