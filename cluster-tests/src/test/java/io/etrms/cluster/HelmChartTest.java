package io.etrms.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code deploy/helm/etrms}, validated offline: {@code helm lint --strict} and {@code helm template}
 * by Helm's own code (helm-java, Maven Central), every rendered object against the Kubernetes API
 * schemas (kubernetes-models) and the Prometheus Operator's, and what the chart promises: a
 * StatefulSet with a volume per instance and static membership for streams-app, a Deployment with
 * an autoscaler and a disruption budget for the gateway, ServiceMonitors that select the Services
 * on named ports with the alert rules' job names, a memory limit on every container and half of
 * streams-app's for its heap.
 */
class HelmChartTest {

    private static final Path CHART = RepoFiles.root().resolve("deploy/helm/etrms");
    private static final String MODELS = "kubernetes-models/package.json";

    @Test
    void shouldPassHelmLintStrict() {
        LintResult lint = new Helm(CHART).lint().strict().call();

        assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
    }

    @Test
    void shouldRenderOnlyObjectsValidAgainstTheKubernetesSchemas(@TempDir Path dir) throws Exception {
        Path rendered = Files.writeString(dir.resolve("etrms.yaml"), render());

        NodeTools.Run check = NodeTools.node(MODELS, "check-manifests.mjs", rendered.toString());

        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("valid: 12 objects")
                .contains("ok apps/v1 StatefulSet etrms-streams-app", "ok autoscaling/v2 HorizontalPodAutoscaler etrms-ws-gateway",
                        "ok monitoring.coreos.com/v1 ServiceMonitor etrms-ws-gateway");
    }

