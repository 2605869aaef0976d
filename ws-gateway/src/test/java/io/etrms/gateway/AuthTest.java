package io.etrms.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import io.etrms.model.Topics;
import io.etrms.testing.KafkaCluster;
import io.etrms.testing.KafkaClusterExtension;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.websocket.api.exceptions.UpgradeException;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** JWT authentication, account authorization, admin-only control and the Origin allowlist. */
@ExtendWith(KafkaClusterExtension.class)
class AuthTest {

    static final String SECRET = "test-secret-of-sufficient-length-0123456789";
    private static final Map<String, String> AUTH_ON = Map.of(GatewaySettings.AUTH_ENABLED, "true", GatewaySettings.JWT_SECRET, SECRET,
            GatewaySettings.JWT_ISSUER, "etrms-test", GatewaySettings.HTTP_ALLOWED_ORIGINS, "https://dash.example.com");

    private static WebSocketClient client;

    @BeforeAll
    static void startClient() throws Exception {
        client = new WebSocketClient();
        client.start();
    }

    @AfterAll
    static void stopClient() throws Exception {
        client.stop();
    }

    static String token(String subject, List<String> accounts, List<String> roles, String secret, Instant expires) {
        return JWT.create().withIssuer("etrms-test").withSubject(subject).withClaim("accounts", accounts).withClaim("roles", roles)
                .withExpiresAt(expires).sign(Algorithm.HMAC256(secret));
    }

    static String token(String subject, List<String> accounts, List<String> roles) {
        return token(subject, accounts, roles, SECRET, Instant.now().plusSeconds(600));
    }

