package io.etrms.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etrms.model.EtrmsConfig;
import io.etrms.model.PositionSnapshot;
import io.etrms.model.PriceTick;
import io.etrms.model.Topics;
import io.etrms.testing.KafkaCluster;
import io.etrms.testing.KafkaClusterExtension;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaClusterExtension.class)
class IngestServerTest {

    private static final String TICK_1 = "{\"exchange\":\"binance\",\"symbol\":\"BTC/USDT:USDT\",\"price\":65000.5,\"timestamp\":1763971200000}";
    private static final String TICK_2 = "{\"exchange\":\"coinbase\",\"symbol\":\"ETH/USDT\",\"price\":3200,\"timestamp\":1763971201000}";
    private static final String FILL = "{\"fill_id\":\"h-1\",\"account\":\"main\",\"exchange\":\"binance\",\"symbol\":\"BTC/USDT:USDT\","
            + "\"side\":\"buy\",\"quantity\":0.25,\"price\":65000,\"fee\":6.5,\"timestamp\":1763971200000}";

    private final HttpClient http = HttpClient.newHttpClient();

    private static EtrmsConfig localConfig(Map<String, String> more) {
        EtrmsConfig config = EtrmsConfig.of(Map.of(IngestConfig.HTTP_PORT, "0", IngestConfig.HTTP_HOST, "127.0.0.1",
                IngestConfig.HTTP_MAX_BODY_BYTES, "2000", IngestConfig.HTTP_MAX_ITEMS, "5", IngestConfig.HTTP_ACK_TIMEOUT_MS, "10000"));
        for (Map.Entry<String, String> e : more.entrySet()) {
            config = config.with(e.getKey(), e.getValue());
        }
        return config;
    }

    private static MockProducer<String, byte[]> mockProducer(boolean autoComplete) {
        return new MockProducer<>(autoComplete, null, new StringSerializer(), new ByteArraySerializer());
    }

