package io.etrms.ingest;

import io.etrms.model.EtrmsConfig;
import io.etrms.model.KafkaReachability;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The connection and configuration flags every {@link IngestCli} subcommand shares (a picocli mixin). */
final class KafkaOptions {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Properties file: Kafka client settings and etrms.* keys (see README).")
    Path configFile;

    @Option(names = {"-b", "--bootstrap-servers"}, paramLabel = "HOST:PORT[,...]",
            description = "Kafka bootstrap servers (default localhost:9092, or KAFKA_BOOTSTRAP_SERVERS).")
    String bootstrapServers;

    @Option(names = "--topic-prefix", paramLabel = "PREFIX", description = "Topic name prefix (default etrms.).")
    String topicPrefix;

    @Option(names = {"-D", "--set"}, paramLabel = "KEY=VALUE",
            description = "Any configuration key, e.g. -D etrms.ingest.http.port=9001 or -D security.protocol=SSL.")
    Map<String, String> properties = new LinkedHashMap<>();

    /** Defaults, then the file, then the environment, then these flags. */
    EtrmsConfig load(Map<String, String> moreFlags) {
        Map<String, String> flags = new LinkedHashMap<>(properties);
        if (bootstrapServers != null) {
            flags.put(EtrmsConfig.BOOTSTRAP_SERVERS, bootstrapServers);
        }
        if (topicPrefix != null) {
            flags.put(EtrmsConfig.TOPIC_PREFIX, topicPrefix);
        }
        flags.putAll(moreFlags);
        return IngestConfig.load(configFile, System.getenv(), flags);
    }

    /**
     * {@link #load}, then waits until Kafka answers: a command that cannot reach it ends within
     * {@link KafkaReachability#DEFAULT_TIMEOUT} with "cannot reach Kafka at HOST:PORT" (exit 1).
     */
    EtrmsConfig connect(Map<String, String> moreFlags) {
        EtrmsConfig config = load(moreFlags);
        KafkaReachability.require(config, KafkaReachability.DEFAULT_TIMEOUT);
        return config;
    }
}
