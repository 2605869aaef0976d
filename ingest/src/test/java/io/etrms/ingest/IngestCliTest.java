package io.etrms.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.etrms.model.DeadLetter;
import io.etrms.model.Fill;
import io.etrms.model.PriceTick;
import io.etrms.model.Topics;
import io.etrms.model.Transfer;
import io.etrms.testing.KafkaCluster;
import io.etrms.testing.KafkaClusterExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

@ExtendWith(KafkaClusterExtension.class)
class IngestCliTest {

    private static final Path EXAMPLES = Path.of(System.getProperty("etrms.repo.root", ".."), "examples");

    /** Exit status, stdout and stderr of one run. */
    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine cli = IngestCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int status = cli.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void shouldPrintHelpForEverySubcommand() {
        Run top = run("--help");
        Run simulate = run("simulate", "--help");
        Run replay = run("replay", "--help");

        assertThat(top.status()).isZero();
        assertThat(top.out()).contains("simulate", "replay", "serve");
        Run serve = run("serve", "--help");
        assertThat(serve.status()).isZero();
        assertThat(serve.out()).contains("--port=PORT", "--max-body-bytes=N", "/api/v1/ingest/{fills,prices,transfers,",
                "position-snapshots} with one JSON object");
        assertThat(simulate.status()).isZero();
        assertThat(simulate.out()).contains("--scenarios=NAME", "--no-scenarios", "--ticks-per-second=N", "--bootstrap-servers");
        assertThat(replay.status()).isZero();
        assertThat(replay.out()).contains("--speed=K", "--strict", "--rebase-time", "FILE...");
    }

