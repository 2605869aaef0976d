package io.etrms.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicsMinInsyncTest {

    @Test
    void shouldAddMinInsyncReplicasToEveryTopicWhenConfigured() {
        Topics topics = EtrmsConfig.of(Map.of(EtrmsConfig.TOPIC_MIN_INSYNC_REPLICAS, "2")).topics();
        assertThat(topics.all()).hasSize(19).allSatisfy(t -> assertThat(t.configs()).containsEntry("min.insync.replicas", "2"));
        // Each topic keeps its own settings next to it.
        assertThat(topics.positions.configs()).containsEntry("cleanup.policy", "compact");
        assertThat(topics.fills.configs()).containsEntry("retention.ms", Long.toString(7 * 24 * 3600 * 1000L));
    }

    @Test
    void shouldLeaveItToTheBrokerByDefault() {
        assertThat(EtrmsConfig.of(Map.of()).topics().all()).allSatisfy(t -> assertThat(t.configs()).doesNotContainKey("min.insync.replicas"));
    }
}
