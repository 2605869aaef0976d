package io.etrms.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The root {@code Dockerfile} builds what {@code docker-compose.yml} runs: a Maven build stage on
 * JDK 17, and for each service a JRE 17 runtime stage that runs as a non-root user and starts that
 * service's real {@code main}. (No Docker engine here to build it; this reads it.)
 */
class DockerfileTest {

    private static final Map<String, String> MAIN_CLASSES = Map.of(
            "streams-app", "io.etrms.streams.StreamsMain",
            "ws-gateway", "io.etrms.gateway.GatewayMain",
            "ingest", "io.etrms.ingest.IngestCli");

    /** One {@code FROM ... AS name} stage and its instructions. */
    private record Stage(String name, String from, List<String> instructions) {
        String last(String keyword) {
            String found = null;
            for (String i : instructions) {
                if (i.startsWith(keyword + " ")) {
                    found = i.substring(keyword.length() + 1).trim();
                }
            }
            return found;
        }
    }

    @Test
    void shouldBuildWithMavenOnJdk17AndRunEachServiceOnJre17AsNonRoot() throws Exception {
        Map<String, String> args = new LinkedHashMap<>();
        Map<String, Stage> stages = parse(RepoFiles.read(RepoFiles.root().resolve("Dockerfile")), args);

        Stage build = stages.get("build");
        assertThat(resolve(build.from(), args)).startsWith("maven:").contains("-17");
        assertThat(String.join("\n", build.instructions())).contains("mvn ").contains("-pl streams-app,ws-gateway,ingest");

        Stage runtime = stages.get("runtime");
        assertThat(resolve(runtime.from(), args)).matches("eclipse-temurin:17[^:]*-jre");
        String user = runtime.last("USER");
        assertThat(user).as("runtime user").isNotNull().doesNotStartWith("0").doesNotStartWith("root");

        for (Map.Entry<String, String> service : MAIN_CLASSES.entrySet()) {
            Stage stage = stages.get(service.getKey());
            assertThat(stage).as("stage %s", service.getKey()).isNotNull();
            assertThat(stage.from()).as("%s runs on the JRE runtime stage", service.getKey()).isEqualTo("runtime");
            assertThat(stage.last("USER")).as("%s must not switch back to root", service.getKey()).isNull();
            assertThat(stage.last("ENTRYPOINT")).contains(service.getValue());
            assertThat(String.join("\n", stage.instructions())).contains("COPY --from=build /out/" + service.getKey() + "/");
            Class.forName(service.getValue()).getMethod("main", String[].class);
        }
    }

    @Test
    void shouldHaveAStageForEveryImageTheComposeFileBuilds() {
        Map<String, Stage> stages = parse(RepoFiles.read(RepoFiles.root().resolve("Dockerfile")), new LinkedHashMap<>());
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) RepoFiles.compose().get("services");
        services.forEach((name, service) -> {
            if (service.get("build") instanceof Map<?, ?> build) {
                assertThat(stages).as("build target of %s", name).containsKey(String.valueOf(build.get("target")));
            }
        });
    }

    private static String resolve(String image, Map<String, String> args) {
        Matcher m = Pattern.compile("\\$\\{(\\w+)}").matcher(image);
        return m.matches() ? args.get(m.group(1)) : image;
    }

    /** Stages by name, instructions joined across line continuations; global ARG defaults into {@code args}. */
    private static Map<String, Stage> parse(String dockerfile, Map<String, String> args) {
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : dockerfile.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("#") || line.isEmpty()) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            instructions.add(current.toString());
            current.setLength(0);
        }
        Map<String, Stage> stages = new LinkedHashMap<>();
        Stage stage = null;
        Pattern from = Pattern.compile("FROM\\s+(\\S+)\\s+AS\\s+(\\S+)", Pattern.CASE_INSENSITIVE);
        for (String i : instructions) {
            Matcher m = from.matcher(i);
            if (m.matches()) {
                stage = new Stage(m.group(2), m.group(1), new ArrayList<>());
                stages.put(stage.name(), stage);
            } else if (stage == null && i.startsWith("ARG ") && i.contains("=")) {
                String[] kv = i.substring(4).trim().split("=", 2);
                args.put(kv[0], kv[1]);
            } else if (stage != null) {
                stage.instructions().add(i);
            }
        }
        return stages;
    }
}