    @Test
    void shouldRejectAnUnknownScenarioWithAMessage() {
        Run result = run("simulate", "--scenarios", "meteor", "--records", "1");

        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).contains("unknown scenario 'meteor' (crash, spike, stale-feed, over-leverage, large-position)");
    }

    @Test
    void shouldMapSimulateFlagsToOptions() {
        SimulateCommand command = new SimulateCommand();
        new CommandLine(command).parseArgs("--accounts", "main,alt", "--symbols", "BTC/USDT:USDT=60000,ETH/USDT=3000",
                "--ticks-per-second", "10", "--fills-per-second", "3", "--seed", "7", "--scenarios", "crash,stale",
                "--scenario-start", "5", "--once", "--crash-pct", "40", "--stale-seconds", "120");

        SimulatorOptions options = command.options();

        assertThat(options.accounts()).containsExactly("main", "alt");
        assertThat(options.symbols()).containsExactly(new SimulatorOptions.SymbolSpec("BTC/USDT:USDT", new BigDecimal("60000")),
                new SimulatorOptions.SymbolSpec("ETH/USDT", new BigDecimal("3000")));
        assertThat(options.ticksPerSecond()).isEqualTo(10.0);
        assertThat(options.fillsPerSecond()).isEqualTo(3.0);
        assertThat(options.seed()).isEqualTo(7L);
        assertThat(options.scenarios()).containsExactly(Scenario.CRASH, Scenario.STALE_FEED);
        assertThat(options.scenarioSettings().firstAfter()).isEqualTo(Duration.ofSeconds(5));
        assertThat(options.scenarioSettings().repeats()).isFalse();
        assertThat(options.scenarioSettings().crashPct()).isEqualTo(40.0);
        assertThat(options.scenarioSettings().staleFeedSeconds()).isEqualTo(120L);
        assertThat(options.exchanges()).containsExactly("binance", "coinbase");

        SimulateCommand off = new SimulateCommand();
        new CommandLine(off).parseArgs("--no-scenarios");
        assertThat(off.options().scenarios()).isEmpty();
        SimulateCommand none = new SimulateCommand();
        new CommandLine(none).parseArgs();
        assertThat(none.options()).isEqualTo(SimulatorOptions.defaults());
    }

    @Test
    void shouldReplayTheExampleFilesThroughTheCommandLine(KafkaCluster kafka) {
        Topics topics = kafka.newTopics();

        Run result = run("replay", "-b", kafka.bootstrapServers(), "--topic-prefix", topics.prefix(),
                EXAMPLES.resolve("fills.jsonl").toString(), EXAMPLES.resolve("prices.csv").toString(),
                EXAMPLES.resolve("transfers.csv").toString(), EXAMPLES.resolve("market.jsonl").toString());

        assertThat(result.status()).as(result.err()).isZero();
        assertThat(result.err()).contains("records sent  40 (acknowledged 40, refused by Kafka 0)", "bad lines     0");
        try (TopicRecords<Fill> fills = new TopicRecords<>(kafka.bootstrapServers(), topics.fills);
             TopicRecords<PriceTick> prices = new TopicRecords<>(kafka.bootstrapServers(), topics.prices);
             TopicRecords<Transfer> transfers = new TopicRecords<>(kafka.bootstrapServers(), topics.transfers);
             TopicRecords<DeadLetter> deadLetters = new TopicRecords<>(kafka.bootstrapServers(), topics.deadLetters)) {
            assertThat(fills.awaitExactly(4 + 5)).hasSize(9);
            assertThat(prices.awaitExactly(6 + 20)).hasSize(26);
            assertThat(transfers.awaitExactly(3 + 2)).hasSize(5);
            assertThat(deadLetters.awaitExactly(0)).isEmpty();
        }
    }

    @Test
    void shouldReportBadLinesAndExitWithTheDataErrorStatus(KafkaCluster kafka) {
        Topics topics = kafka.newTopics();

        Run result = run("replay", "-b", kafka.bootstrapServers(), "--topic-prefix", topics.prefix(), RecordFileReaderTest.PRICES_FIXTURE.toString());

        assertThat(result.status()).isEqualTo(3).isEqualTo(IngestCli.EXIT_DATA_ERRORS);
        assertThat(result.err()).contains(RecordFileReaderTest.PRICES_FIXTURE + ":6: price must be > 0, was -1",
                "records sent  4 (acknowledged 4, refused by Kafka 0)", "bad lines     3 (sent to dead-letters)");
    }

    @Test
    void shouldSimulateAFixedNumberOfRecords(KafkaCluster kafka) {
        Topics topics = kafka.newTopics();

        Run result = run("simulate", "-b", kafka.bootstrapServers(), "--topic-prefix", topics.prefix(),
                "--no-scenarios", "--as-fast-as-possible", "--records", "500");

        assertThat(result.status()).as(result.err()).isZero();
        assertThat(result.err()).contains("500 records sent, 500 acknowledged, 0 refused");
        try (TopicRecords<Transfer> transfers = new TopicRecords<>(kafka.bootstrapServers(), topics.transfers)) {
            assertThat(transfers.awaitExactly(2)).extracting(r -> r.value().account()).containsExactly("main", "main");
        }
    }

    @Test
    void shouldSayItCannotReachKafkaWithinTenSeconds() throws Exception {
        // Given a port nothing listens on
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        long started = System.nanoTime();

        // When a replay is pointed at it
        Run result = run("replay", "-b", "127.0.0.1:" + port, EXAMPLES.resolve("fills.jsonl").toString());

        // Then it fails with that message, within 10 s (plus the time to say so), and no Kafka warnings
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(12));
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).startsWith("replay: cannot reach Kafka at 127.0.0.1:" + port + ": no connection within 10 s");
    }

    @Test
    void shouldTellAUsageErrorFromADataError() {
        Run unknown = run("replay", "--no-such-flag", "x.jsonl");
        Run missing = run("replay", "no-such-file.jsonl");

        assertThat(unknown.status()).isEqualTo(2);
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err()).contains("no such file: no-such-file.jsonl");
    }

    @Test
    void shouldPrintTheBuildVersion() {
        Run version = run("-V");

        assertThat(version.status()).isZero();
        assertThat(version.out()).startsWith("etrms-ingest " + io.etrms.model.BuildInfo.version() + " (ETRMS)");
    }

    static List<String> lines(String text) {
        return text.lines().toList();
    }
}
