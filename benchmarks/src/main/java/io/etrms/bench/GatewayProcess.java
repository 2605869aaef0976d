package io.etrms.bench;

import io.etrms.gateway.GatewayServer;
import io.etrms.model.EtrmsConfig;
import java.util.Map;

/**
 * The ws-gateway alone in its own JVM, so the fan-out benchmark measures its memory without the
 * broker or the clients in the same process. Arguments: bootstrap servers, topic prefix. Prints
 * {@code READY <port>} once caught up; exits when its stdin closes. Every client of the benchmark
 * comes from 127.0.0.1, so the per-address caps (which a real deployment keeps) are lifted.
 */
public final class GatewayProcess {

    private GatewayProcess() {
    }

    public static void main(String[] args) throws Exception {
        EtrmsConfig config = EtrmsConfig.of(Map.of(
                EtrmsConfig.BOOTSTRAP_SERVERS, args[0],
                EtrmsConfig.TOPIC_PREFIX, args[1],
                "etrms.http.port", "0",
                "etrms.http.host", "127.0.0.1",
                "etrms.http.max.connections", "1000000",
                "etrms.http.max.connections.per.ip", "1000000",
                "etrms.gateway.max.websockets", "1000000",
                "etrms.gateway.max.websockets.per.ip", "1000000"));
        try (GatewayServer gateway = GatewayServer.start(config)) {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!gateway.isReady() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            System.out.println("READY " + gateway.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // runs until the benchmark closes our stdin
            }
        }
        System.exit(0);
    }
}
