package io.etrms.streams.metrics;

import static io.etrms.streams.TestRecords.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.etrms.model.EtrmsConfig;
import io.etrms.model.Topics;
import io.etrms.streams.TestRecords;
import io.etrms.streams.account.AccountSettings;
import io.etrms.streams.account.AccountTopology;
import io.etrms.streams.common.DeadLetterHandler;
import io.etrms.streams.common.SizeGuard;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

/** The topology's own meters: present from start, and counting what the stage does. */
class StageMetricsTest {

    private final Topics topics = Topics.defaults();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private double counter(String name, String... tags) {
        return registry.get(name).tags(tags).counter().count();
    }

    private double functionCounter(String name, String... tags) {
        return registry.get(name).tags(tags).functionCounter().count();
    }

    private double gauge(String state) {
        return registry.get("etrms.accounts").tags("trading_state", state).gauge().value();
    }

    @Test
    void shouldCountTripsAlertsDeadLettersAndAccountsByState() {
        StageMetrics metrics = AccountTopology.metrics(registry, topics);
        // every series exists before the first record
        assertThat(counter("etrms.breaker.trips", "condition", "max_drawdown", "action", "halt")).isZero();
        assertThat(counter("etrms.breaker.trips", "condition", "stale_price", "action", "alert_only")).isZero();
        assertThat(counter("etrms.alerts", "type", "circuit_breaker_cleared")).isZero();
        assertThat(functionCounter("etrms.dead.letters", "source_topic", topics.transfers.name(), "reason", "invalid")).isZero();
        assertThat(registry.get("etrms.processing.latency").tags("stage", "account").timer().count()).isZero();

        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, TestRecords.uniqueId("metrics-test"));
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        DeadLetterHandler.configure(props, topics.deadLetters.name(), metrics.deadLetters());
        AccountSettings settings = AccountSettings.from(EtrmsConfig.of(Map.of())).withSnapshotIntervals(Duration.ZERO, Duration.ZERO);
        try (TopologyTestDriver driver = new TopologyTestDriver(
                new AccountTopology(topics, settings, SizeGuard.DEFAULT_MAX_BYTES, metrics).buildTopology(), props)) {
            TestInputTopic<String, byte[]> transfers = driver.createInputTopic(topics.transfers.name(), new StringSerializer(),
                    new ByteArraySerializer());
            // a deposit, then a withdrawal of 30 % of it: drawdown 0 (a withdrawal is not a loss) — no trip
            transfers.pipeInput("main", TestRecords.transfer("d1", "main", "binance", "1000", T0), T0);
            transfers.pipeInput("bob", TestRecords.transfer("b1", "bob", "binance", "500", T0), T0);
            transfers.pipeInput("main", TestRecords.transfer("x", "main", "binance", "0", T0), T0);      // amount 0: invalid
            transfers.pipeInput("main", TestRecords.text("{nope"), T0);                                  // unparsable
            driver.createInputTopic(topics.riskControl.name(), new StringSerializer(), new ByteArraySerializer())
                    .pipeInput("bob", TestRecords.text("{\"account\":\"bob\",\"action\":\"set_state\",\"state\":\"HALTED\","
                            + "\"requested_by\":\"ops\",\"timestamp\":" + (T0 + 1) + "}"), T0 + 1);

            assertThat(counter("etrms.breaker.trips", "condition", "manual", "action", "halt")).isEqualTo(1);
            assertThat(counter("etrms.alerts", "type", "circuit_breaker")).isEqualTo(1);
            assertThat(functionCounter("etrms.dead.letters", "source_topic", topics.transfers.name(), "reason", "invalid")).isEqualTo(1);
            assertThat(functionCounter("etrms.dead.letters", "source_topic", topics.transfers.name(), "reason", "unparsable")).isEqualTo(1);
            assertThat(gauge("ACTIVE")).isEqualTo(1);   // main
            assertThat(gauge("HALTED")).isEqualTo(1);   // bob, by hand
            assertThat(gauge("REDUCE_ONLY")).isZero();
            // two deposits and the control record were processed, each timed
            assertThat(registry.get("etrms.processing.latency").tags("stage", "account").timer().count()).isEqualTo(3);
        }
        assertThat(gauge("ACTIVE")).as("a closed task reports nothing").isZero();
    }
}