    private static IngestServer startOnMock(MockProducer<String, byte[]> mock, Map<String, String> more) {
        return IngestServer.start(localConfig(more), new IngestProducer(mock, Topics.defaults()),
                new IngestMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)));
    }

    private HttpResponse<String> post(IngestServer server, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (!java.util.Arrays.asList(headers).contains("Content-Type")) {
            request.header("Content-Type", "application/json");
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(IngestServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldAcceptAGoodBatchAndPutItOnTheTopic(KafkaCluster kafka) throws Exception {
        // Given
        Topics topics = kafka.newTopics();
        try (IngestServer server = IngestServer.start(kafka.config(topics, Map.of(IngestConfig.HTTP_PORT, "0", IngestConfig.HTTP_HOST, "127.0.0.1")))) {

            // When
            HttpResponse<String> response = post(server, "/api/v1/ingest/prices", "[" + TICK_1 + "," + TICK_2 + "]");

            // Then
            assertThat(response.statusCode()).isEqualTo(202);
            assertThat(response.body()).isEqualTo("{\"status\":\"success\",\"message\":\"2 records accepted\","
                    + "\"data\":{\"accepted\":2,\"type\":\"prices\",\"topic\":\"" + topics.prices.name() + "\"}}");
            assertThat(server.metrics().acceptedCount(InputKind.PRICES)).isEqualTo(2.0);
            try (TopicRecords<PriceTick> prices = new TopicRecords<>(kafka.bootstrapServers(), topics.prices)) {
                assertThat(prices.awaitExactly(2)).extracting(ConsumerRecord::key, ConsumerRecord::value).containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("binance|BTC/USDT:USDT",
                                new PriceTick("binance", "BTC/USDT:USDT", new BigDecimal("65000.5"), 1_763_971_200_000L)),
                        org.assertj.core.groups.Tuple.tuple("coinbase|ETH/USDT",
                                new PriceTick("coinbase", "ETH/USDT", new BigDecimal("3200"), 1_763_971_201_000L)));
            }
        }
    }

    @Test
    void shouldPutPositionSnapshotsOnTheirTopicKeyedByAccountAndRejectABadOneWithItsReason(KafkaCluster kafka) throws Exception {
        // Given
        Topics topics = kafka.newTopics();
        String snapshot = "{\"account\":\"main\",\"exchange\":\"binance\",\"symbol\":\"BTC/USDT:USDT\",\"size\":-2.5,"
                + "\"timestamp\":1763971200000}";
        String noAccountBadSize = "{\"exchange\":\"binance\",\"symbol\":\"ETH/USDT\",\"size\":\"lots\",\"timestamp\":1763971200000}";
        String tooFine = snapshot.replace("-2.5", "1e-19");
        try (IngestServer server = IngestServer.start(kafka.config(topics, Map.of(IngestConfig.HTTP_PORT, "0", IngestConfig.HTTP_HOST, "127.0.0.1")))) {

            // When
            HttpResponse<String> accepted = post(server, "/api/v1/ingest/position-snapshots", snapshot);
            HttpResponse<String> rejected = post(server, "/api/v1/ingest/position-snapshots", "[" + snapshot + "," + noAccountBadSize
                    + "," + tooFine + "]");

            // Then
            assertThat(accepted.statusCode()).isEqualTo(202);
            assertThat(accepted.body()).isEqualTo("{\"status\":\"success\",\"message\":\"1 record accepted\","
                    + "\"data\":{\"accepted\":1,\"type\":\"position-snapshots\",\"topic\":\"" + topics.positionSnapshots.name() + "\"}}");
            assertThat(rejected.statusCode()).isEqualTo(400);
            assertThat(rejected.body()).isEqualTo("{\"status\":\"error\",\"message\":\"2 of 3 position-snapshots rejected; none was ingested\","
                    + "\"data\":{\"accepted\":0,\"rejected\":2,\"errors\":["
                    + "{\"index\":1,\"error\":\"field size: 'lots' is not a number\"},"
                    + "{\"index\":2,\"error\":\"size has more than 18 decimal places: 1E-19\"}]}}");
            assertThat(server.metrics().acceptedCount(InputKind.POSITION_SNAPSHOTS)).isEqualTo(1.0);
            assertThat(server.metrics().rejectedCount(InputKind.POSITION_SNAPSHOTS)).isEqualTo(2.0);
            try (TopicRecords<PositionSnapshot> snapshots = new TopicRecords<>(kafka.bootstrapServers(), topics.positionSnapshots)) {
                assertThat(snapshots.awaitExactly(1)).extracting(ConsumerRecord::key, ConsumerRecord::value).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("main",
                                new PositionSnapshot("main", "binance", "BTC/USDT:USDT", new BigDecimal("-2.5"), 1_763_971_200_000L)));
            }
        }
    }

    @Test
    void shouldAcceptOneObjectAndNdjson() throws Exception {
        MockProducer<String, byte[]> mock = mockProducer(true);
        try (IngestServer server = startOnMock(mock, Map.of())) {
            HttpResponse<String> one = post(server, "/api/v1/ingest/fills", FILL);
            HttpResponse<String> lines = post(server, "/api/v1/ingest/prices", TICK_1 + "\n\n" + TICK_2 + "\n",
                    "Content-Type", "application/x-ndjson");

            assertThat(one.statusCode()).isEqualTo(202);
            assertThat(lines.statusCode()).isEqualTo(202);
            assertThat(mock.history()).extracting(r -> r.topic() + " " + r.key()).containsExactly(
                    "etrms.fills binance|BTC/USDT:USDT", "etrms.prices binance|BTC/USDT:USDT", "etrms.prices coinbase|ETH/USDT");
        }
    }

    @Test
    void shouldRejectTheWholeBatchWithAReasonPerBadItem() throws Exception {
        MockProducer<String, byte[]> mock = mockProducer(true);
        try (IngestServer server = startOnMock(mock, Map.of())) {
            String badPrice = TICK_2.replace("3200", "-5");
            String noSymbol = TICK_1.replace("\"symbol\":\"BTC/USDT:USDT\",", "");

            HttpResponse<String> response = post(server, "/api/v1/ingest/prices", "[" + TICK_1 + "," + badPrice + "," + noSymbol + ",7]");

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.body()).isEqualTo("{\"status\":\"error\",\"message\":\"3 of 4 prices rejected; none was ingested\","
                    + "\"data\":{\"accepted\":0,\"rejected\":3,\"errors\":["
                    + "{\"index\":1,\"error\":\"price must be > 0, was -5\"},"
                    + "{\"index\":2,\"error\":\"missing field symbol\"},"
                    + "{\"index\":3,\"error\":\"expected a JSON object, got a number\"}]}}");
            assertThat(mock.history()).isEmpty();
            assertThat(server.metrics().rejectedCount(InputKind.PRICES)).isEqualTo(3.0);
            assertThat(get(server, "/metrics").body()).contains("etrms_ingest_http_records_rejected_total{type=\"prices\"} 3.0");
        }
    }

    @Test
    void shouldRejectInvalidJsonAndEmptyBatches() throws Exception {
        try (IngestServer server = startOnMock(mockProducer(true), Map.of())) {
            HttpResponse<String> broken = post(server, "/api/v1/ingest/fills", "{\"fill_id\":");
            HttpResponse<String> empty = post(server, "/api/v1/ingest/fills", "[]");

            assertThat(broken.statusCode()).isEqualTo(400);
            assertThat(broken.body()).startsWith("{\"status\":\"error\",\"message\":\"invalid JSON: Unexpected end-of-input");
            assertThat(empty.statusCode()).isEqualTo(400);
            assertThat(empty.body()).isEqualTo("{\"status\":\"error\",\"message\":\"no records in the request\"}");
        }
    }

    @Test
    void shouldAnswer413OverTheBodyOrItemLimit() throws Exception {
        MockProducer<String, byte[]> mock = mockProducer(true);
        try (IngestServer server = startOnMock(mock, Map.of())) {
            String big = "[" + String.join(",", java.util.Collections.nCopies(30, TICK_1)) + "]"; // ~2 700 bytes > 2 000
            String six = "[" + String.join(",", java.util.Collections.nCopies(6, TICK_2)) + "]";   // ~480 bytes, 6 > 5 items

            HttpResponse<String> oversize = post(server, "/api/v1/ingest/prices", big);
            HttpResponse<String> tooMany = post(server, "/api/v1/ingest/prices", six);

            assertThat(oversize.statusCode()).isEqualTo(413);
            assertThat(oversize.body()).isEqualTo("{\"status\":\"error\",\"message\":\"request body over the limit of 2000 bytes\"}");
            assertThat(tooMany.statusCode()).isEqualTo(413);
            assertThat(tooMany.body()).isEqualTo("{\"status\":\"error\",\"message\":\"too many records: 6 (at most 5 per request)\"}");
            assertThat(mock.history()).isEmpty();
        }
    }

    @Test
    void shouldAnswer202OnlyAfterKafkaAcknowledgedAnd503WhenItRefuses() throws Exception {
        MockProducer<String, byte[]> mock = mockProducer(false);
        try (IngestServer server = startOnMock(mock, Map.of())) {
            CompletableFuture<HttpResponse<String>> accepted = http.sendAsync(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/api/v1/ingest/prices")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(TICK_1)).build(),
                    HttpResponse.BodyHandlers.ofString());
            await().atMost(Duration.ofSeconds(10)).until(() -> mock.history().size() == 1);
            assertThat(accepted).isNotDone();
            mock.completeNext();
            assertThat(accepted.get().statusCode()).isEqualTo(202);

            CompletableFuture<HttpResponse<String>> refused = http.sendAsync(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/api/v1/ingest/prices")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(TICK_2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            await().atMost(Duration.ofSeconds(10)).until(() -> mock.history().size() == 2);
            mock.errorNext(new NotEnoughReplicasException("not enough replicas"));
            assertThat(refused.get().statusCode()).isEqualTo(503);
            assertThat(refused.get().body()).isEqualTo("{\"status\":\"error\",\"message\":\"Kafka did not acknowledge the batch "
                    + "(not enough replicas); part of it may have been written; retry the whole batch\"}");
        }
    }

    @Test
    void shouldAnswerUnknownPathsWrongMethodsAndMissingTokens() throws Exception {
        try (IngestServer server = startOnMock(mockProducer(true), Map.of(IngestConfig.HTTP_TOKEN, "s3cret"))) {
            assertThat(post(server, "/api/v1/ingest/orders", "{}").statusCode()).isEqualTo(404);
            HttpResponse<String> wrongMethod = get(server, "/api/v1/ingest/fills");
            assertThat(wrongMethod.statusCode()).isEqualTo(405);
            assertThat(wrongMethod.headers().firstValue("Allow")).contains("POST");
            assertThat(post(server, "/api/v1/ingest/fills", FILL).statusCode()).isEqualTo(401);
            assertThat(post(server, "/api/v1/ingest/fills", FILL, "Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
            assertThat(post(server, "/api/v1/ingest/fills", FILL, "Authorization", "Bearer s3cret").statusCode()).isEqualTo(202);
            assertThat(get(server, "/healthz").statusCode()).isEqualTo(200);
        }
    }
}
