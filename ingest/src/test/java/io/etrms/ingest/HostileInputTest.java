package io.etrms.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.etrms.model.EtrmsConfig;
import io.etrms.model.Topics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * HTTP ingest against an attacker, on a real server and real sockets (the producer is a
 * {@code MockProducer}: what reaches Kafka is what it saw). One nested class per item of issue J
 * that concerns ingest: (1) numbers without bounds, (2) slow uploads, (3) cross-site forgery.
 */
class HostileInputTest {

    private static final long NOW = System.currentTimeMillis();
    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private MockProducer<String, byte[]> kafka;
    private final List<AutoCloseable> open = new ArrayList<>();
    private IngestServer server;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private IngestServer start(String... settings) {
        Map<String, String> values = new HashMap<>(Map.of(IngestConfig.HTTP_PORT, "0"));
        for (int i = 0; i < settings.length; i += 2) {
            values.put(settings[i], settings[i + 1]);
        }
        kafka = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
        server = IngestServer.start(EtrmsConfig.of(values), new IngestProducer(kafka, Topics.defaults()),
                new IngestMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)));
        return server;
    }

    private HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postJson(String path, String body) throws Exception {
        return post(path, body, "Content-Type", "application/json");
    }

    private RawHttp raw(String from) throws Exception {
        RawHttp socket = RawHttp.connect(from, server.port());
        open.add(socket);
        return socket;
    }

    private static String fill(String id, String quantity, String price) {
        return ("{\"fill_id\":\"%s\",\"account\":\"main\",\"exchange\":\"binance\",\"symbol\":\"BTC/USDT:USDT\",\"side\":\"buy\","
                + "\"quantity\":%s,\"price\":%s,\"fee\":0,\"timestamp\":%d}").formatted(id, quantity, price, NOW);
    }

    private static String rejected(int index, String error) {
        return "{\"status\":\"error\",\"message\":\"1 of 1 fills rejected; none was ingested\",\"data\":{\"accepted\":0,\"rejected\":1,"
                + "\"errors\":[{\"index\":" + index + ",\"error\":\"" + error + "\"}]}}";
    }

    private static String slowUploadHead(int contentLength) {
        return "POST /api/v1/ingest/fills HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
                + contentLength + "\r\n\r\n{";
    }

    @Nested
    class Item1NumbersWithoutBounds {

        @Test
        void shouldAnswerEveryUnboundedNumber400WithAShortReasonAndWriteNothing() throws Exception {
            start();
            // the value that ran the JVM out of memory, the one that got an HTML 500, the 1 MB echo
            Map<String, String> cases = Map.of(
                    fill("a", "-1e-999999999", "65000"), "quantity has more than 18 decimal places: -1E-999999999",
                    fill("b", "1", "1e999999999"), "price out of range (magnitude below 1e15): 1E+999999999",
                    fill("c", "1e400", "65000"), "quantity out of range (magnitude below 1e15): 1E+400",
                    fill("d", "1", "1e-400"), "price has more than 18 decimal places: 1E-400",
                    fill("e", "1e999999", "65000"), "quantity out of range (magnitude below 1e15): 1E+999999",
                    fill("f", "-1e-1000000", "65000"), "quantity has more than 18 decimal places: -1E-1000000");
            for (Map.Entry<String, String> c : cases.entrySet()) {
                HttpResponse<String> response = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> postJson("/api/v1/ingest/fills", c.getKey()));
                assertThat(response.statusCode()).as(c.getKey()).isEqualTo(400);
                assertThat(response.body()).isEqualTo(rejected(0, c.getValue()));
            }
            assertThat(kafka.history()).isEmpty();
        }

        @Test
        void shouldCutAHugeEchoAndRefuseAHugeNumericStringWhileParsing() throws Exception {
            start(IngestConfig.HTTP_MAX_BODY_BYTES, Integer.toString(4 * 1024 * 1024));
            HttpResponse<String> side = postJson("/api/v1/ingest/fills", fill("g", "1", "1").replace("\"buy\"", "\"" + "b".repeat(1_000_000) + "\""));
            assertThat(side.statusCode()).isEqualTo(400);
            assertThat(side.body()).contains("unknown side '" + "b".repeat(40) + "… (1000000 characters)' (buy or sell)").hasSizeLessThan(400);

            HttpResponse<String> digits = assertTimeoutPreemptively(Duration.ofSeconds(5),
                    () -> postJson("/api/v1/ingest/fills", fill("h", "\"" + "9".repeat(1_000_000) + "\"", "1")));
            assertThat(digits.statusCode()).isEqualTo(400);
            assertThat(digits.body()).contains("exceeds the maximum allowed (1000").hasSizeLessThan(600);
            assertThat(kafka.history()).isEmpty();
        }

        @Test
        void shouldAnswerJettysOwnErrorsInTheJsonEnvelope() throws Exception {
            start();
            String tooBig = raw("127.0.0.1").send("GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "x".repeat(10_000) + "\r\n\r\n")
                    .readUntilClosed(Duration.ofSeconds(5));
            assertThat(tooBig).startsWith("HTTP/1.1 431 ").contains("Content-Type: application/json")
                    .endsWith("{\"status\":\"error\",\"message\":\"Request Header Fields Too Large\",\"data\":null}");
            String garbage = raw("127.0.0.1").send("GET /\u0001 HTTP/1.1\r\n\r\n").readUntilClosed(Duration.ofSeconds(5));
            assertThat(garbage).startsWith("HTTP/1.1 400 ").contains("Content-Type: application/json").contains("{\"status\":\"error\",\"message\":\"Bad Request");
        }
    }

    @Nested
    class Item2SlowUploads {

        @Test
        void shouldServeHealthAndANormalPostWithin1sWhile60SlowUploadsAreOpen() throws Exception {
            start(IngestConfig.HTTP_PREFIX + "body.timeout.ms", "3000");
            List<RawHttp> slow = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                slow.add(raw("127.0.0.2").send(slowUploadHead(1000)));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> gauge("etrms_ingest_http_connections") >= 60);

            HttpResponse<String> health = assertTimeoutPreemptively(ONE_SECOND, () -> http.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString()));
            assertThat(health.statusCode()).isEqualTo(200);
            HttpResponse<String> normal = assertTimeoutPreemptively(ONE_SECOND, () -> postJson("/api/v1/ingest/fills", fill("n-1", "1", "65000")));
            assertThat(normal.statusCode()).isEqualTo(202);

            // the body deadline (3 s here) closes every slow upload; Jetty's idle timeout (30 s) would not have yet
            for (RawHttp s : slow) {
                s.readUntilClosed(Duration.ofSeconds(10));
                assertThat(s.closedByServer()).isTrue();
            }
            assertThat(counter("etrms_ingest_http_connections_closed_total{reason=\"body_timeout\"")).isEqualTo(60.0);
            assertThat(kafka.history()).hasSize(1);
        }

        @Test
        void shouldAnswer408ToABodyBelowTheMinimumDataRate() throws Exception {
            start();
            RawHttp slow = raw("127.0.0.1").send(slowUploadHead(100));
            ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
            try {
                // one more byte 1.5 s later: 2 bytes in 1.5 s is below 256 bytes/s
                later.schedule(() -> slow.send("\""), 1500, TimeUnit.MILLISECONDS);
                String answer = slow.readUntilClosed(Duration.ofSeconds(10));
                assertThat(answer).startsWith("HTTP/1.1 408 ").endsWith("{\"status\":\"error\",\"message\":\"request body too slow: read rate is too low\"}");
            } finally {
                later.shutdownNow();
            }
        }

        @Test
        void shouldCloseAConnectionThatTricklesItsRequestHead() throws Exception {
            start(IngestConfig.HTTP_PREFIX + "header.timeout.ms", "1000");
            RawHttp trickle = raw("127.0.0.1").send("POST /api/v1/ingest/fills HTTP/1.1\r\n");
            ScheduledExecutorService drip = Executors.newSingleThreadScheduledExecutor();
            try {
                drip.scheduleAtFixedRate(() -> {
                    try {
                        trickle.send("X");
                    } catch (Exception e) {
                        // closed by the server: the point of the test
                    }
                }, 200, 200, TimeUnit.MILLISECONDS);
                long started = System.nanoTime();
                trickle.readUntilClosed(Duration.ofSeconds(10));
                assertThat(trickle.closedByServer()).isTrue();
                // a byte every 200 ms resets Jetty's 30 s idle timeout; the 1 s head deadline still ends it
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            } finally {
                drip.shutdownNow();
            }
            assertThat(counter("etrms_ingest_http_connections_closed_total{reason=\"header_timeout\"")).isEqualTo(1.0);
        }

        @Test
        void shouldCapConnectionsPerAddressAndInTotal() throws Exception {
            start(IngestConfig.HTTP_PREFIX + "max.connections.per.ip", "3", IngestConfig.HTTP_PREFIX + "max.connections", "5");
            for (int i = 0; i < 3; i++) {
                raw("127.0.0.3").send(slowUploadHead(10));
            }
            // the server counts a connection when it accepts it: on a loaded machine that can come after the client's connect
            await().atMost(Duration.ofSeconds(5)).until(() -> gauge("etrms_ingest_http_connections") == 3);
            RawHttp fourth = raw("127.0.0.3");
            fourth.readUntilClosed(Duration.ofSeconds(5));
            assertThat(fourth.closedByServer()).isTrue();
            assertThat(counter("etrms_ingest_http_connections_closed_total{reason=\"per_ip_limit\"")).isEqualTo(1.0);

            // another address still gets in, up to the total of 5: then Jetty stops accepting
            raw("127.0.0.4").send(slowUploadHead(10));
            raw("127.0.0.4").send(slowUploadHead(10));
            await().atMost(Duration.ofSeconds(5)).until(() -> gauge("etrms_ingest_http_connections") == 5);
            RawHttp waiting = raw("127.0.0.5").send("GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            assertThat(waiting.readUntilClosed(ONE_SECOND)).isEmpty();
            assertThat(waiting.closedByServer()).isFalse();
            open.get(0).close();
            assertThat(waiting.readUntilClosed(Duration.ofSeconds(5))).startsWith("HTTP/1.1 200 ");
        }

        @Test
        void shouldQueueIngestRequestsBeyondTheConcurrencyCapThenAnswer503WhileHealthStillAnswers() throws Exception {
            start(IngestConfig.HTTP_MAX_CONCURRENT_REQUESTS, "2", IngestConfig.HTTP_MAX_QUEUE_MS, "500");
            raw("127.0.0.1").send(slowUploadHead(100));
            raw("127.0.0.1").send(slowUploadHead(100));
            await().atMost(Duration.ofSeconds(5)).until(() -> gauge("etrms_ingest_http_connections") >= 2);
            HttpResponse<String> third = postJson("/api/v1/ingest/fills", fill("q-1", "1", "65000"));
            assertThat(third.statusCode()).isEqualTo(503);
            assertThat(third.body()).startsWith("{\"status\":\"error\",\"message\":\"Service Unavailable");
            assertThat(assertTimeoutPreemptively(ONE_SECOND, () -> http.send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + server.port() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString())).statusCode()).isEqualTo(200);
        }
    }

    @Nested
    class Item3CrossSiteForgery {

        @Test
        void shouldRefuseBodiesABrowserFormCanSend() throws Exception {
            start();
            String body = fill("x-1", "1", "65000");
            for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x")) {
                HttpResponse<String> response = post("/api/v1/ingest/fills", body, "Content-Type", type);
                assertThat(response.statusCode()).as(type).isEqualTo(415);
                // the body is refused unread, so the connection cannot carry another request: say so
                assertThat(response.headers().firstValue("connection")).as(type).contains("close");
                assertThat(response.body()).isEqualTo("{\"status\":\"error\",\"message\":\"Content-Type must be application/json or application/x-ndjson\"}");
            }
            assertThat(post("/api/v1/ingest/fills", body).statusCode()).isEqualTo(415);
            assertThat(post("/api/v1/ingest/fills", body, "Content-Type", "application/json; charset=utf-8").statusCode()).isEqualTo(202);
            assertThat(kafka.history()).hasSize(1);
        }

        @Test
        void shouldRefuseAnyBrowserOriginByDefault() throws Exception {
            start();
            String body = fill("o-1", "1", "65000");
            for (String origin : List.of("http://evil.example", "null", "http://localhost:8000")) {
                HttpResponse<String> response = post("/api/v1/ingest/fills", body, "Content-Type", "application/json", "Origin", origin);
                assertThat(response.statusCode()).as(origin).isEqualTo(403);
            }
            assertThat(kafka.history()).isEmpty();
            server.close();
            server = null;
            start(IngestConfig.HTTP_ALLOWED_ORIGINS, "https://desk.example.com");
            assertThat(post("/api/v1/ingest/fills", body, "Content-Type", "application/json", "Origin", "https://desk.example.com").statusCode()).isEqualTo(202);
        }

        @Test
        void shouldListenOnLoopbackWithoutATokenAndRefuseAnyOtherAddressUnlessAllowed() {
            assertThat(start().host()).isEqualTo("127.0.0.1");
            server.close();
            server = null;
            assertThatThrownBy(() -> start(IngestConfig.HTTP_HOST, "0.0.0.0"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("refusing to listen on 0.0.0.0 (etrms.ingest.http.host) without authentication")
                    .hasMessageContaining("etrms.ingest.http.token").hasMessageContaining("etrms.ingest.http.allow.remote.unauthenticated=true");
            assertThat(start(IngestConfig.HTTP_TOKEN, "s3cret").host()).isEqualTo("0.0.0.0");
            server.close();
            server = null;
            assertThat(start(IngestConfig.HTTP_HOST, "0.0.0.0", IngestConfig.HTTP_ALLOW_REMOTE_UNAUTHENTICATED, "true").host()).isEqualTo("0.0.0.0");
        }

        @Test
        void shouldRefuseTraceAndAForeignHostOnLoopback() throws Exception {
            start();
            String trace = raw("127.0.0.1").send("TRACE /api/v1/ingest/fills HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .readUntilClosed(Duration.ofSeconds(5));
            assertThat(trace).startsWith("HTTP/1.1 405 ").contains("Allow: GET, HEAD, POST")
                    .endsWith("{\"status\":\"error\",\"message\":\"TRACE is not allowed\",\"data\":null}");
            // DNS rebinding: a page of evil.example whose name now resolves to 127.0.0.1 is same-origin with itself
            String rebound = raw("127.0.0.1").send("GET /healthz HTTP/1.1\r\nHost: evil.example:" + server.port() + "\r\nConnection: close\r\n\r\n")
                    .readUntilClosed(Duration.ofSeconds(5));
            assertThat(rebound).startsWith("HTTP/1.1 403 ");
        }
    }

    private double gauge(String name) {
        return metric(name + "{");
    }

    private double counter(String prefix) {
        return metric(prefix);
    }

    private double metric(String prefix) {
        String scrape = ((PrometheusMeterRegistry) server.metrics().registry()).scrape();
        return scrape.lines().filter(l -> l.startsWith(prefix) || l.startsWith(prefix.replace("{", " ")))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
