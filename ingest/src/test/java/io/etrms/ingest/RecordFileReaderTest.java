package io.etrms.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordFileReaderTest {

    static final Path FILLS_FIXTURE = Path.of("src/test/resources/replay/fills-mixed.jsonl");
    static final Path PRICES_FIXTURE = Path.of("src/test/resources/replay/prices-mixed.csv");

    private static List<String> read(Path file, InputKind kind) throws IOException {
        List<String> out = new ArrayList<>();
        try (RecordFileReader reader = new RecordFileReader(file, kind)) {
            RecordFileReader.Line line;
            while ((line = reader.next()) != null) {
                out.add(line.number() + " " + (line.result().isValid() ? "ok " + line.result().key() : "bad " + line.result().error()));
            }
            assertThat(reader.bytesRead()).isEqualTo(reader.size());
        }
        return out;
    }

    @Test
    void shouldNumberJsonLinesAndSkipBlankOnes() throws IOException {
        assertThat(read(FILLS_FIXTURE, null)).containsExactly(
                "1 ok binance|BTC/USDT:USDT",
                "2 ok coinbase|ETH/USDT",
                "3 bad invalid JSON: Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
                "4 ok binance|SOL/USDT",
                "5 bad quantity must be > 0, was 0",
                "6 bad unknown side 'hold' (buy or sell)",
                "8 ok coinbase|BTC/USDT:USDT",
                "9 bad expected a JSON object, got an array",
                "10 bad field type: 'price' does not match the expected fills",
                "11 bad field quantity: 'abc' is not a number");
    }

    @Test
    void shouldReadCsvByHeaderWithQuotesCommentsAndIsoTimes() throws IOException {
        assertThat(read(PRICES_FIXTURE, null)).containsExactly(
                "2 ok binance|BTC/USDT:USDT",
                "3 ok coinbase|ETH/USDT",
                "4 ok binance|BTC/USDT:USDT",
                "5 bad expected 4 CSV fields (exchange,symbol,price,timestamp), got 3",
                "6 bad price must be > 0, was -1",
                "7 bad field timestamp: 'yesterday' is neither epoch milliseconds nor an ISO-8601 instant",
                "9 ok coinbase|ETH/USDT");
    }

    @Test
    void shouldReadGzippedFilesAndTypedColumns(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("market.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(("type,exchange,symbol,price,timestamp,transfer_id,account,amount\n"
                    + "price,binance,BTC/USDT:USDT,65000,1763971200000,,,\n"
                    + "transfer,binance,,,1763971200000,d-1,main,100\n").getBytes(StandardCharsets.UTF_8));
        }

        assertThat(read(file, null)).containsExactly("2 ok binance|BTC/USDT:USDT", "3 ok main");
    }

    @Test
    void shouldReadPositionSnapshotsFromCsvTypedByTheFileName(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("position-snapshots.csv");
        Files.writeString(file, "account,exchange,symbol,size,timestamp\n"
                + "main,binance,BTC/USDT:USDT,2.0,1763971200000\n"
                + "main,binance,ETH/USDT,,1763971200000\n"
                + "alt,okx,SOL/USDT,-3,2025-11-24T08:00:00Z\n");

        assertThat(read(file, null)).containsExactly("2 ok main", "3 bad missing field size", "4 ok alt");
        assertThat(read(Path.of(System.getProperty("etrms.repo.root", ".."), "examples", "position-snapshots.csv"), null))
                .containsExactly("3 ok main", "4 ok main", "5 ok main");
    }

    @Test
    void shouldSplitCsvWithRfc4180Quoting() {
        assertThat(RecordFileReader.splitCsv("a,\"b,c\",\"say \"\"hi\"\"\",,d")).containsExactly("a", "b,c", "say \"hi\"", "", "d");
        assertThatThrownBy(() -> RecordFileReader.splitCsv("a,\"b")).hasMessage("unterminated quote");
        assertThatThrownBy(() -> RecordFileReader.splitCsv("a,\"b\"c")).hasMessage("text after a closing quote at column 6");
    }

    @Test
    void shouldTellTheTypeAndFormatFromTheFileName() {
        assertThat(RecordFileReader.kindFromName(Path.of("data/2025-11-24-fills.jsonl"))).isEqualTo(InputKind.FILLS);
        assertThat(RecordFileReader.kindFromName(Path.of("prices.csv.gz"))).isEqualTo(InputKind.PRICES);
        assertThat(RecordFileReader.kindFromName(Path.of("transfers.ndjson"))).isEqualTo(InputKind.TRANSFERS);
        assertThat(RecordFileReader.kindFromName(Path.of("binance-position-snapshots.csv"))).isEqualTo(InputKind.POSITION_SNAPSHOTS);
        assertThat(RecordFileReader.kindFromName(Path.of("market.jsonl"))).isNull();
        assertThat(RecordFileReader.kindFromName(Path.of("fills-and-prices.jsonl"))).isNull();
        assertThat(RecordFileReader.formatOf(Path.of("x.CSV"))).isEqualTo(RecordFileReader.Format.CSV);
        assertThatThrownBy(() -> RecordFileReader.formatOf(Path.of("x.txt"))).hasMessageContaining("cannot tell the format of x.txt");
    }
}
