package io.etrms.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.etrms.model.Json;
import io.etrms.model.RiskControl;
import io.etrms.model.Topics;
import io.etrms.testing.KafkaCluster;
import io.etrms.testing.KafkaClusterExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The audited changes of the REST API against the real broker: limits, groups and risk-control
 * written with their audit record, the audit trail served back, the two-approver reset, the kill
 * switch of a group. One gateway for the class (authentication on, {@code etrms.reset.approvals=2});
 * each test uses its own accounts.
 */
@ExtendWith(KafkaClusterExtension.class)
class AuditTrailTest {

    private static final Map<String, String> SETTINGS = Map.of(GatewaySettings.AUTH_ENABLED, "true", GatewaySettings.JWT_SECRET, AuthTest.SECRET,
            GatewaySettings.JWT_ISSUER, "etrms-test", GatewaySettings.RESET_APPROVALS, "2");
    private static final String ALICE = AuthTest.token("alice", List.of(), List.of("admin"));
    private static final String BOB = AuthTest.token("bob", List.of(), List.of("admin"));

    private static KafkaCluster kafka;
    private static Topics topics;
    private static GatewayServer gateway;

    @BeforeAll
    static void start(KafkaCluster cluster) {
        kafka = cluster;
        topics = kafka.newTopics();
        gateway = TestGateways.start(kafka, topics, SETTINGS);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static HttpResponse<String> send(String method, String path, String body, String token) throws Exception {
        return TestGateways.request(gateway, method, path, body, "Authorization", "Bearer " + token);
    }

    private static JsonNode data(HttpResponse<String> response) throws Exception {
        return Json.MAPPER.readTree(response.body()).path("data");
    }

    /** The audit record expected, its generated audit_id and timestamp taken from {@code actual}. */
    private static JsonNode expected(JsonNode actual, String json) throws Exception {
        return Json.MAPPER.readTree(json.replace("ID", actual.path("audit_id").asText()).replace("TS", actual.path("timestamp").asText()));
    }

    private static List<String> values(String topic, String key) {
        return kafka.readToEnd(topic, IsolationLevel.READ_COMMITTED).stream().filter(r -> key.equals(r.key()))
                .map(ConsumerRecord::value).toList();
    }

    @Test
    void shouldAuditTwoLimitChangesWithTheirOldAndNewValuesAndTheSubjectOfTheToken() throws Exception {
        HttpResponse<String> first = send("PUT", "/api/v1/accounts/acc-l/limits", "{\"max_leverage\": 5}", ALICE);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        HttpResponse<String> second = send("PUT", "/api/v1/accounts/acc-l/limits?reason=desk%20review",
                "{\"max_leverage\": 3, \"cooldown_seconds\": 0}", BOB);
        assertThat(second.statusCode()).as(second.body()).isEqualTo(202);
        assertThat(Json.MAPPER.readTree(second.body()).path("message").asText()).isEqualTo("published to risk-limits");

        HttpResponse<String> trail = send("GET", "/api/v1/audit?account=acc-l", null, ALICE);
        assertThat(trail.statusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(trail.body()).path("message").asText()).isEqualTo("2 audit records of acc-l");
        JsonNode records = data(trail);
        assertThat(records).hasSize(2);
        // the first change had nothing before it; the second sees the first as its old value
        assertThat(records.get(0)).isEqualTo(expected(records.get(0), "{\"audit_id\":\"ID\",\"kind\":\"risk_limits\",\"account\":\"acc-l\","
                + "\"group\":null,\"requested_by\":\"alice\",\"timestamp\":TS,\"old_value\":null,\"new_value\":{\"max_leverage\":5},"
                + "\"reason\":null,\"outcome\":\"published\"}"));
        assertThat(records.get(1)).isEqualTo(expected(records.get(1), "{\"audit_id\":\"ID\",\"kind\":\"risk_limits\",\"account\":\"acc-l\","
                + "\"group\":null,\"requested_by\":\"bob\",\"timestamp\":TS,\"old_value\":{\"max_leverage\":5},"
                + "\"new_value\":{\"max_leverage\":3,\"cooldown_seconds\":0},\"reason\":\"desk review\",\"outcome\":\"published\"}"));
        assertThat(records.get(0).path("audit_id").asText()).isNotEqualTo(records.get(1).path("audit_id").asText());
        // the limits as given (stage 2 merges them), in the same transactions as the audit records
        assertThat(values(topics.riskLimits.name(), "acc-l")).containsExactly("{\"max_leverage\":5.0}", "{\"max_leverage\":3.0,\"cooldown_seconds\":0}");
        assertThat(values(topics.audit.name(), "acc-l")).hasSize(2);

        HttpResponse<String> removed = send("DELETE", "/api/v1/accounts/acc-l/limits", null, ALICE);
        assertThat(removed.statusCode()).isEqualTo(202);
        assertThat(values(topics.riskLimits.name(), "acc-l")).hasSize(3).last().isNull();
        JsonNode tombstone = data(send("GET", "/api/v1/audit?account=acc-l&limit=1", null, ALICE)).get(0);
        assertThat(tombstone.path("old_value")).isEqualTo(Json.MAPPER.readTree("{\"max_leverage\":3,\"cooldown_seconds\":0}"));
        assertThat(tombstone.path("new_value").isNull()).isTrue();
    }

    @Test
    void shouldHoldAResetOfAHaltedAccountUntilASecondAdminApprovesIt() throws Exception {
        String halted = Json.write(Samples.riskMetrics("acc-h", Samples.TS)).replace("\"ACTIVE\"", "\"HALTED\"");
        try (TopicWriter writer = new TopicWriter(kafka)) {
            writer.sendRaw(topics.riskMetrics.name(), "acc-h", halted);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> send("GET", "/api/v1/risk-metrics?account=acc-h", null, ALICE).statusCode() == 200);
        String reset = "{\"action\":\"reset\",\"condition_name\":\"max_drawdown\",\"reason\":\"reviewed\"}";

        HttpResponse<String> first = send("POST", "/api/v1/accounts/acc-h/risk-control", reset, ALICE);
        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(Json.MAPPER.readTree(first.body()).path("status").asText()).isEqualTo("success");
        assertThat(Json.MAPPER.readTree(first.body()).path("message").asText()).isEqualTo("reset of acc-h needs a second approval");
        JsonNode pending = data(first);
        assertThat(pending.path("outcome").asText()).isEqualTo("pending_approval");
        assertThat(pending.path("old_value")).isEqualTo(Json.MAPPER.readTree("{\"trading_state\":\"HALTED\"}"));
        assertThat(values(topics.riskControl.name(), "acc-h")).isEmpty();

        HttpResponse<String> again = send("POST", "/api/v1/accounts/acc-h/risk-control", reset, ALICE);
        String why = "alice already approved the reset of acc-h at " + Instant.ofEpochMilli(pending.path("timestamp").asLong())
                + ": a second approval must come from another subject";
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).isEqualTo("{\"status\":\"error\",\"message\":" + Json.write(why) + ",\"data\":null}");
        assertThat(values(topics.riskControl.name(), "acc-h")).isEmpty();

        // the second approval reaches another instance, started after the first: it knows of the
        // pending approval from the audit topic alone
        HttpResponse<String> second;
        try (GatewayServer other = TestGateways.start(kafka, topics, SETTINGS)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> TestGateways.get(other, "/api/v1/risk-metrics?account=acc-h",
                    "Authorization", "Bearer " + BOB).statusCode() == 200);
            second = TestGateways.request(other, "POST", "/api/v1/accounts/acc-h/risk-control",
                    "{\"action\":\"reset\",\"condition_name\":\"max_drawdown\"}", "Authorization", "Bearer " + BOB);
        }
        assertThat(second.statusCode()).as(second.body()).isEqualTo(202);
        assertThat(Json.MAPPER.readTree(second.body()).path("message").asText()).isEqualTo("published to risk-control");
        List<String> published = values(topics.riskControl.name(), "acc-h");
        assertThat(published).hasSize(1);
        RiskControl control = Json.MAPPER.readValue(published.get(0), RiskControl.class);
        // bob gave no reason: the first approver's stands
        assertThat(control).isEqualTo(new RiskControl("acc-h", "reset", "max_drawdown", null, "reviewed", "alice+bob", control.timestamp()));
        assertThat(control.timestamp()).isGreaterThanOrEqualTo(pending.path("timestamp").asLong());

