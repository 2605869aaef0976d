package io.etrms.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.etrms.model.Json;
import io.etrms.model.Topics;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ETRMS as it runs in production, as separate processes on one machine: a 3-node KRaft cluster
 * (replication 3, {@code min.insync.replicas=2}), two streams-app instances sharing one
 * application id and two gateways, each started by its real {@code main}. A fixed data set is fed
 * at a steady rate while, mid-stream, one streams-app is killed with SIGKILL and started again on
 * its state directory, one broker is stopped (SIGTERM) and later started again, and one gateway is
 * killed.
 *
 * <p>Then:
 * <ul>
 *   <li>the final positions (every key's last value and its whole fill history) and accounts equal
 *       those of a clean run of the same topologies over the same data in TopologyTestDriver: no
 *       drift, no fill lost or applied twice (re-sent fills included);</li>
 *   <li>every WebSocket client on the surviving gateway stayed connected, never went silent for
 *       longer than {@link #MAX_GAP}, received only values the pipeline committed (nothing of an
 *       aborted transaction), each at most as often as it was committed and in order, and ends
 *       with the final value;</li>
 *   <li>clients of the killed gateway that reconnect to the survivor (what the load balancer does)
 *       get the current snapshot at once and end with the final value too;</li>
 *   <li>the circuit-breaker alerts the data set plants ({@link DataSet.Breaches}: trips and
 *       clearings of one account on each partition, before, during and after the crashes) are
 *       committed on {@code alerts} exactly as the clean run published them: same accounts,
 *       alert ids, conditions, instruments and actions, none missing, none twice;</li>
 *   <li>an alerts client of the surviving gateway that disconnects mid-run, once it has an alert,
 *       and reconnects with {@code since=<the last alert_id it got>} (ids count per account, so one
 *       client per account) ends up with every alert of its account exactly once, in order: its
 *       two connections together received exactly the committed alerts;</li>
 *   <li>no streams-app exited by itself (its stage watcher saw no failed stage through the crashes)
 *       and both answer {@code GET /healthz} with 200 at the end.</li>
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterFailoverTest {

    private static final Logger log = LoggerFactory.getLogger(ClusterFailoverTest.class);

    private static final int PARTITIONS = 2;
    private static final int FILLS = 1_200;
    private static final double RECORDS_PER_SECOND = 90;
    /** The longest a client of the surviving gateway may go without a message while data flows. */
    private static final Duration MAX_GAP = Duration.ofSeconds(40);
    private static final List<String> STATE_CHANNELS = List.of("positions", "accounts", "risk-metrics");
    /** The planted breaker trips: far beyond the limit of 500 000 (16 BTC is about 1 M), cleared far below 450 000. */
    private static final String BREACH_EXCHANGE = "binance";
    private static final String BREACH_SYMBOL = "BTC/USDT:USDT";
    private static final List<DataSet.Episode> EPISODES = List.of(new DataSet.Episode(0.08, 0.16), new DataSet.Episode(0.32, 0.44),
            new DataSet.Episode(0.56, 0.66), new DataSet.Episode(0.80, 0.90));

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<WsRecorder> clients = new ArrayList<>();
    private Path runDir;
    private ProcessDeployment deployment;
    private CommittedTap tap;
    private DataSet data;
    private DataSet.Breaches breaches;
    private CompletableFuture<ReferenceRun.Result> expected;

    @BeforeAll
    void startDeployment() {
        Path module = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
        runDir = RunDirectory.create(module.resolve("target/cluster-runs"), "failover");
        // Event time starts 10 minutes ago: a live feed, well within every topic's retention.
        long start = (System.currentTimeMillis() - Duration.ofMinutes(10).toMillis()) / 1000 * 1000;
        DataSet.Spec spec = DataSet.spec(PARTITIONS, FILLS, 20_261_125L, start);
        // The first accounts cover every partition (DataSet.accountsCovering): alerts on both stage-2 tasks.
        // No cooldown: each clearing follows from the sell-back alone (see DataSet.Breaches).
        breaches = new DataSet.Breaches(spec.accounts().subList(0, PARTITIONS), BREACH_EXCHANGE, BREACH_SYMBOL, new BigDecimal("16"),
                new BigDecimal("500000"), 0, EPISODES);
        data = DataSet.generate(spec, breaches);
        // The clean reference run needs no broker: it runs while the cluster starts.
        expected = CompletableFuture.supplyAsync(() -> {
            long started = System.nanoTime();
            ReferenceRun.Result result = ReferenceRun.run(data, true);
            log.info("clean reference run of {} in {} ms: {} position keys, {} accounts, alerts {}", data,
                    (System.nanoTime() - started) / 1_000_000, result.summary().lastPositions().size(),
                    result.summary().lastAccounts().size(), countsOf(result.alerts()));
            return result;
        });

        Map<String, String> streams = new LinkedHashMap<>();
        // A crashed instance's partitions move after the session timeout: 6 s (the broker's minimum) instead of 45 s.
        streams.put("session.timeout.ms", "6000");
        streams.put("heartbeat.interval.ms", "1500");
        streams.put("topic.min.insync.replicas", "2");
        Map<String, String> gateway = new LinkedHashMap<>();
        gateway.put("isolation.level", "read_committed");
        deployment = ProcessDeployment.start(runDir, RunDirectory.childClasspath(module, runDir),
                new ProcessDeployment.Settings(3, PARTITIONS, "failover.", "etrms-failover", streams, gateway), Duration.ofSeconds(240));
        Topics topics = deployment.topics();
        tap = CommittedTap.start(deployment.bootstrapServers(), List.of(topics.positions.name(), topics.portfolio.name(),
                topics.accounts.name(), topics.riskMetrics.name(), topics.alerts.name()));
    }

    @AfterAll
    void stopDeployment() {
        clients.forEach(WsRecorder::close);
        if (tap != null) {
            tap.close();
        }
        if (deployment != null) {
            deployment.close();
        }
        ChildJvm.killAll();
    }

    @Test
    void shouldPublishTheCleanRunsNumbersThroughCrashesAndKeepClientsOfTheSurvivingGatewayServed() throws Exception {
        // Given two streams-app instances and two gateways on a 3-node cluster, the data set's limits in force from the start
        long t0 = System.nanoTime();
        try (Feeder limits = new Feeder(Feeder.newProducer(deployment.bootstrapServers()), deployment.topics())) {
            data.limits().forEach(limits::send);
            limits.flush();
            assertThat(limits.acknowledged()).as("risk-limits records acknowledged").isEqualTo(data.limits().size());
        }
        for (int n = 1; n <= 2; n++) {
            deployment.startStreams(n);
            deployment.startGateway(n);
        }
        deployment.awaitGatewayReady(1, Duration.ofSeconds(180));
        deployment.awaitGatewayReady(2, Duration.ofSeconds(180));
        deployment.awaitStreamsMembers(2, Duration.ofSeconds(180));
        log.info("2 streams-app + 2 gateway processes up in {} ms", (System.nanoTime() - t0) / 1_000_000);

        List<String> accounts = data.accounts();
        int survivor = 2;
        int doomed = 1;
        Map<String, WsRecorder> onSurvivor = new LinkedHashMap<>();
        Map<String, WsRecorder> onDoomed = new LinkedHashMap<>();
        for (String account : accounts) {
            for (String channel : STATE_CHANNELS) {
                onSurvivor.put(channel + "/" + account, track(WsRecorder.connect(http, "gw2 " + channel + " " + account,
                        deployment.gatewayPort(survivor), channel, account)));
            }
            onDoomed.put(account, track(WsRecorder.connect(http, "gw1 accounts " + account, deployment.gatewayPort(doomed), "accounts", account)));
        }
        // Alerts are events: a client must be connected before the first one to see it live.
        Map<String, WsRecorder> alertsBefore = new LinkedHashMap<>();
        Map<String, WsRecorder> alertsResumed = new LinkedHashMap<>();
        Map<String, Long> resumedSince = new LinkedHashMap<>();
        for (String account : breaches.accounts()) {
            alertsBefore.put(account, track(WsRecorder.connect(http, "gw2 alerts " + account, deployment.gatewayPort(survivor), "alerts", account)));
        }

        // The clean run (CPU-bound, started with the cluster) must not compete with the services
        // for this machine's cores while the feed runs: a silence it causes is not a failover's.
        ReferenceRun.Result reference = expected.get(5, TimeUnit.MINUTES);

        // When the data set flows while a streams-app is killed and restarted, a broker stops and comes back, a gateway dies
        Topics topics = deployment.topics();
        List<DataSet.Input> records = data.records();
        Map<String, WsRecorder> reconnected = new LinkedHashMap<>();
        Timeline events = new Timeline();
        long feedStart;
        long feedEnd;
        try (Feeder feeder = new Feeder(Feeder.newProducer(deployment.bootstrapServers()), topics)) {
            feedStart = System.nanoTime();
            feeder.start(records, RECORDS_PER_SECOND);

            awaitSent(feeder, records.size() * 20 / 100);
            events.add("kill -9 streams-1");
            deployment.service("streams-1").kill();
            deployment.startStreams(1);
            events.add("streams-1 started again");

            // Each alerts client disconnects once it has an alert and the feed is 40 % through, without
            // holding up the rest of the scenario (a stage-2 failover can delay the first alert).
            awaitSent(feeder, records.size() * 40 / 100);
            Map<String, CompletableFuture<Void>> disconnected = new LinkedHashMap<>();
            alertsBefore.forEach((account, client) -> disconnected.put(account, CompletableFuture.runAsync(() -> {
                await(client.label() + " receives an alert").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(10))
                        .until(() -> !client.messages().isEmpty());
                client.close();
                events.add("alerts client " + account + " disconnects");
            })));

            events.add("SIGTERM broker 2");
            CompletableFuture<Void> brokerStopped = CompletableFuture.runAsync(() -> deployment.kafka().stop(2))
                    .thenRun(() -> events.add("broker 2 stopped"));

            awaitSent(feeder, records.size() * 55 / 100);
            events.add("kill -9 gateway-1");
            deployment.service("gateway-" + doomed).kill();
            for (Map.Entry<String, WsRecorder> e : onDoomed.entrySet()) {
                await(e.getValue().label() + " notices").atMost(Duration.ofSeconds(30)).until(() -> e.getValue().ended() != null);
                reconnected.put(e.getKey(), track(WsRecorder.connect(http, "gw1->gw2 accounts " + e.getKey(),
                        deployment.gatewayPort(survivor), "accounts", e.getKey())));
            }

            brokerStopped.get(90, TimeUnit.SECONDS);
            awaitSent(feeder, records.size() * 75 / 100);
            events.add("broker 2 started again");
            deployment.kafka().startNode(2);

            // Alerts were published while they were away: the replay has something to send.
            for (Map.Entry<String, WsRecorder> e : alertsBefore.entrySet()) {
                disconnected.get(e.getKey()).get(150, TimeUnit.SECONDS);
                List<String> got = e.getValue().texts();
                await("alerts of " + e.getKey() + " published while its client was away").atMost(Duration.ofSeconds(60))
                        .until(() -> tap.values(topics.alerts.name(), e.getKey()).size() > got.size());
                long since = Json.MAPPER.readTree(got.get(got.size() - 1)).path("alert_id").asLong();
                resumedSince.put(e.getKey(), since);
                alertsResumed.put(e.getKey(), track(WsRecorder.connect(http, "gw2 alerts " + e.getKey() + " since " + since,
                        deployment.gatewayPort(survivor), "alerts", e.getKey(), since)));
                events.add("alerts client " + e.getKey() + " reconnects with since=" + since);
            }

            assertThat(feeder.awaitDone(Duration.ofSeconds(120))).as("feeder done").isTrue();
            feedEnd = System.nanoTime();
            events.add("last record sent");
            assertThat(feeder.failed()).as("records Kafka refused: %s", feeder.firstFailure()).isZero();
            assertThat(feeder.acknowledged()).isEqualTo(records.size());

            // Every fill processed: the closing ticks now fix every position's final mark.
            deployment.awaitInstrumentStageCaughtUp(Duration.ofSeconds(120));
            data.closingTicks().forEach(feeder::send);
            feeder.flush();
            assertThat(feeder.failed()).isZero();
        }
        deployment.awaitCaughtUp(Duration.ofSeconds(120));
        log.info("fed {} records in {} ms; both stages caught up {} ms after the last one", records.size(),
                (feedEnd - feedStart) / 1_000_000, (System.nanoTime() - feedEnd) / 1_000_000);
        tap.awaitCaughtUp(Duration.ofSeconds(60));
        // the closing ticks' re-marked positions go out at the next mark interval (1 s)
        await("every position marked by its closing tick").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> OutputSummary.of(tap.values(topics.positions.name()), Map.of(), false).notYetMarkedBy(data.closingTicks()).isEmpty());

        // Then the final positions and accounts are those of the clean run
        OutputSummary actual = OutputSummary.of(tap.values(topics.positions.name()), tap.values(topics.accounts.name()), true);
        OutputSummary clean = reference.summary();
        assertThat(clean.differencesFrom(actual)).as("drift from the clean run").isEmpty();
        assertThat(actual.lastPositions()).as("every account in every instrument").hasSize(accounts.size() * 6);
        assertThat(actual.lastAccounts()).containsOnlyKeys(accounts);
        long fillsApplied = actual.lastPositions().keySet().stream().mapToLong(actual::fillsApplied).sum();
        assertThat(fillsApplied).as("fills applied once each; re-sent ones dropped").isEqualTo(data.fills());

        // And every client of the surviving gateway was served throughout, with committed values only
        Map<String, String> topicOf = Map.of("positions", topics.portfolio.name(), "accounts", topics.accounts.name(),
                "risk-metrics", topics.riskMetrics.name());
        Duration longest = Duration.ZERO;
        log.info("events, seconds after the feed started: {}", events.describe(feedStart));
        for (Map.Entry<String, WsRecorder> e : onSurvivor.entrySet()) {
            String channel = e.getKey().substring(0, e.getKey().indexOf('/'));
            String account = e.getKey().substring(e.getKey().indexOf('/') + 1);
            List<String> values = tap.values(topicOf.get(channel), account);
            WsRecorder client = e.getValue();
            assertThat(values).as("%s committed values", client.label()).isNotEmpty();
            await(client.label() + " receives the final value").atMost(Duration.ofSeconds(30))
                    .until(() -> values.get(values.size() - 1).equals(client.lastText()));
            assertThat(client.ended()).as("%s connection", client.label()).isNull();
            assertOnlyCommittedInOrder(client, values);
            WsRecorder.Gap gap = client.longestGap(feedStart, feedEnd);
            longest = gap.length().compareTo(longest) > 0 ? gap.length() : longest;
            log.info("{}: {} messages, longest silence while data flowed {} ms ({})", client.label(), client.messages().size(),
                    gap.length().toMillis(), gap.describe(feedStart));
            assertThat(gap.length()).as("%s longest silence (%s; events %s)", client.label(), gap.describe(feedStart),
                    events.describe(feedStart)).isLessThan(MAX_GAP);
        }
        log.info("longest silence of any client on the surviving gateway: {} ms (bound {} s)", longest.toMillis(), MAX_GAP.toSeconds());

        // And clients of the killed gateway, reconnected to the survivor, are served to the final value
        for (Map.Entry<String, WsRecorder> e : reconnected.entrySet()) {
            WsRecorder client = e.getValue();
            List<String> values = tap.values(topics.accounts.name(), e.getKey());
            await(client.label() + " receives the final value").atMost(Duration.ofSeconds(30))
                    .until(() -> values.get(values.size() - 1).equals(client.lastText()));
            assertOnlyCommittedInOrder(client, values);
            assertThat(client.ended()).isNull();
        }
        // And the committed alerts are the clean run's: the planted trips and clearings, each once, in order
        Map<String, List<String>> planned = new LinkedHashMap<>();
        for (String account : breaches.accounts()) {
            List<String> sequence = new ArrayList<>();
            for (int id = 1; id <= breaches.alertsPerAccount(); id++) {
                boolean trip = id % 2 == 1;
                sequence.add(String.join(" ", "alert_id=" + id, trip ? "circuit_breaker" : "circuit_breaker_cleared",
                        "max_position_notional", BREACH_EXCHANGE, BREACH_SYMBOL, trip ? "warning" : "info", trip ? "reduce_only" : "resume"));
            }
            planned.put(account, sequence);
        }
        assertThat(identities(reference.alerts(), false)).as("the clean run's alerts are the planted ones").isEqualTo(planned);
        Map<String, List<String>> committedAlerts = tap.values(topics.alerts.name());
        assertThat(identities(committedAlerts, true)).as("committed alerts against the clean run's")
                .isEqualTo(identities(reference.alerts(), true));
        log.info("committed alerts {}; byte for byte as in the clean run: {} of {}", countsOf(committedAlerts),
                identicalCount(committedAlerts, reference.alerts()), reference.alerts().values().stream().mapToInt(List::size).sum());

        // And each alerts client, across its two connections, got every alert of its account once, in order
        for (String account : breaches.accounts()) {
            List<String> committed = committedAlerts.get(account);
            WsRecorder before = alertsBefore.get(account);
            WsRecorder resumed = alertsResumed.get(account);
            await(resumed.label() + " receives the last alert").atMost(Duration.ofSeconds(30))
                    .until(() -> committed.get(committed.size() - 1).equals(resumed.lastText()));
            List<String> received = new ArrayList<>(before.texts());
            received.addAll(resumed.texts());
            log.info("{}: {} alerts before the disconnect, {} after reconnecting with since={}", account, before.messages().size(),
                    resumed.messages().size(), resumedSince.get(account));
            assertThat(before.texts()).as("%s got at least one alert before it disconnected", before.label()).isNotEmpty();
            assertThat(received).as("%s then %s: every committed alert once, in order", before.label(), resumed.label())
                    .containsExactlyElementsOf(committed);
            assertThat(resumed.ended()).as("%s connection", resumed.label()).isNull();
        }
        deployment.awaitStreamsMembers(2, Duration.ofSeconds(60));
        // And both streams-app processes (one of them restarted after kill -9) say so on their health endpoint
        for (int n = 1; n <= 2; n++) {
            var health = deployment.streamsHealth(n);
            assertThat(health.statusCode()).as("streams-%d /healthz: %s", n, health.body()).isEqualTo(200);
            assertThat(tree(health.body()).path("status").asText()).isEqualTo("UP");
        }
    }

    /**
     * Per account, what two runs must agree on for each alert: {@code alert_id}, type, condition,
     * instrument, severity, action (and with {@code withResult} the {@code action_result}, which
     * names the risk command). The figures ({@code context}, {@code description}) and times
     * ({@code triggered_at}, {@code timestamp}) are left out: they follow the current price and the
     * account's event clock at the breaching record, which depend on how ticks of different
     * partitions interleave in a live run.
     */
    private static Map<String, List<String>> identities(Map<String, List<String>> alerts, boolean withResult) {
        Map<String, List<String>> out = new java.util.TreeMap<>();
        alerts.forEach((account, values) -> out.put(account, values.stream().map(json -> {
            JsonNode a = tree(json);
            assertThat(a.path("account").asText()).as("alert account of key %s", account).isEqualTo(account);
            String id = String.join(" ", "alert_id=" + a.path("alert_id").asLong(), a.path("type").asText(), a.path("condition_name").asText(),
                    a.path("exchange").asText(), a.path("symbol").asText(), a.path("severity").asText(), a.path("action").asText());
            return withResult ? id + " | " + a.path("action_result").asText() : id;
        }).toList()));
        return out;
    }

    private static JsonNode tree(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long identicalCount(Map<String, List<String>> actual, Map<String, List<String>> expected) {
        long same = 0;
        for (Map.Entry<String, List<String>> e : expected.entrySet()) {
            List<String> other = actual.getOrDefault(e.getKey(), List.of());
            for (int i = 0; i < Math.min(other.size(), e.getValue().size()); i++) {
                same += other.get(i).equals(e.getValue().get(i)) ? 1 : 0;
            }
        }
        return same;
    }

    private static Map<String, Integer> countsOf(Map<String, List<String>> alerts) {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        alerts.forEach((k, v) -> counts.put(k, v.size()));
        return counts;
    }

    /** What the test did when, for the report and for failure messages. */
    private static final class Timeline {
        private final List<String> entries = java.util.Collections.synchronizedList(new ArrayList<>());
        private final List<Long> times = java.util.Collections.synchronizedList(new ArrayList<>());

        synchronized void add(String event) {
            entries.add(event);
            times.add(System.nanoTime());
        }

        synchronized String describe(long originNanos) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < entries.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(String.format("%.1f %s", (times.get(i) - originNanos) / 1e9, entries.get(i)));
            }
            return sb.toString();
        }
    }

    private WsRecorder track(WsRecorder client) {
        clients.add(client);
        return client;
    }

    private static void awaitSent(Feeder feeder, long count) {
        await("records sent: " + count).atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50))
                .until(() -> feeder.sent() >= count || feeder.failed() > 0);
    }

    /**
     * Every message is a value the pipeline committed for that key, in commit order, none twice
     * more often than committed: the messages are a subsequence of the committed values
     * (conflation may skip values, nothing may be invented, repeated or reordered).
     */
    private static void assertOnlyCommittedInOrder(WsRecorder client, List<String> committed) {
        int next = 0;
        List<WsRecorder.Message> messages = client.messages();
        for (int i = 0; i < messages.size(); i++) {
            String text = messages.get(i).text();
            int found = committed.subList(next, committed.size()).indexOf(text);
            assertThat(found).as("%s message %d of %d is a committed value later than the previous one: %s",
                    client.label(), i + 1, messages.size(), text).isNotNegative();
            next += found + 1;
        }
    }
}
