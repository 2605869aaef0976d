package io.etrms.testing;

import io.etrms.model.EtrmsConfig;
import io.etrms.model.TopicAdmin;
import io.etrms.model.Topics;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real Kafka cluster a test runs against (one per test JVM, see {@link KafkaClusterExtension}),
 * with helpers that keep tests apart: every call to {@link #newTopics()} gives a fresh topic
 * prefix, every {@link #uniqueId(String)} a fresh application id.
 */
public final class KafkaCluster {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final String bootstrapServers;
    private final String kind;

    KafkaCluster(String bootstrapServers, String kind) {
        this.bootstrapServers = bootstrapServers;
        this.kind = kind;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** {@code embedded} or {@code testcontainers}. */
    public String kind() {
        return kind;
    }

    public String uniqueId(String base) {
        return base + "-" + SEQUENCE.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A fresh registry under a prefix no other test uses, with every topic created. */
    public Topics newTopics() {
        Topics topics = new Topics(uniqueId("t") + ".", Topics.DEFAULT_PARTITIONS);
        TopicAdmin.ensureTopics(TopicAdmin.adminConfig(bootstrapServers), topics.all(), (short) 1);
        return topics;
    }

    /** A service configuration pointing at this cluster and at {@code topics}. */
    public EtrmsConfig config(Topics topics, Map<String, String> more) {
        EtrmsConfig config = EtrmsConfig.of(Map.of(
                EtrmsConfig.BOOTSTRAP_SERVERS, bootstrapServers,
                EtrmsConfig.TOPIC_PREFIX, topics.prefix(),
                EtrmsConfig.TOPIC_PARTITIONS, Integer.toString(Topics.DEFAULT_PARTITIONS)));
        for (Map.Entry<String, String> e : more.entrySet()) {
            config = config.with(e.getKey(), e.getValue());
        }
        return config;
    }
}
