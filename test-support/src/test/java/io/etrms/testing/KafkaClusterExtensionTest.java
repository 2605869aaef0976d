package io.etrms.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.etrms.model.Fill;
import io.etrms.model.Topics;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaClusterExtension.class)
class KafkaClusterExtensionTest {

    @Test
    void shouldCreateEveryRegistryTopicAndRoundTripARecord(KafkaCluster kafka) throws Exception {
        Topics topics = kafka.newTopics();

        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            Set<String> names = admin.listTopics().names().get();
            assertThat(names).containsAll(topics.all().stream().map(t -> t.name()).toList());
            var description = admin.describeTopics(List.of(topics.positions.name())).allTopicNames().get().get(topics.positions.name());
            assertThat(description.partitions()).hasSize(Topics.DEFAULT_PARTITIONS);
        }

        Fill fill = new Fill("f-1", "main", "binance", "BTC/USDT:USDT", "buy",
                new BigDecimal("0.5"), new BigDecimal("50000.1"), new BigDecimal("1.25"), 1_764_000_000_000L);
        Map<String, Object> producerConfig = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all");
        try (var producer = new KafkaProducer<>(producerConfig, topics.fills.keySerde().serializer(), topics.fills.valueSerde())) {
            producer.send(new ProducerRecord<>(topics.fills.name(), fill.instrumentKey(), fill)).get();
        }

        Map<String, Object> consumerConfig = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (var consumer = new KafkaConsumer<>(consumerConfig, topics.fills.keySerde().deserializer(), topics.fills.valueSerde())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topics.fills.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            ConsumerRecord<String, Fill> received = null;
            while (received == null && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, Fill> r : consumer.poll(Duration.ofMillis(200))) {
                    received = r;
                }
            }
            assertThat(received).isNotNull();
            assertThat(received.key()).isEqualTo("binance|BTC/USDT:USDT");
            assertThat(received.value()).isEqualTo(fill);
        }
    }
}
