package io.etrms.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each benchmark end to end at tiny sizes, through the same code as {@code benchmarks/run.sh}:
 * it must run, measure its system and its baseline, and report sane figures, a JSON file and a
 * plot. The topology smoke runs exactly-once and the latency smoke at-least-once, so both
 * guarantees are exercised while the suite stays short. (Real figures: docs/benchmarks.md.)
 */
class BenchmarkSmokeTest {

    @TempDir
    Path results;

    @Test
    void shouldMeasureTopologyThroughputAgainstRawProducerAndConsumer() throws Exception {
        BenchReport report = new TopologyThroughputBenchmark(TopologyThroughputBenchmark.Options.smoke()).run(results);

        assertThat(report.rows()).extracting(r -> r.get("mode")).containsExactly("EOS");
        for (Map<String, Object> row : report.rows()) {
            assertThat(row.get("input_records")).isEqualTo(300L * 5); // fills + 4 ticks each
            // 5 accounts x 2 exchanges, all applied by the account stage before the trades are produced
            assertThat(row.get("deposits")).isEqualTo(5L * 2);
            assertThat(row.get("deposits_applied_before_trades")).isEqualTo(5L * 2);
            assertThat((Double) row.get("producer_rec_s")).isPositive();
            assertThat((Double) row.get("consumer_rec_s")).isPositive();
            assertThat((Double) row.get("topology_rec_s")).isPositive();
            assertThat((Double) row.get("ratio_to_producer")).isPositive().isFinite();
            // Every fill publishes its position, and each of the 5 accounts at least one portfolio, accounts and
            // risk-metrics snapshot (snapshots of one account are conflated to one per 20 ms).
            assertThat((Long) row.get("output_records")).isGreaterThanOrEqualTo(300L + 3 * 5);
            assertThat((Double) row.get("stage1_cpu_us_per_input")).isPositive();
            assertThat((Double) row.get("stage2_cpu_us_per_input")).isPositive();
            assertThat((Double) row.get("stage1_done_s")).isLessThanOrEqualTo((Double) row.get("total_s"));
            // The floor forwards every fill and tick once, then one in three of those and the 10 deposits,
            // counted per task: the 3 tasks' ceil(n/3) add up to between ceil(1510/3) = 504 and (1510 + 3 x 2) / 3 = 505.
            assertThat(row.get("floor_internal_records")).isEqualTo(300L * 5);
            assertThat((Long) row.get("floor_output_records")).isBetween(504L, 505L);
            assertThat((Double) row.get("floor_rec_s")).isPositive();
            assertThat((Double) row.get("ratio_to_floor")).isPositive().isFinite();
        }
        assertWritten("topology");
    }

    @Test
    void shouldMeasureTheCostOfATickAgainstTheNumberOfHolders() throws Exception {
        BenchReport report = new HoldersBenchmark(HoldersBenchmark.Options.smoke()).run(results);

        assertThat(report.rows()).extracting(r -> r.get("holders")).containsExactly(5L, 50L);
        for (Map<String, Object> row : report.rows()) {
            // 200 ticks/s for 2 s
            assertThat((Long) row.get("ticks")).isBetween(390L, 400L);
            assertThat((Double) row.get("stage1_cpu_us_per_tick")).isPositive();
            assertThat((Double) row.get("stage2_cpu_us_per_tick")).isPositive();
            // a tick is one mark per partition holding the instrument: at most 3 (the partitions), however many holders
            assertThat((Double) row.get("internal_per_tick")).isGreaterThan(0.0).isLessThanOrEqualTo(3.0);
        }
        assertThat(report.rows().get(0).get("cpu_ratio")).isEqualTo(1.0);
        assertWritten("holders");
    }

