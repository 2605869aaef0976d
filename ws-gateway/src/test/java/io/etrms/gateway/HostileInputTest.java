package io.etrms.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import io.etrms.gateway.fanout.Channel;
import io.etrms.model.EtrmsConfig;
import io.etrms.model.Topics;
import io.etrms.testing.KafkaCluster;
import io.etrms.testing.KafkaClusterExtension;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway against an attacker, on a real gateway, a real broker and real sockets. One nested
 * class per item of issue J: (1) hostile values, (2) slow uploads, (3) cross-site forgery,
 * (4) alert replay amplification, (5) abuse limits, (6) tokens. The abuse test with 60 slow
 * uploads and 2,000 WebSockets is {@link AbuseTest}.
 */
@ExtendWith(KafkaClusterExtension.class)
class HostileInputTest {

    private static final String SECRET = "hostile-input-test-secret-of-32-bytes-or-more";
    private static WebSocketClient client;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void startClient() throws Exception {
        client = new WebSocketClient();
        client.start();
    }

    @AfterAll
    static void stopClient() throws Exception {
        client.stop();
    }

    private static String envelope(String message) {
        return "{\"status\":\"error\",\"message\":" + io.etrms.model.Json.write(message) + ",\"data\":null}";
    }

    /** Writes {@code request} on a bare socket and returns what the server answered before it closed. */
    private static String rawExchange(int port, String request) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /** 101 when the upgrade succeeds, else the HTTP status the gateway refused it with. */
    private static int upgradeStatus(URI uri, Map<String, String> headers) throws Exception {
        try {
            WsTestClient.connect(client, uri, headers).close();
            return 101;
        } catch (java.util.concurrent.ExecutionException e) {
            return ((org.eclipse.jetty.websocket.api.exceptions.UpgradeException) e.getCause()).getResponseStatusCode();
        }
    }

