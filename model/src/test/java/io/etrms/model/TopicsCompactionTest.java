package io.etrms.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * State topics are compacted soon enough that a reader from the beginning (a gateway at start)
 * reads about one value per key, not a week of snapshots: hourly segments, cleaning once 10 % of
 * the log is superseded, no superseded value older than an hour.
 */
class TopicsCompactionTest {

    @Test
    void shouldTuneCompactionOnEveryStateTopicAndOnNoEventTopic() {
        Topics topics = Topics.defaults();
        List<Topic<?>> state = List.of(topics.riskLimits, topics.positions, topics.portfolio, topics.accounts, topics.riskMetrics,
                topics.accountGroups, topics.groupLimits);

        assertThat(state).allSatisfy(t -> assertThat(t.configs())
                .containsEntry("cleanup.policy", "compact")
                .containsEntry("segment.ms", "3600000")
                .containsEntry("min.cleanable.dirty.ratio", "0.1")
                .containsEntry("max.compaction.lag.ms", "3600000"));
        assertThat(topics.all()).filteredOn(t -> !state.contains(t)).hasSize(12).allSatisfy(t -> assertThat(t.configs())
                .containsEntry("cleanup.policy", "delete")
                .doesNotContainKeys("segment.ms", "min.cleanable.dirty.ratio", "max.compaction.lag.ms"));
    }
}