    @Test
    void shouldMakeTheSchemaCheckFailOnAnInvalidObject(@TempDir Path dir) throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), render().replace("replicas: 2\n", "replicas: two\n"));

        NodeTools.Run check = NodeTools.node(MODELS, "check-manifests.mjs", bad.toString());

        assertThat(check.exitCode()).as(check.output()).isEqualTo(1);
        assertThat(check.output()).contains("invalid apps/v1 StatefulSet etrms-streams-app: data/spec/replicas must be integer");
    }

    @Test
    void shouldRunStreamsAppAsAStatefulSetWithAVolumeStaticMembershipAndHalfItsMemoryForTheHeap() {
        Map<String, Object> statefulSet = object(objects(render()), "StatefulSet", "etrms-streams-app");
        Map<String, Object> spec = map(statefulSet, "spec");
        Map<String, Object> container = container(statefulSet);

        assertThat(spec.get("replicas")).isEqualTo(2);
        assertThat(spec.get("serviceName")).isEqualTo("etrms-streams-app");
        Map<String, Object> claim = list(spec, "volumeClaimTemplates").get(0);
        assertThat(map(claim, "metadata").get("name")).isEqualTo("state");
        assertThat(map(map(map(claim, "spec"), "resources"), "requests").get("storage")).isEqualTo("10Gi");
        assertThat(list(container, "volumeMounts")).anySatisfy(m -> assertThat(m).containsEntry("name", "state").containsEntry("mountPath", "/var/lib/etrms"));
        assertThat(env(container, "ETRMS_STREAMS_STATE_DIR")).isEqualTo("/var/lib/etrms/streams");
        assertThat(envFrom(container, "KAFKA_GROUP_INSTANCE_ID")).isEqualTo("metadata.name");
        assertThat(env(container, "JAVA_TOOL_OPTIONS")).isEqualTo("-XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError");
        assertThat(map(map(container, "resources"), "limits").get("memory")).isEqualTo("1536Mi");
        assertThat(env(container, "ETRMS_STREAMS_HEALTH_PORT")).isEqualTo("8081");
        assertThat(list(container, "ports").get(0)).containsEntry("name", "metrics").containsEntry("containerPort", 8081);
        assertThat(String.valueOf(container.get("livenessProbe"))).contains("path=/healthz", "port=metrics");
        assertThat(env(container, "KAFKA_NUM_STANDBY_REPLICAS")).isEqualTo("1");
        assertThat(map(map(spec, "template"), "spec").get("enableServiceLinks")).isEqualTo(false);
    }

    @Test
    void shouldScaleTheGatewayDeploymentAndKeepOneThroughDisruptions() {
        List<Map<String, Object>> objects = objects(render());
        Map<String, Object> deployment = object(objects, "Deployment", "etrms-ws-gateway");
        Map<String, Object> hpa = object(objects, "HorizontalPodAutoscaler", "etrms-ws-gateway");
        Map<String, Object> pdb = object(objects, "PodDisruptionBudget", "etrms-ws-gateway");
        Map<String, Object> podLabels = map(map(map(map(deployment, "spec"), "template"), "metadata"), "labels");

        assertThat(map(deployment, "spec")).doesNotContainKey("replicas"); // the autoscaler owns it
        assertThat(map(map(hpa, "spec"), "scaleTargetRef")).containsEntry("kind", "Deployment").containsEntry("name", "etrms-ws-gateway");
        assertThat(map(hpa, "spec")).containsEntry("minReplicas", 2).containsEntry("maxReplicas", 6);
        assertThat(map(pdb, "spec")).containsEntry("minAvailable", 1);
        assertThat(podLabels).containsAllEntriesOf(map(map(map(pdb, "spec"), "selector"), "matchLabels"));
        Map<String, Object> container = container(deployment);
        assertThat(env(container, "KAFKA_ISOLATION_LEVEL")).isEqualTo("read_committed");
        assertThat(String.valueOf(container.get("readinessProbe"))).contains("path=/readyz");

        List<Map<String, Object>> fixed = objects(template().set("gateway.autoscaling.enabled", "false").call());
        assertThat(map(object(fixed, "Deployment", "etrms-ws-gateway"), "spec")).containsEntry("replicas", 2);
        assertThat(fixed).noneMatch(o -> "HorizontalPodAutoscaler".equals(o.get("kind")));
    }

    @Test
    void shouldLetPrometheusScrapeEveryServiceOnANamedPortWithTheAlertRulesJobNames() {
        List<Map<String, Object>> objects = objects(render());
        Map<String, String> jobs = Map.of("streams-app", "etrms-streams", "ws-gateway", "etrms-gateway", "ingest", "etrms-ingest");
        for (Map.Entry<String, String> job : jobs.entrySet()) {
            String name = "etrms-" + job.getKey();
            Map<String, Object> service = object(objects, "Service", name);
            Map<String, Object> monitor = object(objects, "ServiceMonitor", name);
            Map<String, Object> serviceLabels = map(map(service, "metadata"), "labels");
            String port = String.valueOf(list(map(monitor, "spec"), "endpoints").get(0).get("port"));

            assertThat(serviceLabels).containsAllEntriesOf(map(map(map(monitor, "spec"), "selector"), "matchLabels"));
            assertThat(serviceLabels.get(map(monitor, "spec").get("jobLabel"))).as(name).isEqualTo(job.getValue());
            assertThat(list(map(service, "spec"), "ports")).extracting(p -> p.get("name")).contains(port);
            assertThat(list(map(monitor, "spec"), "endpoints").get(0)).containsEntry("path", "/metrics");
            // the Service selects the workload's pods
            Map<String, Object> workload = objects.stream().filter(o -> List.of("StatefulSet", "Deployment").contains(o.get("kind")))
                    .filter(o -> name.equals(map(o, "metadata").get("name"))).findFirst().orElseThrow();
            assertThat(map(map(map(map(workload, "spec"), "template"), "metadata"), "labels")).containsAllEntriesOf(map(map(service, "spec"), "selector"));
        }
        assertThat(RepoFiles.read(RepoFiles.root().resolve("deploy/prometheus/alerts.yml"))).contains("job=\"etrms-streams\"");

        List<Map<String, Object>> off = objects(template().set("serviceMonitor.enabled", "false").call());
        assertThat(off).noneMatch(o -> "ServiceMonitor".equals(o.get("kind")));
    }

    @Test
    void shouldLimitTheMemoryOfEveryContainer() {
        List<Map<String, Object>> workloads = objects(render()).stream()
                .filter(o -> List.of("StatefulSet", "Deployment").contains(o.get("kind"))).toList();

        assertThat(workloads).hasSize(3).allSatisfy(w -> {
            Map<String, Object> container = container(w);
            assertThat(map(map(container, "resources"), "limits").get("memory")).as(String.valueOf(map(w, "metadata").get("name"))).isNotNull();
            assertThat(map(map(container, "resources"), "requests").get("memory")).isEqualTo(map(map(container, "resources"), "limits").get("memory"));
            assertThat(env(container, "JAVA_TOOL_OPTIONS")).contains("-XX:+ExitOnOutOfMemoryError");
            assertThat(map(container, "securityContext")).containsEntry("readOnlyRootFilesystem", true);
        });
    }

    private static String render() {
        return template().call();
    }

    /** {@code helm template etrms deploy/helm/etrms --kube-version 1.30.0} (helm-java assumes 1.20 otherwise, below the chart's kubeVersion). */
    private static com.marcnuri.helm.TemplateCommand template() {
        return new Helm(CHART).template().withName("etrms").withKubeVersion("1.30.0");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> objects(String manifests) {
        return StreamSupport.stream(new Yaml().loadAll(manifests).spliterator(), false).filter(Objects::nonNull)
                .map(o -> (Map<String, Object>) o).toList();
    }

    private static Map<String, Object> object(List<Map<String, Object>> objects, String kind, String name) {
        return objects.stream().filter(o -> kind.equals(o.get("kind")) && name.equals(map(o, "metadata").get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " rendered"));
    }

    private static Map<String, Object> container(Map<String, Object> workload) {
        List<Map<String, Object>> containers = list(map(map(map(workload, "spec"), "template"), "spec"), "containers");
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    private static String env(Map<String, Object> container, String name) {
        return list(container, "env").stream().filter(e -> name.equals(e.get("name"))).map(e -> String.valueOf(e.get("value")))
                .findFirst().orElseThrow(() -> new AssertionError("no env " + name));
    }

    private static String envFrom(Map<String, Object> container, String name) {
        Map<String, Object> entry = list(container, "env").stream().filter(e -> name.equals(e.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no env " + name));
        return String.valueOf(map(map(entry, "valueFrom"), "fieldRef").get("fieldPath"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        assertThat(value).as(key).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        assertThat(value).as(key).isInstanceOf(List.class);
        return new ArrayList<>((List<Map<String, Object>>) value);
    }
}
