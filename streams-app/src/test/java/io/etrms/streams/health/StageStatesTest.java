package io.etrms.streams.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.apache.kafka.streams.KafkaStreams.State.CREATED;
import static org.apache.kafka.streams.KafkaStreams.State.ERROR;
import static org.apache.kafka.streams.KafkaStreams.State.NOT_RUNNING;
import static org.apache.kafka.streams.KafkaStreams.State.PENDING_ERROR;
import static org.apache.kafka.streams.KafkaStreams.State.PENDING_SHUTDOWN;
import static org.apache.kafka.streams.KafkaStreams.State.REBALANCING;
import static org.apache.kafka.streams.KafkaStreams.State.RUNNING;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;

class StageStatesTest {

    static StageStates states(State instrument, State account) {
        Map<String, State> map = new LinkedHashMap<>();
        map.put("instrument", instrument);
        map.put("account", account);
        return new StageStates(map);
    }

    @Test
    void shouldBeUpOnlyWhileEveryStageRunsOrRebalances() {
        assertThat(states(RUNNING, RUNNING).httpStatus()).isEqualTo(200);
        assertThat(states(RUNNING, REBALANCING).httpStatus()).isEqualTo(200);
        assertThat(states(REBALANCING, REBALANCING).httpStatus()).isEqualTo(200);
        for (State other : new State[] {CREATED, PENDING_SHUTDOWN, NOT_RUNNING, PENDING_ERROR, ERROR}) {
            assertThat(states(RUNNING, other).httpStatus()).as("account %s", other).isEqualTo(503);
            assertThat(states(other, REBALANCING).httpStatus()).as("instrument %s", other).isEqualTo(503);
            assertThat(states(other, RUNNING).up()).isFalse();
        }
    }

    @Test
    void shouldReportEveryStageInOrder() {
        assertThat(states(RUNNING, REBALANCING).toJson())
                .isEqualTo("{\"status\":\"UP\",\"stages\":{\"instrument\":\"RUNNING\",\"account\":\"REBALANCING\"}}");
        assertThat(states(ERROR, RUNNING).toJson())
                .isEqualTo("{\"status\":\"DOWN\",\"stages\":{\"instrument\":\"ERROR\",\"account\":\"RUNNING\"}}");
    }

    @Test
    void shouldCallAStageInErrorAFailureEvenDuringShutdown() {
        assertThat(states(RUNNING, ERROR).failure(false))
                .contains("Kafka Streams stage account is ERROR (stages: instrument=RUNNING, account=ERROR)");
        assertThat(states(PENDING_ERROR, RUNNING).failure(false))
                .contains("Kafka Streams stage instrument is PENDING_ERROR (stages: instrument=PENDING_ERROR, account=RUNNING)");
        assertThat(states(RUNNING, ERROR).failure(true)).isPresent();
    }

    @Test
    void shouldCallAStoppedStageAFailureOnlyWhenWeDidNotStopIt() {
        assertThat(states(NOT_RUNNING, RUNNING).failure(false))
                .contains("Kafka Streams stage instrument is NOT_RUNNING (stages: instrument=NOT_RUNNING, account=RUNNING)");
        assertThat(states(RUNNING, PENDING_SHUTDOWN).failure(false)).isPresent();
        assertThat(states(NOT_RUNNING, PENDING_SHUTDOWN).failure(true)).isEmpty();
    }

    @Test
    void shouldLetRunningStartingAndRebalancingStagesGoOn() {
        assertThat(states(RUNNING, RUNNING).failure(false)).isEmpty();
        assertThat(states(REBALANCING, RUNNING).failure(false)).isEmpty();
        assertThat(states(CREATED, CREATED).failure(false)).isEmpty();
    }

    @Test
    void shouldNeedAStage() {
        assertThatThrownBy(() -> new StageStates(Map.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
