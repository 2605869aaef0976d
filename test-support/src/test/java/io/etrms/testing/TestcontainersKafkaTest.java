package io.etrms.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.etrms.model.Topics;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The fixture's Testcontainers path ({@code apache/kafka} at our Kafka version): runs where a
 * Docker engine answers, and is skipped (not failed) where none does, as on the project's CI.
 */
@EnabledIf(value = "io.etrms.testing.KafkaClusterExtension#dockerAvailable", disabledReason = "no Docker engine")
class TestcontainersKafkaTest {

    @Test
    void shouldCreateTheRegistryTopicsOnAKafkaContainer() throws Exception {
        try (KafkaClusterExtension.Running running = KafkaClusterExtension.startContainer()) {
            KafkaCluster kafka = running.cluster();
            assertThat(kafka.kind()).isEqualTo("testcontainers");
            Topics topics = kafka.newTopics();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                assertThat(admin.listTopics().names().get()).contains(topics.fills.name(), topics.deadLetters.name());
            }
        }
    }
}
