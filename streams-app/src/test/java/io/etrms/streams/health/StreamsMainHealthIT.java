package io.etrms.streams.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etrms.model.BuildInfo;
import io.etrms.model.EtrmsConfig;
import io.etrms.model.Topics;
import io.etrms.streams.StreamsApp;
import io.etrms.streams.StreamsMain;
import io.etrms.testing.KafkaCluster;
import io.etrms.testing.KafkaClusterExtension;
import io.etrms.testing.Promtool;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link StreamsMain#run} on a real broker: the health endpoint reports the stages, and a stage
 * that stops although nobody asked it to ends the run with a non-zero status and closes the rest.
 */
@ExtendWith(KafkaClusterExtension.class)
class StreamsMainHealthIT {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void shouldReportHealthAndExitNonZeroWhenAStageStopsByItself(KafkaCluster kafka, @TempDir Path state) throws Exception {
        // Given the service with its health endpoint on a free port
        Topics topics = kafka.newTopics();
        int port = freePort();
        EtrmsConfig config = kafka.config(topics, Map.of(
                StreamsApp.APPLICATION_ID, kafka.uniqueId("health"),
                StreamsApp.STATE_DIR, state.toString(),
                StreamsApp.CREATE_TOPICS, "false",
                StreamsMain.HEALTH_PORT, Integer.toString(port),
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000"));
        CompletableFuture<StreamsApp> started = new CompletableFuture<>();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> {
            try {
                return StreamsMain.run(config, started::complete);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        });
        StreamsApp app = started.get(60, TimeUnit.SECONDS);

        // Then /healthz answers 200 once every stage runs
        await("every stage RUNNING").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> healthz(port).body().equals("{\"status\":\"UP\",\"stages\":{\"instrument\":\"RUNNING\",\"account\":\"RUNNING\",\"group\":\"RUNNING\"}}"));
        assertThat(healthz(port).statusCode()).isEqualTo(200);
        assertThat(exit).isNotDone();

        // And /metrics on the same port serves both stages' Kafka Streams metrics, lint-clean
        HttpResponse<String> metrics = get(port, "/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        Promtool.Result lint = Promtool.checkMetrics(metrics.body());
        assertThat(lint.ok()).as("promtool check metrics:%n%s", lint.output()).isTrue();
        assertThat(metrics.body())
                .contains("etrms_build_info{service=\"streams-app\",version=\"" + BuildInfo.version() + "\"} 1")
                .contains("jvm_gc_memory_allocated_bytes_total", "jvm_gc_max_data_size_bytes", "process_cpu_usage")
                // client-state is KafkaStreams.State's ordinal: 2 = RUNNING
                .containsPattern("kafka_stream_client_state\\{[^}]*stage=\"instrument\"} 2.0")
                .containsPattern("kafka_stream_client_state\\{[^}]*stage=\"account\"} 2.0")
                .containsPattern("kafka_stream_client_state\\{[^}]*stage=\"group\"} 2.0")
                .containsPattern("kafka_consumer_fetch_manager_records_lag_max\\{[^}]*stage=\"account\"");

        // When the account stage stops although the service did not begin to shut down
        app.streams().get(1).close(Duration.ofSeconds(30));

        // Then the run ends with status 1, the other stages closed and the endpoint gone
        assertThat(exit.get(60, TimeUnit.SECONDS)).isEqualTo(StreamsMain.EXIT_STAGE_FAILED);
        assertThat(app.streams().get(0).state()).isEqualTo(KafkaStreams.State.NOT_RUNNING);
        assertThat(app.streams().get(2).state()).isEqualTo(KafkaStreams.State.NOT_RUNNING);
        try {
            healthz(port);
            throw new AssertionError("the health endpoint still answers after the run ended");
        } catch (ConnectException expected) {
            // closed
        }
    }

    private HttpResponse<String> healthz(int port) throws IOException, InterruptedException {
        return get(port, "/healthz");
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
