package io.etrms.gateway;

import static org.awaitility.Awaitility.await;

import io.etrms.gateway.fanout.Channel;
import io.etrms.model.Topics;
import io.etrms.testing.KafkaCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Starts gateways on free ports against the test broker and talks HTTP to them. */
final class TestGateways {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private TestGateways() {
    }

    /** A ready gateway on a free port of 127.0.0.1. */
    static GatewayServer start(KafkaCluster kafka, Topics topics, Map<String, String> more) {
        Map<String, String> settings = new HashMap<>(Map.of(GatewaySettings.HTTP_PORT, "0", GatewaySettings.HTTP_HOST, "127.0.0.1"));
        settings.putAll(more);
        GatewayServer gateway = GatewayServer.start(kafka.config(topics, settings));
        await().atMost(Duration.ofSeconds(30)).until(gateway::isReady);
        return gateway;
    }

    /** Waits until the gateway registered {@code count} connections on {@code channel} (the client sees 101 a little earlier). */
    static void awaitConnections(GatewayServer gateway, Channel channel, int count) {
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.metrics().channel(channel).connections().get() == count);
    }

    static URI ws(GatewayServer gateway, String pathAndQuery) {
        return URI.create("ws://127.0.0.1:" + gateway.port() + "/api/v1/ws/" + pathAndQuery);
    }

    static URI http(GatewayServer gateway, String path) {
        return URI.create("http://127.0.0.1:" + gateway.port() + path);
    }

    static HttpResponse<String> get(GatewayServer gateway, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(http(gateway, path)).timeout(Duration.ofSeconds(30)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(GatewayServer gateway, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(http(gateway, path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Any method; a body (JSON) or null. */
    static HttpResponse<String> request(GatewayServer gateway, String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(http(gateway, path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
