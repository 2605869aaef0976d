package io.etrms.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.etrms.model.Fill;
import io.etrms.model.Json;
import io.etrms.model.Topics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The measuring parts on their own: exact values, no broker. */
class BenchPartsTest {

    @Test
    void shouldSummarizeOnlyFillsInsideTheWindow() {
        FillLatencyLog log = new FillLatencyLog(8, 2);
        long ms = 1_000_000L;
        for (int n = 0; n < 8; n++) {
            log.sent(n, 1_000 * ms + n * ms);
        }
        log.arrived(2, 1_002 * ms + 5 * ms);   // 5 ms
        log.arrived(3, 1_003 * ms + 7 * ms);   // 7 ms
        log.arrived(3, 1_003 * ms + 90 * ms);  // a later copy: ignored
        log.arrived(6, 1_006 * ms + 1 * ms);   // outside the window

        FillLatencyLog.Summary s = log.summarize(1_002 * ms, 1_006 * ms);

        assertThat(s.sent()).isEqualTo(4);
        assertThat(s.received()).isEqualTo(2);
        assertThat(s.millisAt(50)).isCloseTo(5.0, within(0.01)); // HdrHistogram: 3 significant digits
        assertThat(s.maxMillis()).isCloseTo(7.0, within(0.01));
        assertThat(s.sustained()).isFalse();
        assertThat(log.fillNumber(1, 3)).isEqualTo(7);
    }

    @Test
    void shouldGiveEachAccountUnitBuysRoundTheBookDeterministically() throws Exception {
        Topics topics = new Topics("x.", 3);
        TradeWorkload a = new TradeWorkload(topics, 3, 2, 3, 2, 5);
        TradeWorkload b = new TradeWorkload(topics, 3, 2, 3, 2, 5);

        Fill first = Json.MAPPER.readValue(a.unitBuy(1, 0, 1_700_000_000_000L).value(), Fill.class);
        Fill second = Json.MAPPER.readValue(a.unitBuy(1, 1, 1_700_000_000_000L).value(), Fill.class);
        Fill third = Json.MAPPER.readValue(a.unitBuy(1, 2, 1_700_000_000_000L).value(), Fill.class);

        assertThat(first.fillId()).isEqualTo("f0");
        assertThat(first.account()).isEqualTo("bench-1");
        assertThat(first.side()).isEqualTo("buy");
        assertThat(first.quantity()).isEqualByComparingTo("1");
        assertThat(first.instrumentKey()).isEqualTo(a.bookKey(1, 0));
        assertThat(second.instrumentKey()).isEqualTo(a.bookKey(1, 1)).isNotEqualTo(first.instrumentKey());
        assertThat(third.instrumentKey()).isEqualTo(first.instrumentKey());
        assertThat(first.problems()).isEmpty();
        assertThat(new String(a.nextTick(1L).value(), StandardCharsets.UTF_8))
                .isEqualTo(new String(b.nextTick(1L).value(), StandardCharsets.UTF_8));
        assertThat(a.deposits(1L)).hasSize(3 * 2).allSatisfy(r -> assertThat(r.topic()).isEqualTo("x.transfers"));
    }

    @Test
    void shouldReadStampsWithoutAParser() {
        assertThat(LatencyBenchmark.fillNumber("{\"fill_id\":\"f12345\",\"account\":\"a\"}".getBytes(StandardCharsets.UTF_8))).isEqualTo(12345);
        assertThat(LatencyBenchmark.fillNumber("{\"account\":\"a\"}".getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
        assertThat(FanOutClients.sentMicros("{\"bench_sent_us\":1700000000123456,\"type\":\"x\"}")).isEqualTo(1_700_000_000_123_456L);
        // the clients read only the first bytes of a message: the stamp must come first
        assertThat(FanOutClients.sentMicros("{\"type\":\"x\",\"bench_sent_us\":1700000000123456}")).isEqualTo(-1);
        assertThat(FanOutClients.sentMicros("{\"bench_sent_us\":,\"type\":\"x\"}")).isEqualTo(-1);
    }

    @Test
    void shouldStampPublishedSnapshotsSoTheGatewayCanPassThemThrough() throws Exception {
        var metrics = Json.MAPPER.readTree(Json.write(SnapshotPublisher.sampleRiskMetrics("fanout")));
        assertThat(metrics.path("type").asText()).isEqualTo("risk_metrics");
        assertThat(metrics.path("account").asText()).isEqualTo("fanout");
        assertThat(metrics.path("risk_metrics").path("symbol_metrics").size()).isEqualTo(6);
        var alert = Json.MAPPER.readTree(Json.write(SnapshotPublisher.sampleAlert("fanout")));
        assertThat(alert.path("condition_name").asText()).isEqualTo("max_drawdown");
        assertThat(alert.path("exchange").asText()).isEqualTo("*");
        String stamped = Json.write(SnapshotPublisher.stamped(SnapshotPublisher.sampleAlert("fanout")));
        assertThat(stamped).startsWith("{\"bench_sent_us\":0,\"type\":\"circuit_breaker\",");
    }

    @Test
    void shouldDrawOneBarPerValueAndSkipMissingOnes() {
        String svg = new SvgChart("t", "ms").logarithmic()
                .bar("a", "p50", 1.5).bar("a", "p99", 120.0).bar("b", "p50", Double.NaN).bar("b", "p99", 3.0)
                .render();
        assertThat(svg.split("<rect x=", -1)).hasSize(1 + 3 + 2); // 3 bars + 2 legend swatches
        assertThat(svg).contains(">120<", ">1.50<", ">3.00<", "(log scale)");
    }

    @Test
    void shouldFormatRatiosAndTables() {
        assertThat(BenchReport.ratio(50, 200)).isEqualTo(0.25);
        assertThat(BenchReport.ratio(1, 0)).isNaN();
        assertThat(BenchReport.format(12345.6)).isEqualTo("12,346");
        assertThat(BenchReport.format(0.12345)).isEqualTo("0.123");
        BenchReport report = new BenchReport("x", "X").row(Map.of("mode", "EOS")).note("n");
        assertThat(report.asMap()).containsEntry("rows", List.of(Map.of("mode", "EOS")));
    }
}
