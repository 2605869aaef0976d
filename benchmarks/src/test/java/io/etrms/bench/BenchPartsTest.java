package io.etrms.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.etrms.model.Fill;
import io.etrms.model.Json;
import io.etrms.model.Topics;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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

    /** Records what a {@link FanOutClients.FrameReader} hands on: the stamp of each text message, pings, closes. */
    private static final class RecordingFrames extends FanOutClients.FrameReader {
        final List<String> seen = new ArrayList<>();

        @Override
        void text(byte[] start, int length) {
            seen.add("text " + length + " " + FanOutClients.sentMicros(start, length));
        }

        @Override
        void ping(byte[] data, int length) {
            seen.add("ping " + new String(data, 0, length, StandardCharsets.US_ASCII));
        }

        @Override
        void close(int code) {
            seen.add("close " + code);
        }
    }

    private static byte[] frames() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // a 200-byte text message (16-bit length), the stamp first
        byte[] stamped = "{\"bench_sent_us\":1700000000123456,\"type\":\"x\",\"pad\":\"".getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(new byte[] {(byte) 0x81, 126, 0, (byte) 200});
        out.writeBytes(stamped);
        out.writeBytes(" ".repeat(200 - stamped.length).getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(new byte[] {(byte) 0x89, 3, 'a', 'b', 'c'});                        // ping "abc"
        byte[] first = "{\"bench_sent_us\":42".getBytes(StandardCharsets.US_ASCII);           // 19 bytes, not final
        out.writeBytes(new byte[] {0x01, (byte) first.length});
        out.writeBytes(first);
        out.writeBytes(new byte[] {(byte) 0x8A, 0});                                        // a pong between the fragments
        out.writeBytes(new byte[] {(byte) 0x80, 7});                                        // final continuation, 7 bytes
        out.writeBytes(",\"t\":1}".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(new byte[] {(byte) 0x82, 2, 1, 2});                                  // binary: not counted
        out.writeBytes(new byte[] {(byte) 0x81, 3, '{', '}', ' '});                         // text without a stamp
        out.writeBytes(new byte[] {(byte) 0x88, 2, 0x03, (byte) 0xF5});                     // close 1013
        out.writeBytes(new byte[] {(byte) 0x88, 0});                                        // close without a code
        return out.toByteArray();
    }

    private static final List<String> FRAMES_SEEN = List.of(
            "text 37 1700000000123456",   // the first 17 + 20 bytes of the message are kept
            "ping abc",
            "text 26 42",                 // 19 + 7 bytes over two fragments
            "text 3 -1",
            "close 1013",
            "close 1005");

    @Test
    void shouldReadFramesHoweverTheStreamIsSplit() throws Exception {
        byte[] stream = frames();
        assertThat(stream).hasSize(4 + 200 + 5 + 21 + 2 + 9 + 4 + 5 + 4 + 2);
        for (int split = 0; split <= stream.length; split++) {
            RecordingFrames reader = new RecordingFrames();
            ByteBuffer direct = ByteBuffer.allocateDirect(stream.length);
            direct.put(stream).clear();
            reader.read(direct, 0, split);
            reader.read(direct, split, stream.length);
            assertThat(reader.seen).as("split at %d", split).isEqualTo(FRAMES_SEEN);
        }
        RecordingFrames byteByByte = new RecordingFrames();
        for (int i = 0; i < stream.length; i++) {
            byteByByte.read(ByteBuffer.wrap(stream), i, i + 1);
        }
        assertThat(byteByByte.seen).isEqualTo(FRAMES_SEEN);
    }

    @Test
    void shouldReadA64BitLengthAndWhatFollowsIt() throws Exception {
        ByteBuffer stream = ByteBuffer.allocate(10 + 65_536 + 4);
        stream.put(new byte[] {(byte) 0x81, 127, 0, 0, 0, 0, 0, 1, 0, 0});               // 65,536 bytes
        stream.put("{\"bench_sent_us\":7}".getBytes(StandardCharsets.US_ASCII));
        stream.position(10 + 65_536).put(new byte[] {(byte) 0x89, 2, 'h', 'i'});
        RecordingFrames reader = new RecordingFrames();

        for (int i = 0; i < stream.capacity(); i += 4_096) {
            reader.read(stream, i, Math.min(i + 4_096, stream.capacity()));
        }

        assertThat(reader.seen).containsExactly("text 37 7", "ping hi");
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