        await().atMost(Duration.ofSeconds(20)).until(() -> data(send("GET", "/api/v1/audit?account=acc-h", null, BOB)).size() == 3);
        JsonNode trail = data(send("GET", "/api/v1/audit?account=acc-h", null, BOB));
        assertThat(trail).extracting(r -> r.path("requested_by").asText() + " " + r.path("outcome").asText())
                .containsExactly("alice pending_approval", "alice rejected: " + why, "alice+bob published");
        assertThat(trail.get(2).path("new_value")).isEqualTo(Json.MAPPER.readTree(Json.write(control)));
    }

    @Test
    void shouldRefuseInvalidBodiesWith400AndTheReasonAndPublishNothing() throws Exception {
        Map<String, String> refusals = new java.util.LinkedHashMap<>();
        refusals.put("PUT /api/v1/accounts/acc-x/limits {\"max_levrage\": 3}", "unknown field max_levrage (allowed: max_drawdown_pct, "
                + "daily_loss_limit, max_leverage, max_gross_exposure, max_position_notional, volatility_move_pct, volatility_window_seconds, "
                + "stale_price_seconds, cooldown_seconds, warning_pct, session_start, session_time_zone, lock_until_next_session, "
                + "drawdown_basis, reconciliation_tolerance, reconciliation_grace_seconds)");
        // 365 days = 31 536 000 s
        refusals.put("PUT /api/v1/accounts/acc-x/limits {\"cooldown_seconds\": 40000000}", "cooldown_seconds out of range (at most 31536000): 40000000");
        refusals.put("PUT /api/v1/accounts/acc-x/limits {\"max_leverage\": \"abc\"}", "max_leverage: 'abc' is not a number");
        refusals.put("PUT /api/v1/accounts/acc-x/limits [1]", "body must be a JSON object");
        refusals.put("PUT /api/v1/accounts/acc-x/group {\"group\": \"acme//desk\"}",
                "group 'acme//desk' must be ids separated by '/' (no empty level, '|', spaces or control characters)");
        refusals.put("PUT /api/v1/accounts/acc-x/group {}", "missing field group (DELETE takes the account out of its group)");
        refusals.put("PUT /api/v1/groups/acme/limits {\"warning_pct\": 120}", "warning_pct must be below 100 (0 or less: no warnings), was 120.0");
        refusals.put("POST /api/v1/groups/acme/risk-control {\"action\":\"halt\",\"state\":\"HALTED\"}", "state applies to set_state only");
        refusals.put("POST /api/v1/groups/acme/risk-control {\"action\":\"halt\",\"account\":\"acc-x\"}",
                "account does not apply to a group's risk-control (it goes to every member)");
        refusals.put("POST /api/v1/groups/a/b/c/d/e/risk-control {\"action\":\"halt\"}", "group 'a/b/c/d/e' is deeper than 4 levels");
        refusals.put("POST /api/v1/accounts/acc-x/risk-control {\"action\":\"halt\",\"condition_name\":\"max_drawdown\"}",
                "condition_name applies to reset only");
        for (Map.Entry<String, String> refusal : refusals.entrySet()) {
            String[] parts = refusal.getKey().split(" ", 3);
            HttpResponse<String> response = send(parts[0], parts[1], parts[2], ALICE);
            assertThat(response.statusCode()).as(refusal.getKey() + " " + response.body()).isEqualTo(400);
            assertThat(response.body()).as(refusal.getKey())
                    .isEqualTo("{\"status\":\"error\",\"message\":" + Json.write(refusal.getValue()) + ",\"data\":null}");
        }
        HttpResponse<String> viewer = send("PUT", "/api/v1/accounts/acc-x/limits", "{\"max_leverage\": 3}",
                AuthTest.token("carol", List.of("acc-x"), List.of("viewer")));
        assertThat(viewer.statusCode()).isEqualTo(403);
        assertThat(viewer.body()).isEqualTo("{\"status\":\"error\",\"message\":\"changes need the admin role\",\"data\":null}");

        assertThat(values(topics.riskLimits.name(), "acc-x")).isEmpty();
        assertThat(values(topics.accountGroups.name(), "acc-x")).isEmpty();
        assertThat(values(topics.groupLimits.name(), "acme")).isEmpty();
        assertThat(values(topics.audit.name(), "acc-x")).isEmpty();
        assertThat(values(topics.audit.name(), "acme")).isEmpty();
    }

    @Test
    void shouldHaltEveryMemberOfAGroupWithOneRiskControlRecordEach() throws Exception {
        assertThat(send("PUT", "/api/v1/accounts/g-1/group", "{\"group\":\"firm/desk-1\"}", ALICE).statusCode()).isEqualTo(202);
        assertThat(send("PUT", "/api/v1/accounts/g-2/group", "{\"group\":\"firm/desk-2\"}", ALICE).statusCode()).isEqualTo(202);
        assertThat(send("PUT", "/api/v1/accounts/g-3/group", "{\"group\":\"elsewhere\"}", ALICE).statusCode()).isEqualTo(202);

        HttpResponse<String> halt = send("POST", "/api/v1/groups/firm/risk-control", "{\"action\":\"halt\",\"reason\":\"desk incident\"}", BOB);
        assertThat(halt.statusCode()).as(halt.body()).isEqualTo(202);
        assertThat(halt.body()).isEqualTo("{\"status\":\"success\",\"message\":\"halt sent to 2 accounts of group firm\",\"data\":"
                + "{\"group\":\"firm\",\"accounts\":[\"g-1\",\"g-2\"],\"outcomes\":{\"g-1\":\"published\",\"g-2\":\"published\"}}}");
        for (String account : List.of("g-1", "g-2")) {
            List<String> records = values(topics.riskControl.name(), account);
            assertThat(records).as(account).hasSize(1);
            RiskControl control = Json.MAPPER.readValue(records.get(0), RiskControl.class);
            assertThat(control).isEqualTo(new RiskControl(account, "halt", null, null, "desk incident", "bob", control.timestamp()));
        }
        assertThat(values(topics.riskControl.name(), "g-3")).isEmpty();
        JsonNode audit = data(send("GET", "/api/v1/audit?group=firm", null, ALICE));
        // two memberships (group firm/desk-1, firm/desk-2) and the two halts
        assertThat(audit).extracting(r -> r.path("kind").asText() + " " + r.path("account").asText() + " " + r.path("group").asText())
                .containsExactly("account_group g-1 firm/desk-1", "account_group g-2 firm/desk-2", "risk_control g-1 firm", "risk_control g-2 firm");

        HttpResponse<String> nobody = send("POST", "/api/v1/groups/nobody/risk-control", "{\"action\":\"halt\"}", BOB);
        assertThat(nobody.statusCode()).isEqualTo(404);
        assertThat(nobody.body()).isEqualTo("{\"status\":\"error\",\"message\":\"group nobody has no member accounts\",\"data\":null}");
    }
}
