package io.etrms.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.etrms.model.Json;
import io.etrms.model.Keys;
import io.etrms.model.TopicAdmin;
import io.etrms.model.Topics;
import io.etrms.testing.KafkaCluster;
import io.etrms.testing.KafkaClusterExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@ExtendWith(KafkaClusterExtension.class)
class WhatIfCommandTest {

    /** Window start: 2026-11-02T09:00:00Z. */
    private static final long FROM = Instant.parse("2026-11-02T09:00:00Z").toEpochMilli();
    /** Window end (exclusive): ten minutes later. */
    private static final long TO = FROM + 600_000;
    private static final String INSTRUMENT = Keys.instrument("binance", "BTC/USDT");

    @TempDir
    Path dir;

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
    void shouldReportTheDrawdownTripATighterLimitWouldHaveRaisedAndThatNoneHappened(KafkaCluster kafka) throws Exception {
        // Given: a recorded history on the source prefix
        Topics source = kafka.newTopics();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            // the limits in force: the account's drawdown limit 20 % (12 % stays inside), no stale-price checks;
            // the candidate for the same key must replace this record, so it has to be published after it
            send(producer, source.riskLimits.name(), "acct", "{\"max_drawdown_pct\":20}");
            send(producer, source.riskLimits.name(), "*", "{\"stale_price_seconds\":0}");
            // The inputs in event-time order, as a feed writes them.
            // acct: deposit 10,000, buy 0.1 at 50,000 (equity 10,000 = the peak), tick 38,000:
            // unrealized (38,000 - 50,000) x 0.1 = -1,200, equity 8,800, drawdown 1,200 / 10,000 = 12 %.
            // acct2, where the place of a withdrawal among the ticks decides (candidate 9.9 %, no re-arm):
            // deposit 10,000, buy 2.5 at 2,000, tick 1,800: unrealized -500, equity 9,500, drawdown 5 %;
            // withdraw 5,000: equity 4,500, the peak moves to 5,000, drawdown 500 / 5,000 = 10 % -> trip at the withdrawal;
            // tick 1,840: unrealized -400, equity 4,600, drawdown 8 %.
            // (The withdrawal taken before the fill would trip at the first tick; taken last, never: 4,600 / 5,000 is 8 %.)
            String eth = Keys.instrument("binance", "ETH/USDT");
            // before the window: another account's fill, left out of the replay (and reported)
            send(producer, source.fills.name(), INSTRUMENT, fill("f0", "other", "BTC/USDT", "1", "50000", FROM - 60_000));
            send(producer, source.transfers.name(), "acct", transfer("t1", "acct", "10000", FROM + 1_000));
            send(producer, source.fills.name(), INSTRUMENT, fill("f1", "acct", "BTC/USDT", "0.1", "50000", FROM + 2_000));
            send(producer, source.transfers.name(), "acct2", transfer("t2", "acct2", "10000", FROM + 10_000));
            send(producer, source.fills.name(), eth, fill("e1", "acct2", "ETH/USDT", "2.5", "2000", FROM + 20_000));
            send(producer, source.prices.name(), eth, tick("ETH/USDT", "1800", FROM + 100_000));
            send(producer, source.transfers.name(), "acct2", transfer("t3", "acct2", "-5000", FROM + 200_000));
            send(producer, source.prices.name(), eth, tick("ETH/USDT", "1840", FROM + 250_000));
            send(producer, source.prices.name(), INSTRUMENT, tick("BTC/USDT", "38000", FROM + 300_000));
            // a fill the topology refuses (quantity 0): replayed, and a dead letter again
            send(producer, source.fills.name(), INSTRUMENT, fill("f2", "acct", "BTC/USDT", "0", "38000", FROM + 400_000));
            // at the window's end, excluded: with it acct's equity would be 8,600 and its drawdown 14 %
            send(producer, source.prices.name(), INSTRUMENT, tick("BTC/USDT", "36000", TO));
            // what happened: an alert before the window, a stale-price one (wall clock, not compared), one of another account
            send(producer, source.alerts.name(), "acct", alert("acct", "max_leverage", "reduce_only", FROM - 30_000));
            send(producer, source.alerts.name(), "acct", alert("acct", "stale_price", "alert_only", FROM + 100_000));
            send(producer, source.alerts.name(), "third", alert("third", "daily_loss", "halt", FROM + 200_000));
            // the account's risk metrics: ACTIVE in the window, HALTED after it
            send(producer, source.riskMetrics.name(), "acct", metrics("acct", "ACTIVE", FROM + 300_000));
            send(producer, source.riskMetrics.name(), "acct", metrics("acct", "HALTED", TO + 1_000));
            producer.flush();
        }
        Path limits = Files.writeString(dir.resolve("candidate.json"),
                "{\"acct\": {\"max_drawdown_pct\": 10}, \"acct2\": {\"max_drawdown_pct\": 9.9, \"cooldown_seconds\": 3600}}");
        Path out = dir.resolve("report.json");

