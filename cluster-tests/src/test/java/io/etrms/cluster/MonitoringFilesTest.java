package io.etrms.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.etrms.testing.Promtool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * What ships for monitoring under {@code deploy/}: the Prometheus configuration and alert rules are
 * valid for promtool and the rules fire exactly as their unit test says; Prometheus scrapes every
 * instance of docker-compose.yml directly; the Grafana dashboard is well-formed JSON on the
 * provisioned datasource and every one of its queries is valid PromQL.
 */
class MonitoringFilesTest {

    private static final Path PROMETHEUS = RepoFiles.root().resolve("deploy/prometheus");
    private static final Path GRAFANA = RepoFiles.root().resolve("deploy/grafana");

    @Test
    void shouldPassPromtoolForTheConfigurationAndTheRules() {
        Promtool.Result config = Promtool.checkConfig(PROMETHEUS.resolve("prometheus.yml"));
        Promtool.Result rules = Promtool.checkRules(PROMETHEUS.resolve("alerts.yml"));

        assertThat(config.ok()).as(config.output()).isTrue();
        assertThat(config.output()).contains("SUCCESS: 1 rule files found");
        assertThat(rules.ok()).as(rules.output()).isTrue();
        assertThat(rules.output()).contains("SUCCESS: 8 rules found");
    }

    @Test
    void shouldFireEveryAlertExactlyAsItsUnitTestSays() {
        Promtool.Result test = Promtool.testRules(PROMETHEUS.resolve("alerts.test.yml"));

        assertThat(test.ok()).as(test.output()).isTrue();
        assertThat(test.output()).contains("SUCCESS");
    }

    @Test
    void shouldAlertOnWhatAnOperatorMustKnowAndTestEveryRule() {
        List<String> alerts = alertNames(RepoFiles.read(PROMETHEUS.resolve("alerts.yml")));
        String tests = RepoFiles.read(PROMETHEUS.resolve("alerts.test.yml"));

        assertThat(alerts).containsExactly("EtrmsInstanceDown", "EtrmsStageNotRunning", "EtrmsConsumerLagHigh", "EtrmsGatewayLagHigh",
                "EtrmsGatewayNotReady", "EtrmsDeadLettersRising", "EtrmsGatewaySlowConsumerCloses", "EtrmsBreakerTripStorm");
        assertThat(alerts).allSatisfy(name -> assertThat(tests).as("alerts.test.yml tests " + name).contains("alertname: " + name + "\n"));
        // every rule is explained in the operations guide
        String operations = RepoFiles.read(RepoFiles.root().resolve("docs/operations.md"));
        assertThat(alerts).allSatisfy(name -> assertThat(operations).as("docs/operations.md explains " + name).contains("`" + name + "`"));
    }

    @Test
    void shouldFailPromtoolOnABrokenRule(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.yml");
        Files.writeString(bad, "groups:\n  - name: x\n    rules:\n      - alert: Broken\n        expr: sum by (stage (up)\n");

        Promtool.Result rules = Promtool.checkRules(bad);

        assertThat(rules.ok()).isFalse();
        assertThat(rules.output()).contains("Broken");
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldScrapeEveryInstanceOfTheComposeFileDirectly() {
        Map<String, Object> config = new Yaml().load(RepoFiles.read(PROMETHEUS.resolve("prometheus.yml")));
        Map<String, List<String>> targets = new LinkedHashMap<>();
        for (Map<String, Object> job : (List<Map<String, Object>>) config.get("scrape_configs")) {
            assertThat(job.get("metrics_path")).isEqualTo("/metrics");
            List<String> jobTargets = new ArrayList<>();
            for (Map<String, Object> group : (List<Map<String, Object>>) job.get("static_configs")) {
                jobTargets.addAll((List<String>) group.get("targets"));
            }
            targets.put((String) job.get("job_name"), jobTargets);
        }
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) RepoFiles.compose().get("services");

        assertThat(targets.get("etrms-streams")).containsExactly(
                "streams-app-1:" + env(services.get("streams-app-1"), "ETRMS_STREAMS_HEALTH_PORT"),
                "streams-app-2:" + env(services.get("streams-app-2"), "ETRMS_STREAMS_HEALTH_PORT"));
        // each gateway on its own address: never the load balancer
        assertThat(targets.get("etrms-gateway")).containsExactly(
                "ws-gateway-1:" + env(services.get("ws-gateway-1"), "ETRMS_HTTP_PORT"),
                "ws-gateway-2:" + env(services.get("ws-gateway-2"), "ETRMS_HTTP_PORT"));
        assertThat(targets.get("etrms-ingest")).containsExactly("ingest:8001");
        assertThat(String.valueOf(services.get("ingest").get("command"))).contains("8001");
        assertThat(targets.values()).allSatisfy(list -> assertThat(list).noneMatch(t -> t.startsWith("lb:")));
    }

    @Test
    void shouldShipAWellFormedDashboardOnTheProvisionedDatasourceWithValidQueries(@TempDir Path dir) throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(GRAFANA.resolve("dashboards/etrms.json").toFile());
        Map<String, Object> datasources = new Yaml().load(RepoFiles.read(GRAFANA.resolve("provisioning/datasources/prometheus.yml")));
        @SuppressWarnings("unchecked")
        String uid = (String) ((List<Map<String, Object>>) datasources.get("datasources")).get(0).get("uid");
        Map<String, Object> provider = new Yaml().load(RepoFiles.read(GRAFANA.resolve("provisioning/dashboards/etrms.yml")));

        assertThat(dashboard.path("uid").asText()).isEqualTo("etrms-overview");
        assertThat(String.valueOf(provider)).contains("path=/var/lib/grafana/dashboards");
        Set<Integer> ids = new HashSet<>();
        List<String> queries = new ArrayList<>();
        List<String> titles = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(ids.add(panel.path("id").asInt())).as("panel id %s is unique", panel.path("id")).isTrue();
            JsonNode grid = panel.path("gridPos");
            assertThat(grid.path("x").asInt() + grid.path("w").asInt()).as(panel.path("title").asText()).isLessThanOrEqualTo(24);
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            titles.add(panel.path("title").asText());
            assertThat(panel.path("datasource").path("uid").asText()).as(panel.path("title").asText()).isEqualTo(uid);
            assertThat(panel.path("targets").size()).as(panel.path("title").asText()).isPositive();
            panel.path("targets").forEach(t -> queries.add(t.path("expr").asText()));
        }
        assertThat(titles).contains("Stage state", "Consumer lag (records)", "Dead letters / min", "Breaker trips (5 min)",
                "WebSocket send latency p99", "REST latency p99", "Closed clients (5 min)", "Heap used");

        // promtool parses every query: as recording rules of a scratch rule file
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard-queries\n    rules:\n");
        for (int i = 0; i < queries.size(); i++) {
            rules.append("      - record: dashboard:query").append(i).append("\n        expr: '")
                    .append(queries.get(i).replace("'", "''")).append("'\n");
        }
        Path file = Files.writeString(dir.resolve("dashboard-queries.yml"), rules);
        Promtool.Result check = Promtool.checkRules(file);
        assertThat(check.ok()).as("dashboard queries:%n%s", check.output()).isTrue();
        assertThat(check.output()).contains("SUCCESS: " + queries.size() + " rules found");
    }

    private static List<String> alertNames(String rules) {
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^\\s+- alert: (\\S+)$").matcher(rules);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    @SuppressWarnings("unchecked")
    private static String env(Map<String, Object> service, String name) {
        return String.valueOf(((Map<String, Object>) service.get("environment")).get(name));
    }
}
