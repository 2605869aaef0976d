package io.etrms.streams;

import io.etrms.model.EtrmsConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the risk topology on its own against any Kafka cluster. */
@Command(name = "etrms-streams", mixinStandardHelpOptions = true,
        description = "ETRMS risk topology (Kafka Streams): fills and prices in; positions, accounts, risk metrics out.")
public final class StreamsMain implements Callable<Integer> {

    @Option(names = "--config", description = "Properties file (keys as in docs/configuration.md).")
    Path configFile;

    @Option(names = "--bootstrap-servers", description = "Kafka bootstrap servers (default localhost:9092).")
    String bootstrapServers;

    @Option(names = "--state-dir", description = "Kafka Streams state directory.")
    String stateDir;

    @Option(names = "-D", description = "Any setting, key=value (repeatable).", mapFallbackValue = "")
    Map<String, String> settings = new LinkedHashMap<>();

    public static void main(String[] args) {
        System.exit(new CommandLine(new StreamsMain()).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        Map<String, String> flags = new LinkedHashMap<>(settings);
        flags.put(EtrmsConfig.BOOTSTRAP_SERVERS, bootstrapServers);
        flags.put(StreamsApp.STATE_DIR, stateDir);
        EtrmsConfig config = EtrmsConfig.load(StreamsApp.defaults(), configFile, System.getenv(), flags);
        CountDownLatch stopped = new CountDownLatch(1);
        StreamsApp app = StreamsApp.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "etrms-streams-shutdown"));
        stopped.await();
        return 0;
    }
}
