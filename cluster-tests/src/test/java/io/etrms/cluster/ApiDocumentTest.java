package io.etrms.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.etrms.model.Topic;
import io.etrms.model.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docs/api/asyncapi.yaml} is a valid AsyncAPI 3 document for the official parser (its
 * external references to {@code docs/api/schemas/} resolved), and its Kafka side is the
 * {@link Topics} registry: one channel per topic with {@code bindings.kafka} (topic, partitions,
 * cleanup policy, retention) and every topic config ETRMS sets, one message per topic whose
 * payload is the topic's JSON Schema, with the record headers and the key.
 */
class ApiDocumentTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String PARSER = "@asyncapi/parser/package.json";

    @Test
    void shouldBeAValidAsyncApiDocumentForTheOfficialParser() throws Exception {
        NodeTools.Run check = NodeTools.node(PARSER, "check-asyncapi.mjs", document().toString());

        assertThat(check.exitCode()).as(check.output()).isZero();
        // 5 WebSocket channels (positions, accounts, risk-metrics, alerts, overview) and 16 topics;
        // a send and a receive operation per WebSocket channel, 13 topic operations of the gateway
        // (8 reads: portfolio, accounts, risk-metrics, alerts, risk-limits, account-groups, group-limits,
        // audit; 5 publishes: risk-control, risk-limits, account-groups, group-limits, audit)
        assertThat(check.output()).contains("valid: 21 channels, 23 operations");
    }

    @Test
    void shouldMakeTheParserFailOnAReferenceToAMissingSchema(@TempDir Path dir) throws Exception {
        Path copy = Files.createDirectories(dir.resolve("api")).resolve("asyncapi.yaml");
        Files.writeString(copy, RepoFiles.read(document()));

        NodeTools.Run check = NodeTools.node(PARSER, "check-asyncapi.mjs", copy.toString());

        assertThat(check.exitCode()).as(check.output()).isEqualTo(1);
        assertThat(check.output()).contains("invalid-ref components.messages.Fill.payload.$ref").contains("fills.schema.json");
    }

    @Test
    void shouldDescribeEveryTopicOfTheRegistryWithItsKafkaBindingsSchemaAndHeaders() throws Exception {
        JsonNode doc = YAML.readTree(document().toFile());
        Topics topics = Topics.defaults();
        List<String> addresses = new ArrayList<>();
        for (Topic<?> topic : topics.published()) {
            String suffix = topic.name().substring(topics.prefix().length());
            JsonNode channel = channelOf(doc, topic.name());
            addresses.add(channel.path("address").asText());
            JsonNode kafka = channel.path("bindings").path("kafka");
            assertThat(kafka.path("topic").asText()).as(suffix).isEqualTo(topic.name());
            assertThat(kafka.path("partitions").asInt()).as(suffix).isEqualTo(Topics.DEFAULT_PARTITIONS);
            assertThat(kafka.path("topicConfiguration").path("cleanup.policy").get(0).asText()).as(suffix)
                    .isEqualTo(topic.configs().get("cleanup.policy"));
            assertThat(kafka.path("topicConfiguration").path("retention.ms").asText()).as(suffix)
                    .isEqualTo(topic.configs().getOrDefault("retention.ms", "-1"));
            Map<String, String> documented = new TreeMap<>();
            channel.path("x-etrms-topic-configs").fields().forEachRemaining(e -> documented.put(e.getKey(), e.getValue().asText()));
            Map<String, String> registry = new TreeMap<>(topic.configs());
            registry.putIfAbsent("retention.ms", "-1");
            assertThat(documented).as("x-etrms-topic-configs of %s", suffix).isEqualTo(registry);

            JsonNode message = message(doc, channel);
            assertThat(message.path("payload").path("$ref").asText()).as(suffix).isEqualTo("schemas/" + suffix + ".schema.json");
            assertThat(document().resolveSibling("schemas/" + suffix + ".schema.json")).exists();
            assertThat(message.path("headers").path("$ref").asText()).isEqualTo("#/components/schemas/RecordHeaders");
            assertThat(message.path("bindings").path("kafka").path("key").path("type").asText()).as(suffix).isEqualTo("string");
        }
        assertThat(addresses).doesNotHaveDuplicates().hasSize(16);
        JsonNode headers = doc.at("/components/schemas/RecordHeaders/properties");
        assertThat(headers.path("content-type").path("const").asText()).isEqualTo("application/json");
        assertThat(headers.has("etrms-schema-version")).isTrue();
        assertThat(doc.at("/info/description").asText()).contains("read_committed");
    }

    private static JsonNode channelOf(JsonNode doc, String address) {
        var channels = doc.path("channels").fields();
        while (channels.hasNext()) {
            JsonNode channel = channels.next().getValue();
            if (address.equals(channel.path("address").asText())) {
                return channel;
            }
        }
        throw new AssertionError("no channel with address " + address + " in asyncapi.yaml");
    }

    /** The one message of a topic channel, its {@code $ref} followed. */
    private static JsonNode message(JsonNode doc, JsonNode channel) {
        assertThat(channel.path("messages").size()).isEqualTo(1);
        String ref = channel.path("messages").elements().next().path("$ref").asText();
        return doc.at(ref.substring(1));
    }

    private static Path document() {
        return RepoFiles.root().resolve("docs/api/asyncapi.yaml");
    }
}