    @Test
    void shouldMeasureFillToWebSocketLatencyAgainstPlainConsumer() throws Exception {
        BenchReport report = new LatencyBenchmark(LatencyBenchmark.Options.smoke()).run(results);

        assertThat(report.rows()).extracting(r -> r.get("config"))
                .containsExactly("baseline: produce → consumer (first)", "ALOS commit=100ms", "baseline: produce → consumer (last)");
        for (Map<String, Object> row : report.rows()) {
            assertThat((Long) row.get("fills_measured")).isPositive();
            assertThat((Double) row.get("received_pct")).isEqualTo(100.0);
            assertThat((Double) row.get("p50_ms")).isPositive();
            assertThat((Double) row.get("p99_ms")).isGreaterThanOrEqualTo((Double) row.get("p50_ms"));
            assertThat((Double) row.get("max_ms")).isGreaterThanOrEqualTo((Double) row.get("p99_ms")).isLessThan(30_000.0);
        }
        assertThat(report.rows().get(1).get("p99_ratio_to_baseline")).isInstanceOf(Double.class);
        assertWritten("latency");
    }

    @Test
    void shouldMeasureFanOutAgainstNodeBaseline() throws Exception {
        BenchReport report = new FanOutBenchmark(FanOutBenchmark.Options.smoke()).run(results);

        assertThat(report.rows()).extracting(r -> r.get("clients")).containsExactly(50L);
        for (Map<String, Object> row : report.rows()) {
            assertThat((Double) row.get("gw_msgs_s")).isPositive();
            assertThat((Double) row.get("node_msgs_s")).isPositive();
            assertThat((Double) row.get("gw_delivered_pct")).isGreaterThan(50.0).isLessThanOrEqualTo(100.0);
            assertThat((Double) row.get("node_delivered_pct")).isGreaterThan(50.0).isLessThanOrEqualTo(100.0);
            assertThat((Double) row.get("gw_p99_ms")).isPositive();
            assertThat((Double) row.get("node_p99_ms")).isPositive();
            assertThat((Double) row.get("gw_rss_mb")).isGreaterThan(20.0);
            assertThat((Double) row.get("node_rss_mb")).isGreaterThan(10.0);
            assertThat((Double) row.get("gw_cpu_ms_per_1k_msgs")).isPositive();
            assertThat((Double) row.get("gw_bench_jvm_cpu_ms_per_1k")).isPositive(); // the broker alone uses some
            assertThat(row.get("gw_closed_by_server")).isEqualTo(0L);
            assertThat(row.get("node_closed_by_server")).isEqualTo(0L);
        }
        // 50 idle connections are within the RSS noise of a process: the figures must exist, their size means little here
        assertThat((Double) report.summary().get("node_idle_kb_per_connection")).isFinite();
        assertThat((Double) report.summary().get("gateway_idle_kb_per_connection")).isFinite();
        assertThat((Double) report.summary().get("gateway_idle_heap_kb_per_connection")).isFinite();
        assertWritten("fanout");
    }

    @Test
    void shouldMeasureLocalDefaultMemoryAgainstBareBroker() throws Exception {
        BenchReport report = new MemoryBenchmark(MemoryBenchmark.Options.smoke()).run(results);

        assertThat(report.rows()).extracting(r -> r.get("phase")).containsExactly("idle", "idle: simulator only", "under load");
        double broker = (Double) report.rows().get(0).get("rss_avg_mb");
        assertThat(broker).isGreaterThan(50.0);
        // The local default embeds the same broker and runs the topology, gateway and simulator on top.
        assertThat((Double) report.rows().get(1).get("rss_avg_mb")).isGreaterThan(broker);
        assertThat((Double) report.rows().get(2).get("peak_hwm_mb")).isGreaterThanOrEqualTo((Double) report.rows().get(2).get("rss_max_mb") - 1);
        assertWritten("memory");
    }

    private void assertWritten(String name) throws Exception {
        assertThat(Files.readString(results.resolve(name + ".json"))).contains("\"benchmark\" : \"" + name + "\"", "\"machine_before\"");
        assertThat(Files.readString(results.resolve(name + ".svg"))).startsWith("<svg").contains("<rect x=");
    }
}