        // When
        long started = System.nanoTime();
        Run run = run("whatif", "--bootstrap-servers", kafka.bootstrapServers(), "--prefix", source.prefix(),
                "--limits", limits.toString(), "--from", "2026-11-02T09:00:00Z", "--to", Long.toString(TO),
                "--out", out.toString(), "--timeout", "60");

        // Then
        assertThat(run.status()).as(run.err()).isZero();
        // 3 transfers + 3 fills + 3 ticks in the window
        assertThat(run.err()).contains("whatif: copied 9 records in ").doesNotContain("could not delete the consumer groups");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(60));
        JsonNode report = Json.MAPPER.readTree(out.toFile());
        assertThat(report.get("source_prefix").asText()).isEqualTo(source.prefix());
        assertThat(report.get("from").asLong()).isEqualTo(FROM);
        assertThat(report.get("to").asLong()).isEqualTo(TO);
        assertThat(report.get("replayed")).isEqualTo(Json.MAPPER.readTree("{\"transfers\":3,\"fills\":3,\"prices\":3}"));
        assertThat(report.get("dead_letters").asLong()).isEqualTo(1);
        assertThat(report.get("skipped_without_timestamp").asLong()).isZero();
        assertThat(report.get("earlier_records")).isEqualTo(Json.MAPPER.readTree("{\"other\":{\"fills\":1,\"transfers\":0}}"));
        assertThat(report.get("accounts").properties()).extracting(Map.Entry::getKey).containsExactly("acct", "acct2", "third");

        JsonNode acct = report.get("accounts").get("acct");
        // the trip at the tick's second: (FROM + 300,000 ms) / 1000
        long tickSecond = (FROM + 300_000) / 1000;
        assertThat(acct.get("what_if").get("alerts")).isEqualTo(Json.MAPPER.readTree(
                "[{\"change\":\"trip\",\"condition_name\":\"max_drawdown\",\"scope\":\"*\",\"triggered_at\":" + tickSecond + ",\"action\":\"halt\"}]"));
        assertThat(acct.get("actual").get("alerts")).isEqualTo(Json.MAPPER.readTree("[]"));
        JsonNode mine = acct.get("what_if").get("final_state");
        assertThat(mine.get("trading_state").asText()).isEqualTo("HALTED");
        assertThat(mine.get("current_drawdown").asDouble()).isEqualTo(12.0);
        assertThat(mine.get("max_drawdown").asDouble()).isEqualTo(12.0);
        assertThat(mine.get("total_equity").decimalValue()).isEqualByComparingTo("8800");
        assertThat(mine.get("timestamp").asLong()).isEqualTo(FROM + 300_000);
        assertThat(acct.get("actual").get("final_state").get("trading_state").asText()).isEqualTo("ACTIVE");

        JsonNode acct2 = report.get("accounts").get("acct2");
        assertThat(acct2.get("what_if").get("alerts")).isEqualTo(Json.MAPPER.readTree(
                "[{\"change\":\"trip\",\"condition_name\":\"max_drawdown\",\"scope\":\"*\",\"triggered_at\":" + (FROM + 200_000) / 1000
                        + ",\"action\":\"halt\"}]"));
        JsonNode mine2 = acct2.get("what_if").get("final_state");
        assertThat(mine2.get("trading_state").asText()).isEqualTo("HALTED");
        assertThat(mine2.get("current_drawdown").asDouble()).isEqualTo(8.0);
        assertThat(mine2.get("max_drawdown").asDouble()).isEqualTo(10.0);
        assertThat(mine2.get("total_equity").decimalValue()).isEqualByComparingTo("4600");
        assertThat(acct2.get("actual").get("alerts")).isEqualTo(Json.MAPPER.readTree("[]"));

        JsonNode third = report.get("accounts").get("third");
        assertThat(third.get("what_if").get("alerts")).isEqualTo(Json.MAPPER.readTree("[]"));
        assertThat(third.get("actual").get("alerts")).isEqualTo(Json.MAPPER.readTree(
                "[{\"change\":\"trip\",\"condition_name\":\"daily_loss\",\"scope\":\"*\",\"triggered_at\":" + (FROM + 200_000) / 1000
                        + ",\"action\":\"halt\"}]"));
        assertThat(third.get("what_if").has("final_state")).isFalse();

        assertThat(run.out()).contains("warning: other has 1 fills and 0 transfers before the window", "account acct", "what-if  trip   max_drawdown", "actual   (no alert)",
                "final trading state: what-if HALTED (drawdown 12.0 %), actual ACTIVE (drawdown 12.0 %)");

        String replayPrefix = report.get("replay_prefix").asText();
        String appId = replayPrefix.substring(0, replayPrefix.length() - 1);
        assertThat(replayPrefix).matches("whatif-[0-9a-f]{8}\\.");
        try (Admin admin = Admin.create(TopicAdmin.adminConfig(kafka.bootstrapServers()))) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(admin.listTopics().names().get())
                    .noneMatch(name -> name.startsWith(appId)));
        }
    }

    @Test
    void shouldRefuseAWindowThatEndsBeforeItStartsAndLimitsThatDoNotParse() throws Exception {
        Path good = Files.writeString(dir.resolve("good.json"), "{\"*\": {\"max_drawdown_pct\": 10}}");
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"acct\": {\"max_drawdown_pct\": \"ten\"}}");
        Path notAnObject = Files.writeString(dir.resolve("list.json"), "[1]");

        Run backwards = run("whatif", "--limits", good.toString(), "--from", "2026-11-02T10:00:00Z", "--to", "2026-11-02T09:00:00Z");
        Run unparsable = run("whatif", "--limits", bad.toString(), "--from", "0", "--to", "1");
        Run list = run("whatif", "--limits", notAnObject.toString(), "--from", "0", "--to", "1");
        Run badTime = run("whatif", "--limits", good.toString(), "--from", "yesterday", "--to", "1");

        assertThat(backwards.status()).isEqualTo(2);
        assertThat(backwards.err()).contains("--to must be after --from");
        assertThat(unparsable.status()).isEqualTo(2);
        assertThat(unparsable.err()).contains("acct: max_drawdown_pct: 'ten' is not a number");
        assertThat(list.status()).isEqualTo(2);
        assertThat(list.err()).contains("must be a JSON object of key (account or *) to risk limits");
        assertThat(badTime.status()).isEqualTo(2);
        assertThat(badTime.err()).contains("'yesterday' is neither an ISO-8601 instant nor epoch milliseconds");
    }

    @Test
    void shouldListWhatifAmongTheSubcommands() {
        Run top = run("--help");
        Run whatif = run("whatif", "--help");

        assertThat(top.out()).contains("whatif");
        assertThat(whatif.status()).isZero();
        assertThat(whatif.out()).contains("--limits=FILE", "--from=T", "--to=T", "--prefix=PREFIX", "--out=FILE.json", "--slice=SECONDS", "--timeout=SECONDS",
                "--keep", "--bootstrap-servers");
    }

    private static void send(KafkaProducer<String, String> producer, String topic, String key, String value) {
        producer.send(new ProducerRecord<>(topic, key, value));
    }

    private static String fill(String id, String account, String symbol, String quantity, String price, long timestamp) {
        return "{\"fill_id\":\"" + id + "\",\"account\":\"" + account + "\",\"exchange\":\"binance\",\"symbol\":\"" + symbol + "\",\"side\":\"buy\","
                + "\"quantity\":" + quantity + ",\"price\":" + price + ",\"fee\":0,\"timestamp\":" + timestamp + "}";
    }

    private static String transfer(String id, String account, String amount, long timestamp) {
        return "{\"transfer_id\":\"" + id + "\",\"account\":\"" + account + "\",\"exchange\":\"binance\",\"amount\":" + amount
                + ",\"timestamp\":" + timestamp + "}";
    }

    private static String tick(String symbol, String price, long timestamp) {
        return "{\"exchange\":\"binance\",\"symbol\":\"" + symbol + "\",\"price\":" + price + ",\"timestamp\":" + timestamp + "}";
    }

    private static String alert(String account, String condition, String action, long timestamp) {
        return "{\"type\":\"circuit_breaker\",\"alert_id\":1,\"account\":\"" + account + "\",\"condition_name\":\"" + condition
                + "\",\"description\":\"recorded\",\"exchange\":\"*\",\"symbol\":\"*\",\"severity\":\"critical\",\"triggered_at\":"
                + timestamp / 1000 + ",\"context\":{},\"action\":\"" + action + "\",\"action_result\":\"published\",\"timestamp\":" + timestamp + "}";
    }

    private static String metrics(String account, String state, long timestamp) {
        return "{\"type\":\"risk_metrics\",\"account\":\"" + account + "\",\"timestamp\":" + timestamp
                + ",\"risk_metrics\":{\"total_equity\":8800,\"current_drawdown\":12.0,\"max_drawdown\":12.0,\"trading_state\":\"" + state + "\"}}";
    }
}
