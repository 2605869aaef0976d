package io.etrms.cluster;

import io.etrms.model.AccountUpdate;
import io.etrms.model.EtrmsConfig;
import io.etrms.model.Topics;
import io.etrms.streams.account.AccountSettings;
import io.etrms.streams.account.AccountTopology;
import io.etrms.streams.common.DeadLetterCounts;
import io.etrms.streams.common.DeadLetterHandler;
import io.etrms.streams.instrument.InstrumentSettings;
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
 * The clean run: the production topologies ({@link InstrumentTopology}, then {@link AccountTopology}
 * on what stage 1 sent), built from the same settings records as {@code StreamsApp} builds them,
 * in {@link TopologyTestDriver}, one record at a time in the data set's order, no crash, no broker,
 * no concurrency. What a multi-process run with crashes must agree with.
 *
 * <p>One setting differs: the snapshot intervals are 0, so that every record's snapshots and every
 * mark's re-marked positions are published. The intervals conflate by the wall clock, which a
 * clean run does not reproduce; the last value of every key and every position's fill history,
 * which is what runs are compared on, do not depend on them.
 */
public final class ReferenceRun {

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

    /** With the default settings. */
    public static Result run(DataSet data, boolean keepHistory) {
        return run(data, EtrmsConfig.of(Map.of()), keepHistory);
    }

    /** Runs {@code data} (its limits first, closing ticks last) through both stages and summarizes what they published. */
    public static Result run(DataSet data, EtrmsConfig config, boolean keepHistory) {
        Topics topics = Topics.defaults();
        OutputSummary summary = new OutputSummary(keepHistory);
        Map<String, List<String>> alerts = new LinkedHashMap<>();
        Path stateDir = tempDir();
        AccountSettings accountSettings = AccountSettings.from(config).withSnapshotIntervals(Duration.ZERO, Duration.ZERO);
        try (TopologyTestDriver stage1 = new TopologyTestDriver(
                new InstrumentTopology(topics, InstrumentSettings.from(config)).buildTopology(), properties("reference-instrument", stateDir));
             TopologyTestDriver stage2 = new TopologyTestDriver(
                     new AccountTopology(topics, accountSettings).buildTopology(), properties("reference-account", stateDir))) {
            Instant start = Instant.ofEpochMilli(System.currentTimeMillis());
            TestInputTopic<String, byte[]> fills = stage1.createInputTopic(topics.fills.name(), new StringSerializer(), new ByteArraySerializer(), start, Duration.ofMillis(1));
            TestInputTopic<String, byte[]> prices = stage1.createInputTopic(topics.prices.name(), new StringSerializer(), new ByteArraySerializer(), start, Duration.ofMillis(1));
            TestOutputTopic<String, AccountUpdate> updatesOut = stage1.createOutputTopic(topics.accountUpdates.name(), new StringDeserializer(),
                    topics.accountUpdates.valueSerde());
            TestInputTopic<String, AccountUpdate> updatesIn = stage2.createInputTopic(topics.accountUpdates.name(), new StringSerializer(),
                    topics.accountUpdates.valueSerde(), start, Duration.ofMillis(1));
            TestInputTopic<String, byte[]> transfers = stage2.createInputTopic(topics.transfers.name(), new StringSerializer(), new ByteArraySerializer(), start, Duration.ofMillis(1));
            TestOutputTopic<String, String> positionsOut = stage2.createOutputTopic(topics.positions.name(), new StringDeserializer(), new StringDeserializer());
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
                // Every copy of a multicast mark, as each partition gets one (stage 2 applies a copy it has as nothing).
                for (KeyValue<String, AccountUpdate> update : updatesOut.readKeyValuesToList()) {
                    updatesIn.pipeInput(update.key, update.value);
                }
                for (KeyValue<String, String> position : positionsOut.readKeyValuesToList()) {
                    summary.position(position.key, position.value);
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
        DeadLetterHandler.configure(props, Topics.defaults().deadLetters.name(), new DeadLetterCounts());
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
