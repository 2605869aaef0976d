package io.etrms.ingest;

import io.etrms.model.AccountGroup;
import io.etrms.model.EtrmsConfig;
import io.etrms.model.GroupLimits;
import io.etrms.model.Keys;
import io.etrms.model.RiskLimits;
import io.etrms.model.Topic;
import io.etrms.model.TopicAdmin;
import io.etrms.model.Topics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * The desk the simulator trades for: which group its accounts belong to and the limits (and
 * trading session) of a group above them; optionally the {@code *} risk-limits record. Published
 * once, before the simulated market starts, on {@code account-groups}, {@code group-limits} (and
 * {@code risk-limits}): compacted topics, so the latest setup wins, and a later change made through
 * the gateway or any producer replaces it.
 *
 * @param group        the group of every simulated account (a path, e.g. {@code demo/desk-1})
 * @param limitedGroup the group that gets {@code groupLimits} (the account's group or one above it)
 * @param groupLimits  the limits of {@code limitedGroup}
 * @param defaults     the {@code *} risk-limits record (the session rules); null: leave {@code *} alone
 */
public record DeskSetup(String group, String limitedGroup, GroupLimits groupLimits, RiskLimits defaults) {

    public DeskSetup {
        String problem = AccountGroup.groupProblem(group);
        if (problem != null) {
            throw new IllegalArgumentException("group " + problem);
        }
        if (!AccountGroup.lineage(group).contains(limitedGroup)) {
            throw new IllegalArgumentException(limitedGroup + " is not " + group + " or a group above it");
        }
    }

    /**
     * The local default: every account in {@code demo/desk-1}; the firm {@code demo} limited to a
     * gross exposure of 400 000 and a daily loss of 60 000 over its accounts (the scenarios' large
     * positions take it past the first, the crash near the second), trading the US-futures session
     * from 17:00 New York time (a group's session rules apply to its accounts); {@code *} left alone.
     */
    public static DeskSetup local() {
        return new DeskSetup("demo/desk-1", "demo",
                new GroupLimits(400_000.0, null, 60_000.0, null, null, null, null, "17:00", "America/New_York", null, null), null);
    }

    /** Publishes the setup for {@code accounts} and waits for the broker's acknowledgements. */
    public void publish(EtrmsConfig config, List<String> accounts) {
        Topics topics = config.topics();
        Map<String, Object> admin = new HashMap<>(config.kafka());
        admin.keySet().retainAll(AdminClientConfig.configNames());
        TopicAdmin.ensureTopics(admin, List.of(topics.accountGroups, topics.groupLimits, topics.riskLimits), config.replicationFactor());
        long now = System.currentTimeMillis();
        try (KafkaProducer<String, byte[]> producer = IngestProducer.newKafkaProducer(config, "etrms-simulator-desk")) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (String account : accounts) {
                sent.add(send(producer, topics.accountGroups, account, new AccountGroup(account, group, "simulator", now)));
            }
            sent.add(send(producer, topics.groupLimits, limitedGroup, groupLimits));
            if (defaults != null) {
                sent.add(send(producer, topics.riskLimits, Keys.DEFAULT_LIMITS, defaults));
            }
            for (Future<RecordMetadata> f : sent) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted publishing the desk setup", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the desk setup was not published: " + e.getCause(), e.getCause());
        }
    }

    private static <V> Future<RecordMetadata> send(KafkaProducer<String, byte[]> producer, Topic<V> topic, String key, V value) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic.name(), key, null);
        byte[] bytes = topic.valueSerde().serialize(topic.name(), record.headers(), value);
        return producer.send(new ProducerRecord<>(topic.name(), null, key, bytes, record.headers()));
    }
}
