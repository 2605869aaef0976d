package io.etrms.ingest;

import io.etrms.model.BuildInfo;
import io.etrms.model.EtrmsConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code etrms-ingest serve}: runs the {@link IngestServer} until Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class, sortOptions = false,
        description = {
                "Serves HTTP ingest: POST /api/v1/ingest/{fills,prices,transfers,position-snapshots} with one JSON object, an array, or NDJSON.",
                "202 once Kafka acknowledged every record; 400 with the reason of every rejected item (nothing of that batch "
                        + "is ingested); 413 over the body or item limit. Also GET /healthz and GET /metrics."},
        footer = {"", "Example:",
                "  etrms-ingest serve --port 8001 &",
                "  curl -X POST localhost:8001/api/v1/ingest/prices -H 'Content-Type: application/json' \\",
                "       -d '{\"exchange\":\"binance\",\"symbol\":\"BTC/USDT:USDT\",\"price\":65000.5,\"timestamp\":1763971200000}'"})
final class ServeCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "HTTP port (default 8001; etrms.ingest.http.port).")
    Integer port;

    @Option(names = "--host", paramLabel = "HOST", description = "Interface to listen on (default 0.0.0.0).")
    String host;

    @Option(names = "--max-body-bytes", paramLabel = "N", description = "Largest request body (default 1048576).")
    Long maxBodyBytes;

    @Override
    public Integer call() throws Exception {
        Map<String, String> flags = new LinkedHashMap<>();
        if (port != null) {
            flags.put(IngestConfig.HTTP_PORT, port.toString());
        }
        if (host != null) {
            flags.put(IngestConfig.HTTP_HOST, host);
        }
        if (maxBodyBytes != null) {
            flags.put(IngestConfig.HTTP_MAX_BODY_BYTES, maxBodyBytes.toString());
        }
        EtrmsConfig config = kafka.connect(flags);
        IngestServer server = IngestServer.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "etrms-serve-shutdown"));
        server.join();
        return 0;
    }
}
