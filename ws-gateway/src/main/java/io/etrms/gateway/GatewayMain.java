package io.etrms.gateway;

import io.etrms.model.BuildInfo;
import io.etrms.model.EtrmsConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the gateway on its own against any Kafka cluster:
 * {@code java -cp ... io.etrms.gateway.GatewayMain --bootstrap-servers kafka:9092 --port 8000}.
 * Configuration layers as in {@link EtrmsConfig}: defaults, {@code --config} file,
 * {@code KAFKA_*}/{@code ETRMS_*} environment, then these flags. Stops gracefully on SIGTERM/Ctrl-C.
 */
@Command(name = "etrms-gateway", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
        description = "ETRMS WebSocket and REST gateway: relays the output topics to clients.")
public final class GatewayMain implements Callable<Integer> {

    @Option(names = "--config", description = "properties file with settings (see ws-gateway/README.md)")
    Path configFile;

    @Option(names = "--bootstrap-servers", description = "Kafka bootstrap servers (default localhost:9092)")
    String bootstrapServers;

    @Option(names = "--port", description = "HTTP port (default 8000, 0 = any free port)")
    Integer port;

    @Option(names = "--topic-prefix", description = "topic name prefix (default etrms.)")
    String topicPrefix;

    @Option(names = "--default-account", description = "account served when a client names none (default main)")
    String defaultAccount;

    @Option(names = {"-D", "--set"}, description = "any setting, e.g. -D etrms.auth.enabled=true")
    Map<String, String> settings = new HashMap<>();

    public static void main(String[] args) {
        System.exit(new CommandLine(new GatewayMain()).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        Map<String, String> flags = new HashMap<>(settings);
        flags.put(EtrmsConfig.BOOTSTRAP_SERVERS, bootstrapServers);
        flags.put(GatewaySettings.HTTP_PORT, port == null ? null : port.toString());
        flags.put(EtrmsConfig.TOPIC_PREFIX, topicPrefix);
        flags.put(GatewaySettings.DEFAULT_ACCOUNT, defaultAccount);
        EtrmsConfig config = EtrmsConfig.load(GatewaySettings.defaults(), configFile, System.getenv(), flags);
        CountDownLatch stopped = new CountDownLatch(1);
        GatewayServer gateway = GatewayServer.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            stopped.countDown();
        }, "etrms-gateway-shutdown"));
        stopped.await();
        return 0;
    }
}
