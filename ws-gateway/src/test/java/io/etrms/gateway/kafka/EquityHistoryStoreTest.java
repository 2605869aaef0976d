package io.etrms.gateway.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.etrms.model.EquityHistory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The chart history's bounds: one point per resolution, retention behind the latest point, a cap per account and in all. */
class EquityHistoryStoreTest {

    @Test
    void shouldKeepTheLastRecordOfEachIntervalAndOnlyTheRetentionBehindTheLatest() {
        EquityHistoryStore store = new EquityHistoryStore(Duration.ofSeconds(1), Duration.ofSeconds(10), 1_000);
        store.add("a", 1_000, 100, 0);
        store.add("a", 1_999, 101, 1);       // same second: replaces
        store.add("a", 2_000, 102, 2);
        store.add("a", 1_500, 1, 99);        // older than the latest: ignored
        EquityHistory h = store.since("a", null);
        assertThat(h.timestamps()).containsExactly(1_999, 2_000);
        assertThat(h.equity()).containsExactly(101, 102);
        assertThat(h.drawdown()).containsExactly(1, 2);

        store.add("a", 12_500, 103, 3);      // 10 s retention: 1_999 and 2_000 are more than 10 s behind 12_500
        assertThat(store.since("a", null).timestamps()).containsExactly(12_500);
        assertThat(store.size()).isEqualTo(1);
        assertThat(store.since("b", null)).isNull();
    }

    @Test
    void shouldCapPointsPerAccountAndInAllDroppingTheOldestFirst() {
        // 5 points per account (5 s / 1 s), 8 in all
        EquityHistoryStore store = new EquityHistoryStore(Duration.ofSeconds(1), Duration.ofSeconds(5), 8);
        for (int s = 0; s < 7; s++) {
            store.add("old", 1_000L * s, s, 0);             // keeps seconds 2..6 (per-account cap and retention)
        }
        assertThat(store.since("old", null).timestamps()).containsExactly(2_000, 3_000, 4_000, 5_000, 6_000);
        for (int s = 10; s < 14; s++) {
            store.add("new", 1_000L * s, s, 0);
        }
        // 5 + 4 = 9 > 8: the account whose oldest point is oldest ("old") loses its oldest
        assertThat(store.size()).isEqualTo(8);
        assertThat(store.since("old", null).timestamps()).containsExactly(3_000, 4_000, 5_000, 6_000);
        assertThat(store.since("new", null).timestamps()).containsExactly(10_000, 11_000, 12_000, 13_000);
        assertThat(store.since("new", 11_500L).timestamps()).containsExactly(12_000, 13_000);
        assertThat(store.since("new", 11_500L).from()).isEqualTo(11_500L);
    }
}