    /** A POST with exactly one Content-Type, {@code type}. */
    private static HttpResponse<String> postAs(GatewayServer gateway, String path, String body, String type, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(TestGateways.http(gateway, path)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Nested
    class Item1HostileValues {

        @Test
        void shouldAnswerBadParametersAndJettysOwnErrors400InTheEnvelopeWithCutEchoes(KafkaCluster kafka) throws Exception {
            Topics topics = kafka.newTopics();
            try (GatewayServer gateway = TestGateways.start(kafka, topics, Map.of())) {
                HttpResponse<String> since = TestGateways.get(gateway, "/api/v1/alerts?since=1e999999999" + "9".repeat(2000));
                assertThat(since.statusCode()).isEqualTo(400);
                assertThat(since.body()).isEqualTo(envelope("since must be an alert_id (an integer), was '1e99999999999999999999999999999999999999… (2011 characters)'"));
                HttpResponse<String> account = TestGateways.get(gateway, "/api/v1/positions?account=" + "a".repeat(129));
                assertThat(account.statusCode()).isEqualTo(400);
                assertThat(account.body()).isEqualTo(envelope("account must be a non-blank id without '|' of at most 128 characters"));
                HttpResponse<String> reason = TestGateways.post(gateway, "/api/v1/accounts/main/risk-control",
                        "{\"action\":\"reset\",\"reason\":\"" + "r".repeat(501) + "\"}");
                assertThat(reason.statusCode()).isEqualTo(400);
                assertThat(reason.body()).isEqualTo(envelope("reason longer than 500 characters"));
                String tooBig = rawExchange(gateway.port(), "GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "x".repeat(10_000) + "\r\n\r\n");
                assertThat(tooBig).startsWith("HTTP/1.1 431 ").endsWith(envelope("Request Header Fields Too Large"));
            }
        }
    }

    @Nested
    class Item2SlowUploads {

        @Test
        void shouldAnswer408ToASlowRiskControlBodyAndQueueConcurrentPosts(KafkaCluster kafka) throws Exception {
            Topics topics = kafka.newTopics();
            try (GatewayServer gateway = TestGateways.start(kafka, topics, Map.of(GatewaySettings.MAX_CONCURRENT_POSTS, "1",
                    GatewaySettings.MAX_POST_WAIT_MS, "500", GatewaySettings.HTTP_PREFIX + "body.timeout.ms", "2000"))) {
                Socket slow = new Socket("127.0.0.1", gateway.port());
                OutputStream out = slow.getOutputStream();
                out.write(("POST /api/v1/accounts/main/risk-control HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 100\r\n\r\n{").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                await().atMost(Duration.ofSeconds(5)).until(() -> gateway.metrics().scrape().contains("etrms_gateway_http_connections 1.0"));
                // the one post slot is taken: the next post waits 500 ms, then 503; reads never wait
                HttpResponse<String> queued = TestGateways.post(gateway, "/api/v1/accounts/main/risk-control", "{\"action\":\"reset\"}");
                assertThat(queued.statusCode()).isEqualTo(503);
                assertThat(assertTimeoutPreemptively(Duration.ofSeconds(1), () -> TestGateways.get(gateway, "/healthz")).statusCode()).isEqualTo(200);
                // the body deadline (2 s) ends the slow one
                slow.setSoTimeout(10_000);
                assertThat(slow.getInputStream().readAllBytes()).isEmpty();
                slow.close();
                assertThat(TestGateways.post(gateway, "/api/v1/accounts/main/risk-control", "{\"action\":\"reset\"}").statusCode()).isEqualTo(202);
            }
        }
    }

    @Nested
    class Item3CrossSiteForgery {

        @Test
        void shouldRefuseAForgedRiskControlPost(KafkaCluster kafka) throws Exception {
            Topics topics = kafka.newTopics();
            try (GatewayServer gateway = TestGateways.start(kafka, topics, Map.of())) {
                String path = "/api/v1/accounts/main/risk-control";
                String body = "{\"action\":\"reset\"}";
                // what a form on evil.example can send: text/plain, its own Origin
                HttpResponse<String> forged = postAs(gateway, path, body, "text/plain", "Origin", "http://evil.example");
                assertThat(forged.statusCode()).isEqualTo(403);
                assertThat(forged.body()).isEqualTo(envelope("origin not allowed: http://evil.example"));
                // refused unread: the connection cannot carry another request, and the answer says so
                assertThat(forged.headers().firstValue("connection")).contains("close");
                assertThat(TestGateways.post(gateway, path, body, "Origin", "http://evil.example").statusCode()).isEqualTo(403);
                // a sandboxed or file:// page may read (the seed page) but never post
                assertThat(TestGateways.post(gateway, path, body, "Origin", "null").statusCode()).isEqualTo(403);
                // the dashboard's own origin may post, but only JSON
                String self = "http://127.0.0.1:" + gateway.port();
                HttpResponse<String> plain = postAs(gateway, path, body, "text/plain", "Origin", self);
                assertThat(plain.statusCode()).isEqualTo(415);
                assertThat(plain.body()).isEqualTo(envelope("Content-Type must be application/json"));
                assertThat(TestGateways.post(gateway, path, body, "Origin", self).statusCode()).isEqualTo(202);
                assertThat(TestGateways.post(gateway, path, body).statusCode()).isEqualTo(202);
            }
        }

        @Test
        void shouldUpgradeOnlySameOriginNullAndNoOriginByDefault(KafkaCluster kafka) throws Exception {
            Topics topics = kafka.newTopics();
            try (GatewayServer gateway = TestGateways.start(kafka, topics, Map.of())) {
                URI uri = TestGateways.ws(gateway, "positions");
                assertThat(upgradeStatus(uri, Map.of("Origin", "http://evil.example"))).isEqualTo(403);
                assertThat(upgradeStatus(uri, Map.of("Origin", "http://localhost:" + gateway.port()))).isEqualTo(403); // Host says 127.0.0.1
                assertThat(upgradeStatus(uri, Map.of("Origin", "http://127.0.0.1:" + gateway.port()))).isEqualTo(101);
                assertThat(upgradeStatus(uri, Map.of("Origin", "null"))).isEqualTo(101);
                assertThat(upgradeStatus(uri, Map.of())).isEqualTo(101);
            }
        }

        @Test
        void shouldBindLoopbackWithoutAuthAndRefuseTraceAndForeignHosts(KafkaCluster kafka) throws Exception {
            assertThatThrownBy(() -> GatewaySettings.from(EtrmsConfig.of(Map.of(GatewaySettings.HTTP_HOST, "0.0.0.0"))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("refusing to listen on 0.0.0.0 (etrms.http.host) without authentication")
                    .hasMessageContaining("etrms.http.allow.remote.unauthenticated=true");
            assertThat(GatewaySettings.from(EtrmsConfig.of(Map.of(GatewaySettings.HTTP_HOST, "0.0.0.0",
                    GatewaySettings.HTTP_ALLOW_REMOTE_UNAUTHENTICATED, "true"))).host()).isEqualTo("0.0.0.0");
            assertThat(GatewaySettings.from(EtrmsConfig.of(Map.of(GatewaySettings.AUTH_ENABLED, "true", GatewaySettings.JWT_SECRET, SECRET))).host())
                    .isEqualTo("0.0.0.0");
            Topics topics = kafka.newTopics();
            Map<String, String> defaults = new HashMap<>(Map.of(GatewaySettings.HTTP_PORT, "0"));
            try (GatewayServer gateway = GatewayServer.start(kafka.config(topics, defaults))) {
                assertThat(gateway.settings().host()).isEqualTo("127.0.0.1");
                String trace = rawExchange(gateway.port(), "TRACE /api/v1/positions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer x\r\nConnection: close\r\n\r\n");
                assertThat(trace).startsWith("HTTP/1.1 405 ").doesNotContain("Bearer x").endsWith(envelope("TRACE is not allowed"));
                String rebound = rawExchange(gateway.port(), "GET /api/v1/positions HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n");
                assertThat(rebound).startsWith("HTTP/1.1 403 ");
            }
        }
    }

    @Nested
    class Item4AlertReplay {

        @Test
        void shouldServeReplaysFromTheBoundedHistoryAndCapThemPerAddress(KafkaCluster kafka) throws Exception {
            Topics topics = kafka.newTopics();
            try (TopicWriter writer = new TopicWriter(kafka)) {
                for (long id = 1; id <= 300; id++) {
                    writer.sendAsync(topics.alerts.name(), "acc-r", io.etrms.model.Json.write(Samples.alert("acc-r", id, "*", "*")));
                }
                // 200 alerts of 25 KB: a replay of 5 MB cannot fit in the kernel's buffers (send at most 4 MiB
                // here, receive 4 KiB), so a reader that does not read holds its permit for as long as it waits
                for (long id = 1; id <= 200; id++) {
                    io.etrms.model.Alert small = Samples.alert("acc-big", id, "*", "*");
                    Map<String, Object> context = new java.util.LinkedHashMap<>(small.context());
                    context.put("note", "x".repeat(25_000));
                    io.etrms.model.Alert big = new io.etrms.model.Alert(small.type(), small.alertId(), small.account(), small.conditionName(),
                            small.description(), small.exchange(), small.symbol(), small.severity(), small.triggeredAt(), context,
                            small.action(), small.actionResult(), small.timestamp());
                    writer.sendAsync(topics.alerts.name(), "acc-big", io.etrms.model.Json.write(big));
                }
                writer.flush();
            }
            try (GatewayServer gateway = TestGateways.start(kafka, topics, Map.of(GatewaySettings.ALERT_HISTORY_PER_ACCOUNT, "200",
                    GatewaySettings.MAX_REPLAYS_PER_IP, "2"))) {
                // the history keeps the last 200 of 300: ids 101..300
                HttpResponse<String> all = TestGateways.get(gateway, "/api/v1/alerts?account=acc-r&since=0&limit=1000");
                assertThat(all.body()).startsWith("{\"status\":\"success\",\"message\":\"200 alerts of acc-r\"").contains("\"alert_id\":101,");
                assertThat(TestGateways.get(gateway, "/api/v1/alerts?account=acc-r&since=295").body()).contains("\"message\":\"5 alerts of acc-r\"");

                // sixty REST replays at once: each is answered from memory
                List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
                long started = System.nanoTime();
                for (int i = 0; i < 60; i++) {
                    calls.add(HTTP.sendAsync(HttpRequest.newBuilder(TestGateways.http(gateway, "/api/v1/alerts?account=acc-r&since=0&limit=1000")).build(),
                            HttpResponse.BodyHandlers.ofString()));
                }
                long ok = calls.stream().map(CompletableFuture::join).filter(r -> r.statusCode() == 200).count();
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
                assertThat(ok).isGreaterThanOrEqualTo(2);
                assertThat(calls.stream().map(CompletableFuture::join).filter(r -> r.statusCode() != 200))
                        .allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(503));

                // two replays that the client does not read hold both permits of 127.0.0.1: a third is closed with 1013
                double replaysBefore = gateway.metrics().registry().get("etrms.gateway.alert.replays").counter().count();
                try (RawWebSocket one = RawWebSocket.connect(gateway.port(), "alerts?account=acc-big&since=0");
                     RawWebSocket two = RawWebSocket.connect(gateway.port(), "alerts?account=acc-big&since=0")) {
                    // the client has its 101 before the gateway queued the replay (and took the permit)
                    await().atMost(Duration.ofSeconds(10)).until(() ->
                            gateway.metrics().registry().get("etrms.gateway.alert.replays").counter().count() == replaysBefore + 2);
                    WsTestClient third = WsTestClient.connect(client, TestGateways.ws(gateway, "alerts?account=acc-r&since=299"));
                    assertThat(third.awaitClose(Duration.ofSeconds(10)))
                            .isEqualTo(new WsTestClient.Close(1013, "too many alert replays from this address at once; reconnect with since"));
                    assertThat(TestGateways.get(gateway, "/api/v1/alerts?account=acc-r").statusCode()).isEqualTo(503);
                    // another address has permits of its own
                    RawWebSocket other = RawWebSocket.connect("127.0.0.2", gateway.port(), "alerts?account=acc-r&since=299");
                    other.close();
                }
                // once the readers are gone, the permits are back
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    WsTestClient again = WsTestClient.connect(client, TestGateways.ws(gateway, "alerts?account=acc-r&since=298"));
                    assertThat(again.next(Duration.ofSeconds(5))).contains("\"alert_id\":299,");
                    assertThat(again.next(Duration.ofSeconds(5))).contains("\"alert_id\":300,");
                    again.close();
                });
            }
        }
    }

    @Nested
    class Item5AbuseLimits {

        @Test
        void shouldCloseBinaryWith1003AndAPingFloodWith1008(KafkaCluster kafka) throws Exception {
            Topics topics = kafka.newTopics();
            try (GatewayServer gateway = TestGateways.start(kafka, topics, Map.of())) {
                WsTestClient binary = WsTestClient.connect(client, TestGateways.ws(gateway, "accounts"));
                binary.sendBinary(ByteBuffer.allocate(16));
                assertThat(binary.awaitClose(Duration.ofSeconds(10))).isEqualTo(new WsTestClient.Close(1003, "binary messages are not accepted"));

                // 30 pings in one write, as a flooding client sends them: the server reads them all,
                // answers the 20 of the burst (the limit is 20 at once, 5 a second after that) and
                // closes at the 21st. The client writes nothing after, so it reads every frame: Jetty
                // drops the TCP connection right after an error close, and a client that were still
                // writing could get a reset instead (docs/operations.md, "Hostile input").
                try (RawWebSocket flood = RawWebSocket.connect(gateway.port(), "accounts")) {
                    flood.sendPings(30);
                    assertThat(flood.drainUntilClose(Duration.ofSeconds(10)))
                            .isEqualTo(new RawWebSocket.Drained(0, 20, 1008, "too many messages"));
                }
                assertThat(gateway.metrics().scrape())
                        .contains("etrms_gateway_policy_closes_total{channel=\"accounts\",code=\"1003\"} 1.0")
                        .contains("etrms_gateway_policy_closes_total{channel=\"accounts\",code=\"1008\"} 1.0");
            }
        }

        @Test
        void shouldAnswer503BeyondTheWebSocketCapsPerAddressAndInTotal(KafkaCluster kafka) throws Exception {
            Topics topics = kafka.newTopics();
            try (GatewayServer gateway = TestGateways.start(kafka, topics, Map.of(GatewaySettings.MAX_WEBSOCKETS_PER_IP, "2",
                    GatewaySettings.MAX_WEBSOCKETS, "3"))) {
                List<RawWebSocket> open = new ArrayList<>();
                try {
                    open.add(RawWebSocket.connect("127.0.0.3", gateway.port(), "positions"));
                    open.add(RawWebSocket.connect("127.0.0.3", gateway.port(), "positions"));
                    TestGateways.awaitConnections(gateway, Channel.POSITIONS, 2);
                    assertThatThrownBy(() -> RawWebSocket.connect("127.0.0.3", gateway.port(), "positions"))
                            .isInstanceOfSatisfying(RawWebSocket.UpgradeRefused.class, e -> assertThat(e.status).startsWith("HTTP/1.1 503"));
                    open.add(RawWebSocket.connect("127.0.0.4", gateway.port(), "positions"));
                    TestGateways.awaitConnections(gateway, Channel.POSITIONS, 3);
                    assertThatThrownBy(() -> RawWebSocket.connect("127.0.0.5", gateway.port(), "positions"))
                            .isInstanceOfSatisfying(RawWebSocket.UpgradeRefused.class, e -> assertThat(e.status).startsWith("HTTP/1.1 503"));
                    assertThat(gateway.metrics().scrape()).contains("etrms_gateway_upgrades_rejected_total{status=\"503\"} 2.0");
                } finally {
                    for (RawWebSocket ws : open) {
                        ws.close();
                    }
                }
            }
        }
    }

    @Nested
    class Item6Tokens {

        private String token(java.util.function.UnaryOperator<com.auth0.jwt.JWTCreator.Builder> claims) {
            return claims.apply(JWT.create().withSubject("ops").withClaim("roles", List.of("admin"))).sign(Algorithm.HMAC256(SECRET));
        }

        @Test
        void shouldRequireExpABoundedLifetimeAndWellFormedClaims(KafkaCluster kafka) throws Exception {
            Topics topics = kafka.newTopics();
            try (GatewayServer gateway = TestGateways.start(kafka, topics, Map.of(GatewaySettings.AUTH_ENABLED, "true",
                    GatewaySettings.JWT_SECRET, SECRET, GatewaySettings.JWT_ISSUER, "etrms-idp", GatewaySettings.JWT_AUDIENCE, "etrms"))) {
                Instant now = Instant.now();
                Map<String, String> cases = new java.util.LinkedHashMap<>();
                cases.put(token(b -> b.withIssuer("etrms-idp").withAudience("etrms")), "invalid token: The Claim 'exp' is not present in the JWT.");
                cases.put(token(b -> b.withIssuer("etrms-idp").withAudience("etrms").withIssuedAt(now).withExpiresAt(now.plus(Duration.ofDays(30)))),
                        "invalid token: it lives longer than 86400 s (etrms.auth.jwt.max.lifetime.seconds)");
                cases.put(token(b -> b.withIssuer("elsewhere").withAudience("etrms").withExpiresAt(now.plusSeconds(60))),
                        "invalid token: The Claim 'iss' value doesn't match the required issuer.");
                cases.put(token(b -> b.withIssuer("etrms-idp").withAudience("other").withExpiresAt(now.plusSeconds(60))),
                        "invalid token: The Claim 'aud' value doesn't contain the required audience.");
                cases.put(token(b -> b.withIssuer("etrms-idp").withAudience("etrms").withExpiresAt(now.plusSeconds(60))
                        .withClaim("accounts", Map.of("not", "a list"))), "invalid token: claim accounts must be a list of strings or a string");
                cases.put(token(b -> b.withIssuer("etrms-idp").withAudience("etrms").withExpiresAt(now.plusSeconds(60))
                        .withClaim("accounts", List.of(Map.of("a", 1)))), "invalid token: claim accounts must be a list of strings or a string");
                for (Map.Entry<String, String> c : cases.entrySet()) {
                    HttpResponse<String> response = TestGateways.get(gateway, "/api/v1/positions?account=main", "Authorization", "Bearer " + c.getKey());
                    assertThat(response.statusCode()).as(c.getValue()).isEqualTo(401);
                    assertThat(response.body()).isEqualTo(envelope(c.getValue()));
                }

                // %xx in the path is decoded once, by the guard: the account checked is the account changed
                String admin = token(b -> b.withIssuer("etrms-idp").withAudience("etrms").withExpiresAt(now.plusSeconds(60)));
                HttpResponse<String> encoded = TestGateways.post(gateway, "/api/v1/accounts/ma%69n/risk-control", "{\"action\":\"reset\"}",
                        "Authorization", "Bearer " + admin);
                assertThat(encoded.statusCode()).isEqualTo(202);
                assertThat(encoded.body()).contains("\"account\":\"main\"");
            }
        }

        @Test
        void shouldRefuseToStartWithAShortSecretOrASmallRsaKey(@TempDir Path dir) throws Exception {
            assertThatThrownBy(() -> GatewayServer.start(EtrmsConfig.of(Map.of(GatewaySettings.HTTP_PORT, "0", GatewaySettings.AUTH_ENABLED, "true",
                    GatewaySettings.JWT_SECRET, "short-secret-31-bytes-long-xxxx"))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("etrms.auth.jwt.secret has 31 bytes: at least 32 are required (e.g. openssl rand -base64 32)");
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(1024);
            Path pem = dir.resolve("small.pem");
            Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(generator.generateKeyPair().getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n");
            assertThatThrownBy(() -> GatewayServer.start(EtrmsConfig.of(Map.of(GatewaySettings.HTTP_PORT, "0", GatewaySettings.AUTH_ENABLED, "true",
                    GatewaySettings.JWT_PUBLIC_KEY_FILE, pem.toString()))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("the RSA key in " + pem + " has 1024 bits: at least 2048 are required");
        }
    }
}
