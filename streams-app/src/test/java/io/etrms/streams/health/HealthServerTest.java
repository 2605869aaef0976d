package io.etrms.streams.health;

import static io.etrms.streams.health.StageStatesTest.states;
import static org.apache.kafka.streams.KafkaStreams.State.ERROR;
import static org.apache.kafka.streams.KafkaStreams.State.REBALANCING;
import static org.apache.kafka.streams.KafkaStreams.State.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The endpoint over a real socket, with the JDK's HTTP client. */
class HealthServerTest {

    private final AtomicReference<StageStates> now = new AtomicReference<>(states(RUNNING, RUNNING));
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private HealthServer server;

    @BeforeEach
    void start() {
        server = HealthServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), now::get);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(5)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldAnswer200WithTheStatesWhileEveryStageIsUp() throws Exception {
        now.set(states(RUNNING, REBALANCING));
        HttpResponse<String> response = send("GET", "/healthz");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(response.body()).isEqualTo("{\"status\":\"UP\",\"stages\":{\"instrument\":\"RUNNING\",\"account\":\"REBALANCING\"}}");
    }

    @Test
    void shouldAnswer503WithTheStatesWhenAStageIsDown() throws Exception {
        HttpResponse<String> before = send("GET", "/healthz");
        now.set(states(RUNNING, ERROR));
        HttpResponse<String> after = send("GET", "/healthz");
        assertThat(before.statusCode()).isEqualTo(200);
        assertThat(after.statusCode()).isEqualTo(503);
        assertThat(after.body()).isEqualTo("{\"status\":\"DOWN\",\"stages\":{\"instrument\":\"RUNNING\",\"account\":\"ERROR\"}}");
        assertThat(send("HEAD", "/healthz").statusCode()).isEqualTo(503);
    }

    @Test
    void shouldServeOnlyGetAndHeadOfHealthz() throws Exception {
        assertThat(send("GET", "/").statusCode()).isEqualTo(404);
        assertThat(send("GET", "/healthz/more").statusCode()).isEqualTo(404);
        assertThat(send("GET", "/readyz").statusCode()).isEqualTo(404);
        HttpResponse<String> post = send("POST", "/healthz");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");
        assertThat(send("HEAD", "/healthz").statusCode()).isEqualTo(200);
    }

    @Test
    void shouldStopListeningWhenClosed() throws Exception {
        int port = server.port();
        server.close();
        try (java.net.Socket socket = new java.net.Socket()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> socket.connect(new InetSocketAddress("127.0.0.1", port), 2000))
                    .isInstanceOf(java.io.IOException.class);
        }
        server = HealthServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), now::get);
    }

    @Test
    void shouldServeMetricsOnlyWhenGivenThem() throws Exception {
        // the server of setUp has none
        assertThat(send("GET", "/metrics").statusCode()).isEqualTo(404);

        try (HealthServer withMetrics = HealthServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), now::get,
                () -> "# TYPE etrms_x gauge\netrms_x 1.0\n")) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + withMetrics.port() + "/metrics"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
            assertThat(response.body()).isEqualTo("# TYPE etrms_x gauge\netrms_x 1.0\n");
        }
    }
}
