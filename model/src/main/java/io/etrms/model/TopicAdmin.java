package io.etrms.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
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
            awaitLeaders(admin, created);
            log.info("created topics {}", created);
        }
        return created;
    }

    /**
     * Waits until every partition of {@code topics} has a leader that serves it. An idempotent producer that
     * writes to a partition whose leader is still being elected can see its first batch refused
     * and overtaken (KAFKA-15591), so creation returns only once the topics are writable.
     */
    static void awaitLeaders(Admin admin, List<String> topics) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS);
                boolean ready = described.values().stream()
                        .flatMap(d -> d.partitions().stream())
                        .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
                if (ready) {
                    // the metadata can name a leader before that broker serves the partition: a
                    // list-offsets answer comes from the leader's log itself
                    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                    described.values().forEach(d -> d.partitions().forEach(p -> latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
                    admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
                    return;
                }
            } catch (ExecutionException | TimeoutException e) {
                // metadata not propagated yet: ask again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for leaders of " + topics, e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no leaders for " + topics + " after 60 s");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for leaders of " + topics, e);
            }
        }
    }

    public static Map<String, Object> adminConfig(String bootstrapServers) {
        return Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    }
}
