package io.etrms.cluster;

import io.etrms.model.Topics;
import io.etrms.streams.account.AccountTopology;
import io.etrms.streams.instrument.InstrumentTopology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * The clean run: the production topologies ({@link InstrumentTopology}, then
 * {@link AccountTopology} on what stage 1 published) in {@link TopologyTestDriver}, one record at a
 * time in the data set's order, no crash, no broker, no concurrency. What a multi-process run with
 * crashes must agree with.
 */
public final class ReferenceRun {

    /** The volatility window and de-duplication retention of the production defaults. */
    public static final Duration VOLATILITY_WINDOW = Duration.ofSeconds(60);
    public static final Duration DEDUP_RETENTION = Duration.ofHours(168);

    private ReferenceRun() {
    }

    /**
     * What the clean run published.
     *
     * @param summary positions and accounts
     * @param alerts  every {@code alerts} value per account (the key), in order, as published
     */
    public record Result(OutputSummary summary, Map<String, List<String>> alerts) {
    }

    /** Runs {@code data} (its limits first, closing ticks last) through both stages and summarizes what they published. */
    public static Result run(DataSet data, boolean keepHistory) {
        Topics topics = Topics.defaults();
        OutputSummary summary = new OutputSummary(keepHistory);
        Map<String, List<String>> alerts = new LinkedHashMap<>();
        Path stateDir = tempDir();
        try (TopologyTestDriver stage1 = new TopologyTestDriver(
                new InstrumentTopology(topics, VOLATILITY_WINDOW, DEDUP_RETENTION).buildTopology(), properties("reference-instrument", stateDir));
             TopologyTestDriver stage2 = new TopologyTestDriver(
                     new AccountTopology(topics, DEDUP_RETENTION).buildTopology(), properties("reference-account", stateDir))) {
            Instant start = Instant.ofEpochMilli(System.currentTimeMillis());
            TestInputTopic<String, byte[]> fills = stage1.createInputTopic(topics.fills.name(), new StringSerializer(), new ByteArraySerializer(), start, Duration.ofMillis(1));
            TestInputTopic<String, byte[]> prices = stage1.createInputTopic(topics.prices.name(), new StringSerializer(), new ByteArraySerializer(), start, Duration.ofMillis(1));
            TestOutputTopic<String, String> positionsOut = stage1.createOutputTopic(topics.positions.name(), new StringDeserializer(), new StringDeserializer());
            TestInputTopic<String, byte[]> positionsIn = stage2.createInputTopic(topics.positions.name(), new StringSerializer(), new ByteArraySerializer(), start, Duration.ofMillis(1));
            TestInputTopic<String, byte[]> transfers = stage2.createInputTopic(topics.transfers.name(), new StringSerializer(), new ByteArraySerializer(), start, Duration.ofMillis(1));
            TestOutputTopic<String, String> accountsOut = stage2.createOutputTopic(topics.accounts.name(), new StringDeserializer(), new StringDeserializer());
            TestOutputTopic<String, String> alertsOut = stage2.createOutputTopic(topics.alerts.name(), new StringDeserializer(), new StringDeserializer());
            TestInputTopic<String, byte[]> limits1 = stage1.createInputTopic(topics.riskLimits.name(), new StringSerializer(), new ByteArraySerializer(), start, Duration.ofMillis(1));
            TestInputTopic<String, byte[]> limits2 = stage2.createInputTopic(topics.riskLimits.name(), new StringSerializer(), new ByteArraySerializer(), start, Duration.ofMillis(1));
            for (DataSet.Input limit : data.limits()) {
                limits1.pipeInput(limit.key(), limit.value());
                limits2.pipeInput(limit.key(), limit.value());
            }

            for (DataSet.Input input : data.all()) {
                switch (input.topic()) {
                    case "fills" -> fills.pipeInput(input.key(), input.value());
                    case "prices" -> prices.pipeInput(input.key(), input.value());
                    case "transfers" -> transfers.pipeInput(input.key(), input.value());
                    default -> throw new IllegalArgumentException("unknown input topic " + input.topic());
                }
                for (KeyValue<String, String> position : positionsOut.readKeyValuesToList()) {
                    summary.position(position.key, position.value);
                    positionsIn.pipeInput(position.key, position.value == null ? null : position.value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
                for (KeyValue<String, String> accounts : accountsOut.readKeyValuesToList()) {
                    summary.accounts(accounts.key, accounts.value);
                }
                for (KeyValue<String, String> alert : alertsOut.readKeyValuesToList()) {
                    alerts.computeIfAbsent(alert.key, k -> new ArrayList<>()).add(alert.value);
                }
            }
        } finally {
            deleteRecursively(stateDir);
        }
        return new Result(summary, alerts);
    }

    private static Properties properties(String applicationId, Path stateDir) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "reference-run:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, "0");
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, InMemoryRocksDb.class);
        return props;
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("etrms-reference-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