    private static int upgradeStatus(URI uri, Map<String, String> headers) {
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> WsTestClient.connect(client, uri, headers));
        assertThat(failure).isNotNull();
        assertThat(failure.getCause()).isInstanceOf(UpgradeException.class);
        return ((UpgradeException) failure.getCause()).getResponseStatusCode();
    }

    @Test
    void shouldRefuseUpgradesWithoutAValidTokenWith401AndAnotherAccountWith403(KafkaCluster kafka) throws Exception {
        Topics topics = kafka.newTopics();
        try (TopicWriter writer = new TopicWriter(kafka); GatewayServer gateway = TestGateways.start(kafka, topics, AUTH_ON)) {
            String json = writer.send(topics.portfolio, "acc-a", Samples.portfolio("acc-a", Samples.TS));
            String reader = token("alice", List.of("acc-a"), List.of("viewer"));

            assertThat(upgradeStatus(TestGateways.ws(gateway, "positions?account=acc-a"), Map.of())).isEqualTo(401);
            assertThat(upgradeStatus(TestGateways.ws(gateway, "positions?account=acc-a&token=garbage"), Map.of())).isEqualTo(401);
            String forged = token("alice", List.of("acc-a"), List.of("viewer"), "another-secret-of-sufficient-length-xyz", Instant.now().plusSeconds(600));
            assertThat(upgradeStatus(TestGateways.ws(gateway, "positions?account=acc-a&token=" + forged), Map.of())).isEqualTo(401);
            String expired = token("alice", List.of("acc-a"), List.of("viewer"), SECRET, Instant.now().minusSeconds(60));
            assertThat(upgradeStatus(TestGateways.ws(gateway, "positions?account=acc-a&token=" + expired), Map.of())).isEqualTo(401);
            assertThat(upgradeStatus(TestGateways.ws(gateway, "positions?account=acc-b&token=" + reader), Map.of())).isEqualTo(403);
            assertThat(upgradeStatus(TestGateways.ws(gateway, "positions?token=" + reader), Map.of())).isEqualTo(403);

            WsTestClient byQuery = WsTestClient.connect(client, TestGateways.ws(gateway, "positions?account=acc-a&token=" + reader));
            assertThat(byQuery.next()).isEqualTo(json);
            WsTestClient byHeader = WsTestClient.connect(client, TestGateways.ws(gateway, "positions?account=acc-a"),
                    Map.of("Authorization", "Bearer " + reader));
            assertThat(byHeader.next()).isEqualTo(json);
            WsTestClient admin = WsTestClient.connect(client, TestGateways.ws(gateway, "positions?account=acc-a"),
                    Map.of("Authorization", "Bearer " + token("root", List.of(), List.of("admin"))));
            assertThat(admin.next()).isEqualTo(json);
        }
    }

    @Test
    void shouldGuardRestReadsAndAllowRiskControlToAdminsOnly(KafkaCluster kafka) throws Exception {
        Topics topics = kafka.newTopics();
        try (TopicWriter writer = new TopicWriter(kafka); GatewayServer gateway = TestGateways.start(kafka, topics, AUTH_ON)) {
            String json = writer.send(topics.accounts, "acc-a", Samples.accounts("acc-a", Samples.TS));
            String reader = token("alice", List.of("acc-a"), List.of());
            String admin = token("root", List.of(), List.of("admin"));

            HttpResponse<String> anonymous = TestGateways.get(gateway, "/api/v1/accounts?account=acc-a");
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"etrms\"");
            assertThat(anonymous.body()).isEqualTo(
                    "{\"status\":\"error\",\"message\":\"missing token: pass ?token= or an Authorization: Bearer header\",\"data\":null}");
            assertThat(TestGateways.get(gateway, "/api/v1/accounts?account=acc-b", "Authorization", "Bearer " + reader).statusCode()).isEqualTo(403);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).untilAsserted(() ->
                    assertThat(TestGateways.get(gateway, "/api/v1/accounts?account=acc-a", "Authorization", "Bearer " + reader).body())
                            .isEqualTo("{\"status\":\"success\",\"message\":\"accounts of acc-a\",\"data\":" + json + "}"));

            String body = "{\"action\":\"reset\",\"reason\":\"reviewed\"}";
            HttpResponse<String> notAdmin = TestGateways.post(gateway, "/api/v1/accounts/acc-a/risk-control", body, "Authorization", "Bearer " + reader);
            assertThat(notAdmin.statusCode()).isEqualTo(403);
            assertThat(notAdmin.body()).isEqualTo("{\"status\":\"error\",\"message\":\"risk-control needs the admin role\",\"data\":null}");
            assertThat(TestGateways.post(gateway, "/api/v1/accounts/acc-a/risk-control", body).statusCode()).isEqualTo(401);
            HttpResponse<String> accepted = TestGateways.post(gateway, "/api/v1/accounts/acc-a/risk-control", body, "Authorization", "Bearer " + admin);
            assertThat(accepted.statusCode()).isEqualTo(202);
            assertThat(accepted.body()).contains("\"requested_by\":\"root\"", "\"action\":\"reset\"", "\"account\":\"acc-a\"");

            assertThat(TestGateways.get(gateway, "/healthz").statusCode()).isEqualTo(200);
            assertThat(TestGateways.get(gateway, "/metrics").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void shouldRefuseUpgradesFromOriginsOutsideTheAllowlist(KafkaCluster kafka) throws Exception {
        Topics topics = kafka.newTopics();
        try (GatewayServer gateway = TestGateways.start(kafka, topics, AUTH_ON)) {
            String admin = token("root", List.of(), List.of("admin"));
            URI uri = TestGateways.ws(gateway, "alerts?token=" + admin);
            assertThat(upgradeStatus(uri, Map.of("Origin", "https://evil.example.com"))).isEqualTo(403);
            WsTestClient allowed = WsTestClient.connect(client, uri, Map.of("Origin", "https://dash.example.com"));
            assertThat(allowed.isClosed()).isFalse();
            allowed.close();
        }
    }

    @Test
    void shouldRefuseToStartWithAuthOnButNoKey() {
        assertThatThrownBy(() -> GatewaySettings.from(io.etrms.model.EtrmsConfig.of(Map.of(GatewaySettings.AUTH_ENABLED, "true"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("etrms.auth.enabled=true needs etrms.auth.jwt.secret (HS256) or etrms.auth.jwt.public.key.file (RS256)");
    }
}
