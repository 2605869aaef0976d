package io.etrms.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the topics of the registry, idempotently: existing topics are left as they are. */
public final class TopicAdmin {

    private static final Logger log = LoggerFactory.getLogger(TopicAdmin.class);

    private TopicAdmin() {
    }

    /** Creates every missing topic and returns the names it created. */
    public static List<String> ensureTopics(Map<String, Object> adminConfig, Collection<Topic<?>> topics, short replicationFactor) {
        try (Admin admin = Admin.create(adminConfig)) {
            return ensureTopics(admin, topics, replicationFactor);
        }
    }

    public static List<String> ensureTopics(Admin admin, Collection<Topic<?>> topics, short replicationFactor) {
        List<NewTopic> wanted = topics.stream()
                .map(t -> new NewTopic(t.name(), Optional.of(t.partitions()), Optional.of(replicationFactor)).configs(t.configs()))
                .toList();
        Map<String, KafkaFuture<Void>> results = admin.createTopics(wanted).values();
        List<String> created = new ArrayList<>();
        for (Map.Entry<String, KafkaFuture<Void>> result : results.entrySet()) {
            try {
                result.getValue().get(60, TimeUnit.SECONDS);
                created.add(result.getKey());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topic " + result.getKey(), e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted creating topics", e);
            } catch (TimeoutException e) {
                throw new IllegalStateException("timed out creating topic " + result.getKey(), e);
            }
        }
        if (!created.isEmpty()) {
            log.info("created topics {}", created);
        }
        return created;
    }

    public static Map<String, Object> adminConfig(String bootstrapServers) {
        return Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    }
}
