package io.etrms.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.etrms.model.Alert;
import io.etrms.model.EtrmsConfig;
import io.etrms.model.Json;
import io.etrms.model.RiskMetricsSnapshot;
import io.etrms.model.Topic;
import io.etrms.model.TopicAdmin;
import io.etrms.model.Topics;
import io.etrms.streams.StreamsApp;
import io.etrms.streams.account.AccountSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Replays a recorded window of fills, prices and transfers through the real risk topology
 * ({@link StreamsApp}, both stages, built from the same configuration as the service) under
 * candidate limits, on temporary topics of their own, and compares what it raised with what the
 * recorded {@code alerts} say happened.
 *
 * <p>Reads from the source prefix: {@code fills}, {@code prices}, {@code transfers} (the records
 * whose value's {@code timestamp} is in [from, to), each partition from its beginning up to the end
 * offset it had when the replay started), {@code risk-limits}, {@code account-groups} and
 * {@code group-limits} (the latest value per key, copied as they are),
 * {@code alerts} (those timestamped in the window) and {@code risk-metrics} (per account the last
 * snapshot before {@code to}). Writes only to {@code whatif-<id>.*} and the topology's internal
 * {@code whatif-<id>-*} topics, which it deletes at the end unless asked to keep them.
 *
 * <p>The settings go first: the source's, then the candidate risk-limits (so a candidate overrides
 * the source's record of its key), before the topology starts; Kafka Streams loads the limits into
 * its global store before it processes any input. Then the window's records are copied to the same
 * partition numbers with the same keys, values and headers, while the topology runs. Each
 * partition keeps its order; across partitions and topics they are interleaved by event time (at
 * equal times transfers first, then fills, then prices). The order the live topology saw came
 * from arrival times, which a replay, arriving all at once, does not have; two things restore it:
 * fills and ticks carry their event time as the Kafka timestamp on topics of their own
 * ({@link #eventTime}), which stage 1 (with {@code max.task.idle.ms=0}) follows; and each run of
 * transfers, which reach stage 2 directly rather than through stage 1, is sent only once the
 * topology has processed everything before it, and what follows only once the transfers are
 * processed.
 *
 * <p>Four settings differ from the service, none changing a figure or a breaker decision:
 * at-least-once (the replay is thrown away if it fails), {@code max.task.idle.ms=0} (above), a
 * commit interval of 10 ms (the waits above look at committed offsets) and snapshot intervals of
 * 0, so that the last snapshot of every account is published at once instead of after a
 * wall-clock interval.
 */
final class WhatIfReplay {

    /** The replayed inputs, in the order used at equal event times. */
    private static final List<String> INPUTS = List.of("transfers", "fills", "prices");
    private static final Duration POLL = Duration.ofMillis(20);

    /**
     * What to replay.
     *
     * @param config     the service configuration (source prefix, Kafka settings, default limits)
     * @param candidates key (account or {@code *}) to its risk-limits value, in file order; a JSON
     *                   null removes the source's record of that key in the replay
     * @param slice      most event time sent before the replay waits for the topology to catch up
     * @param timeout    longest time for the whole replay
     * @param keep       keep the temporary topics
     */
    record Options(EtrmsConfig config, Instant from, Instant to, Map<String, JsonNode> candidates, Duration slice, Duration timeout,
                   boolean keep) {
    }

    private final Options options;
    private final PrintWriter progress;
    private final long deadline;

    WhatIfReplay(Options options, PrintWriter progress) {
        this.options = options;
        this.progress = progress;
        this.deadline = System.nanoTime() + options.timeout().toNanos();
    }

    /** One input record of the window. */
    private record Input(int input, int partition, byte[] key, byte[] value, Headers headers, long timestamp) {
    }

    /** Runs the replay and returns the comparison; temporary topics and state are gone when it returns (unless kept). */
    WhatIfReport run() throws IOException {
        EtrmsConfig config = options.config();
        Topics source = config.topics();
        long from = options.from().toEpochMilli();
        long to = options.to().toEpochMilli();
        String id = UUID.randomUUID().toString().substring(0, 8);
        String appId = "whatif-" + id;
        Path stateDir = Files.createTempDirectory("etrms-whatif-" + id + "-");
        try (Admin admin = Admin.create(config.kafka());
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties(config), new ByteArrayDeserializer(),
                     new ByteArrayDeserializer())) {
            Set<String> existing = get(admin.listTopics().names(), "list topics");
            List<Topic<?>> inputs = List.of(source.transfers, source.fills, source.prices);
            for (Topic<?> topic : inputs) {
                if (!existing.contains(topic.name())) {
                    throw new IllegalStateException("no topic " + topic.name() + " (wrong --prefix?)");
                }
            }
            int partitions = partitionCount(admin, inputs);
            // Every source topic is read up to where it ended when the replay started.
            List<String> read = new ArrayList<>(inputs.stream().map(Topic::name).toList());
            Stream.concat(settingTopics(source).stream(), Stream.of(source.alerts, source.riskMetrics))
                    .map(Topic::name).filter(existing::contains).forEach(read::add);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions(consumer, read));

            // the window, the settings in force, and what happened
            Map<Integer, Map<Integer, ArrayDeque<Input>>> window = new TreeMap<>();
            Map<String, Long> replayed = new LinkedHashMap<>();
            INPUTS.forEach(name -> replayed.put(name, 0L));
            Map<String, long[]> earlier = new TreeMap<>();
            long[] skipped = {0};
            for (int i = 0; i < inputs.size(); i++) {
                int input = i;
                readToEnd(consumer, ends, List.of(inputs.get(i).name()), r -> {
                    JsonNode value = tree(r.value());
                    JsonNode ts = value == null ? null : value.get("timestamp");
                    if (ts == null || !ts.canConvertToLong()) {
                        skipped[0]++;
                        return;
                    }
                    long t = ts.asLong();
                    if (t < from) {
                        if (input < 2 && value.hasNonNull("account")) {
                            earlier.computeIfAbsent(value.get("account").asText(), a -> new long[2])[input == 1 ? 0 : 1]++;
                        }
                    } else if (t < to) {
                        window.computeIfAbsent(input, k -> new TreeMap<>()).computeIfAbsent(r.partition(), k -> new ArrayDeque<>())
                                .add(new Input(input, r.partition(), r.key(), r.value(), r.headers(), t));
                        replayed.merge(INPUTS.get(input), 1L, Long::sum);
                    }
                });
            }
            List<Map<String, byte[]>> settings = new ArrayList<>();
            for (Topic<?> topic : settingTopics(source)) {
                Map<String, byte[]> latest = new LinkedHashMap<>();
                if (existing.contains(topic.name())) {
                    readToEnd(consumer, ends, List.of(topic.name()), r -> {
                        if (r.key() != null) {
                            String key = new String(r.key(), StandardCharsets.UTF_8);
                            latest.remove(key);
                            if (r.value() != null) {
                                latest.put(key, r.value());
                            }
                        }
                    });
                }
                settings.add(latest);
            }
            Map<String, List<WhatIfReport.AlertChange>> actualAlerts = new TreeMap<>();
            if (existing.contains(source.alerts.name())) {
                readToEnd(consumer, ends, List.of(source.alerts.name()), r -> {
                    Alert alert = parse(r.value(), Alert.class);
                    if (alert != null && alert.timestamp() != null && alert.timestamp() >= from && alert.timestamp() < to
                            && alert.account() != null && !WhatIfReport.IGNORED_CONDITIONS.contains(alert.conditionName())) {
                        actualAlerts.computeIfAbsent(alert.account(), a -> new ArrayList<>()).add(WhatIfReport.AlertChange.of(alert));
                    }
                });
            }
            Map<String, RiskMetricsSnapshot> actualStates = new HashMap<>();
            if (existing.contains(source.riskMetrics.name())) {
                readToEnd(consumer, ends, List.of(source.riskMetrics.name()), r -> {
                    RiskMetricsSnapshot s = parse(r.value(), RiskMetricsSnapshot.class);
                    if (s != null && s.account() != null && s.timestamp() != null && s.timestamp() < to && s.riskMetrics() != null) {
                        actualStates.merge(s.account(), s, (a, b) -> b.timestamp() >= a.timestamp() ? b : a);
                    }
                });
            }
            progress.printf("whatif: %d fills, %d prices, %d transfers in the window; replaying on %s.*%n",
                    replayed.get("fills"), replayed.get("prices"), replayed.get("transfers"), appId);
            progress.flush();

            EtrmsConfig replayConfig = config
                    .with(EtrmsConfig.TOPIC_PREFIX, appId + ".")
                    .with(EtrmsConfig.TOPIC_PARTITIONS, Integer.toString(partitions))
                    .with(StreamsApp.APPLICATION_ID, appId)
                    .with(StreamsApp.STATE_DIR, stateDir.toString())
                    .with(StreamsApp.CREATE_TOPICS, "true")
                    .with(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE)
                    .with(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, "0")
                    .with(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "10")
                    .with(StreamsApp.SNAPSHOT_INTERVAL_MS, "0")
                    .with(StreamsApp.MARK_SNAPSHOT_INTERVAL_MS, "0");
            Topics replay = replayConfig.topics();
            Map<String, List<WhatIfReport.AlertChange>> whatIfAlerts = new TreeMap<>();
            Map<String, RiskMetricsSnapshot> whatIfStates = new TreeMap<>();
            java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> outputs = r -> {
                if (r.topic().equals(replay.alerts.name())) {
                    Alert alert = parse(r.value(), Alert.class);
                    if (alert != null && alert.account() != null && !WhatIfReport.IGNORED_CONDITIONS.contains(alert.conditionName())) {
                        whatIfAlerts.computeIfAbsent(alert.account(), a -> new ArrayList<>()).add(WhatIfReport.AlertChange.of(alert));
                    }
                } else {
                    RiskMetricsSnapshot s = parse(r.value(), RiskMetricsSnapshot.class);
                    if (s != null && s.account() != null && s.riskMetrics() != null) {
                        whatIfStates.put(s.account(), s);
                    }
                }
            };
            long deadLetters;
            try {
                TopicAdmin.ensureTopics(admin, List.of(eventTime(replay.fills), eventTime(replay.prices)), replayConfig.replicationFactor());
                TopicAdmin.ensureTopics(admin, replay.all(), replayConfig.replicationFactor());
                // the settings, then the topology, then the window
                Run run = new Run(admin, consumer, replay, appId, outputs);
                try (Copier copier = new Copier(admin, config, replay)) {
                    copier.settings(settings, options.candidates());
                    try (StreamsApp app = StreamsApp.start(replayConfig)) {
                        try {
                            run.watch(app);
                            copier.window(window, options.slice(), run);
                            Duration quiet = AccountSettings.from(replayConfig.withDefaults(StreamsApp.defaults())).punctuation().multipliedBy(2);
                            run.awaitQuiet(quiet);
                        } finally {
                            // leave the groups now (Streams' own close stays a member until the session times out), so they can be deleted
                            for (KafkaStreams stage : app.streams()) {
                                stage.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                                        .withTimeout(Duration.ofSeconds(30)));
                            }
                        }
                    }
                }
                deadLetters = endOffsetSum(admin, replay.deadLetters.name());
            } finally {
                if (!options.keep()) {
                    deleteTemporaryTopics(admin, appId);
                }
            }

            // side by side, for every account the replay saw or that had alerts in the window
            Map<String, WhatIfReport.AccountComparison> accounts = new TreeMap<>();
            Set<String> names = new java.util.TreeSet<>(whatIfStates.keySet());
            names.addAll(whatIfAlerts.keySet());
            names.addAll(actualAlerts.keySet());
            for (String account : names) {
                RiskMetricsSnapshot mine = whatIfStates.get(account);
                RiskMetricsSnapshot theirs = actualStates.get(account);
                accounts.put(account, new WhatIfReport.AccountComparison(
                        new WhatIfReport.Side(whatIfAlerts.getOrDefault(account, List.of()), mine == null ? null : WhatIfReport.FinalState.of(mine)),
                        new WhatIfReport.Side(actualAlerts.getOrDefault(account, List.of()), theirs == null ? null : WhatIfReport.FinalState.of(theirs))));
            }
            Map<String, WhatIfReport.EarlierRecords> earlierRecords = new TreeMap<>();
            earlier.forEach((account, counts) -> earlierRecords.put(account, new WhatIfReport.EarlierRecords(counts[0], counts[1])));
            return new WhatIfReport(source.prefix(), appId + ".", from, to, options.from().toString(), options.to().toString(),
                    options.candidates(), replayed, skipped[0], deadLetters, earlierRecords, WhatIfReport.IGNORED_CONDITIONS, options.keep(), accounts);
        } finally {
            deleteRecursively(stateDir);
        }
    }

    /**
     * The compacted topics the topology reads as settings: copied as they are (the latest value per key),
     * so that the replay runs under the history's limits and groups except where the candidates say otherwise.
     */
    private static List<Topic<?>> settingTopics(Topics topics) {
        return List.of(topics.riskLimits, topics.accountGroups, topics.groupLimits);
    }

    /**
     * The replay's {@code fills} and {@code prices}: their records carry their event time as the
     * Kafka timestamp ({@code CreateTime}, any time accepted, kept until deleted), so that stage 1,
     * with {@code max.task.idle.ms=0} and the whole window there, takes fills and ticks of an
     * instrument in event-time order. On the service's topics the broker's append time decides,
     * which is the arrival order; a replay arrives all at once.
     */
    private static Topic<?> eventTime(Topic<?> topic) {
        Map<String, String> configs = new TreeMap<>(topic.configs());
        configs.put(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "CreateTime");
        configs.put(TopicConfig.RETENTION_MS_CONFIG, "-1");
        configs.put(TopicConfig.MESSAGE_TIMESTAMP_BEFORE_MAX_MS_CONFIG, Long.toString(Long.MAX_VALUE));
        configs.put(TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG, Long.toString(Long.MAX_VALUE));
        return new Topic<>(topic.name(), topic.partitions(), configs, topic.valueSerde());
    }

    /** Writes into the replay's topics; every record acknowledged, and counted where it went. */
    private final class Copier implements AutoCloseable {

        private final Admin admin;
        private final Topics replay;
        private final KafkaProducer<byte[], byte[]> producer;
        private final AtomicReference<Exception> failure = new AtomicReference<>();
        private final Map<TopicPartition, Long> sent = new HashMap<>();
        private final org.apache.kafka.clients.producer.Callback check = (metadata, e) -> {
            if (e != null) {
                failure.compareAndSet(null, e);
            }
        };

        Copier(Admin admin, EtrmsConfig config, Topics replay) {
            this.admin = admin;
            this.replay = replay;
            Map<String, Object> props = new HashMap<>(config.kafka());
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            props.put(ProducerConfig.CLIENT_ID_CONFIG, replay.prefix() + "copy");
            // The topics are fresh: with more in flight, Kafka 4.4's idempotent producer can drop a batch (ingest/README.md)
            props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
            producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        }

        /** The source's settings as they are, then the candidate limits over them. */
        void settings(List<Map<String, byte[]>> settings, Map<String, JsonNode> candidates) {
            List<Topic<?>> topics = settingTopics(replay);
            for (int i = 0; i < topics.size(); i++) {
                String topic = topics.get(i).name();
                settings.get(i).forEach((key, value) -> producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value), check));
            }
            candidates.forEach((key, value) -> producer.send(new ProducerRecord<>(replay.riskLimits.name(), key.getBytes(StandardCharsets.UTF_8),
                    value == null || value.isNull() ? null : Json.write(value).getBytes(StandardCharsets.UTF_8)), check));
            flush();
        }

        /**
         * The window's inputs interleaved by event time, sent so that the topology takes them in
         * that order:
         * <ul>
         *   <li>a fill or tick is sent only once the record before it on the same partition number
         *       of the other market topic is acknowledged, so that stage 1, which takes the lower
         *       timestamp of what it has fetched, never has the later of two without the earlier;</li>
         *   <li>a run of transfers (they go straight to stage 2, the fills' effects through stage 1)
         *       waits until the topology has processed everything sent before it, and what follows
         *       waits until the transfers are processed;</li>
         *   <li>every {@code slice} of event time waits the same way, so that stage 1's tasks,
         *       which work through their partitions at their own pace, are never more than one
         *       slice apart in event time when stage 2 combines an account's instruments (with a
         *       minute, the simulator's first trips came half a minute late; with a second, on time).</li>
         * </ul>
         */
        void window(Map<Integer, Map<Integer, ArrayDeque<Input>>> window, Duration slice, Run run) {
            List<String> names = List.of(replay.transfers.name(), replay.fills.name(), replay.prices.name());
            PriorityQueue<ArrayDeque<Input>> heads = new PriorityQueue<>(Comparator
                    .comparingLong((ArrayDeque<Input> q) -> q.peekFirst().timestamp())
                    .thenComparingInt(q -> q.peekFirst().input())
                    .thenComparingInt(q -> q.peekFirst().partition()));
            window.values().forEach(byPartition -> heads.addAll(byPartition.values()));
            Map<Integer, Integer> lastMarketTopic = new HashMap<>();
            long started = System.nanoTime();
            int waits = 0;
            int last = -1;
            long sliceEnd = Long.MIN_VALUE;
            while (!heads.isEmpty()) {
                ArrayDeque<Input> queue = heads.poll();
                Input in = queue.pollFirst();
                boolean transfer = in.input() == 0;
                if (last >= 0 && (transfer != (last == 0) || in.timestamp() >= sliceEnd)) {
                    flush();
                    run.awaitCaughtUp();
                    waits++;
                    lastMarketTopic.clear();
                }
                if (last < 0 || in.timestamp() >= sliceEnd) {
                    sliceEnd = in.timestamp() + slice.toMillis();
                }
                if (!transfer) {
                    Integer before = lastMarketTopic.put(in.partition(), in.input());
                    if (before != null && before != in.input()) {
                        flush();
                        lastMarketTopic.clear();
                        lastMarketTopic.put(in.partition(), in.input());
                    }
                }
                String topic = names.get(in.input());
                producer.send(new ProducerRecord<>(topic, in.partition(), transfer ? null : in.timestamp(), in.key(), in.value(), in.headers()), check);
                sent.merge(new TopicPartition(topic, in.partition()), 1L, Long::sum);
                last = in.input();
                if (!queue.isEmpty()) {
                    heads.add(queue);
                }
            }
            flush();
            progress.printf("whatif: copied %d records in %d ms, waiting for the topology %d times%n",
                    sent.values().stream().mapToLong(Long::longValue).sum(), Duration.ofNanos(System.nanoTime() - started).toMillis(), waits);
            progress.flush();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            sent.keySet().forEach(p -> latest.put(p, OffsetSpec.latest()));
            get(admin.listOffsets(latest).all(), "read end offsets").forEach((p, end) -> {
                if (end.offset() != sent.get(p)) {
                    throw new IllegalStateException("copied " + sent.get(p) + " records to " + p + " but it holds " + end.offset());
                }
            });
        }

        private void flush() {
            producer.flush();
            if (failure.get() != null) {
                throw new IllegalStateException("could not copy into " + replay.prefix() + "*: " + failure.get().getMessage(), failure.get());
            }
        }

        @Override
        public void close() {
            producer.close(Duration.ofSeconds(30));
        }
    }

    /** Watches the running topology: its progress through the inputs and its outputs. */
    private final class Run {

        private final Admin admin;
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final Map<String, List<String>> groups = new LinkedHashMap<>();
        private final java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> sink;
        private final List<TopicPartition> outputs;
        private StreamsApp app;

        Run(Admin admin, KafkaConsumer<byte[], byte[]> consumer, Topics replay, String appId,
            java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> sink) {
            this.admin = admin;
            this.consumer = consumer;
            this.sink = sink;
            // stage 1 first: once it has committed its inputs, all it sent stage 2 is on account-updates
            groups.put(appId + "-instrument", List.of(replay.fills.name(), replay.prices.name()));
            groups.put(appId + "-account", List.of(replay.accountUpdates.name(), replay.transfers.name(), replay.riskControl.name()));
            outputs = partitions(consumer, List.of(replay.alerts.name(), replay.riskMetrics.name()));
        }

        void watch(StreamsApp app) {
            this.app = app;
            consumer.assign(outputs);
            consumer.seekToBeginning(outputs);
        }

        /** Until both stages have committed every record of their inputs. */
        void awaitCaughtUp() {
            while (!step()) {
                checkDeadline("the replay to catch up");
            }
        }

        /**
         * Until both stages have committed every input (the window and what stage 1 sent stage 2)
         * and no output has come for {@code quiet} (wall-clock breaker checks run every punctuation interval).
         */
        void awaitQuiet(Duration quiet) {
            long lastActivity = System.nanoTime();
            while (true) {
                checkDeadline("the replay to finish");
                int before = polled;
                boolean caughtUp = step();
                if (polled != before || !caughtUp) {
                    lastActivity = System.nanoTime();
                } else if (System.nanoTime() - lastActivity >= quiet.toNanos()) {
                    return;
                }
            }
        }

        private int polled;

        /** One poll of the outputs (the wait between two looks), then whether both stages are caught up. */
        private boolean step() {
            for (KafkaStreams stage : app.streams()) {
                if (stage.state() == KafkaStreams.State.ERROR || stage.state() == KafkaStreams.State.NOT_RUNNING) {
                    throw new IllegalStateException("the replay's topology stopped (" + stage.state() + "); see the log");
                }
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                sink.accept(r);
                polled++;
            }
            for (Map.Entry<String, List<String>> group : groups.entrySet()) {
                if (lag(admin, group.getKey(), group.getValue()) > 0) {
                    return false;
                }
            }
            return true;
        }
    }

    /** The records {@code topic} holds (it was created empty by this replay). */
    private static long endOffsetSum(Admin admin, String topic) {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        get(admin.describeTopics(List.of(topic)).allTopicNames(), "describe " + topic).get(topic).partitions()
                .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        return get(admin.listOffsets(latest).all(), "read end offsets").values().stream().mapToLong(o -> o.offset()).sum();
    }

    /** Records of {@code topics} the group has not committed yet (a partition it never committed counts whole). */
    private long lag(Admin admin, String group, List<String> topics) {
        Map<TopicPartition, OffsetAndMetadata> committed;
        try {
            committed = get(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata(), "read the offsets of " + group);
        } catch (IllegalStateException e) {
            if (!(e.getCause() instanceof org.apache.kafka.common.errors.GroupIdNotFoundException)) {
                throw e;
            }
            committed = Map.of();
        }
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        Map<String, org.apache.kafka.clients.admin.TopicDescription> described = get(admin.describeTopics(topics).allTopicNames(), "describe " + topics);
        described.forEach((name, d) -> d.partitions().forEach(p -> latest.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
        long lag = 0;
        for (var e : get(admin.listOffsets(latest).all(), "read end offsets").entrySet()) {
            OffsetAndMetadata c = committed.get(e.getKey());
            lag += e.getValue().offset() - (c == null ? 0 : c.offset());
        }
        return lag;
    }

    private static int partitionCount(Admin admin, List<Topic<?>> inputs) {
        List<String> names = inputs.stream().map(Topic::name).toList();
        Map<String, Integer> counts = new TreeMap<>();
        get(admin.describeTopics(names).allTopicNames(), "describe " + names)
                .forEach((name, d) -> counts.put(name, d.partitions().size()));
        if (counts.values().stream().distinct().count() != 1) {
            throw new IllegalStateException("the input topics must have one partition count to be replayed alike, have " + counts);
        }
        return counts.values().iterator().next();
    }

    /** Every record of {@code topics} from the beginning up to {@code ends}. */
    private void readToEnd(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends, Collection<String> topics,
                           java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> sink) {
        List<TopicPartition> partitions = ends.keySet().stream().filter(p -> topics.contains(p.topic())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
            checkDeadline("reading " + topics);
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                if (r.offset() < ends.get(new TopicPartition(r.topic(), r.partition()))) {
                    sink.accept(r);
                }
            }
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, Collection<String> topics) {
        List<TopicPartition> out = new ArrayList<>();
        for (String topic : topics) {
            consumer.partitionsFor(topic).forEach(p -> out.add(new TopicPartition(topic, p.partition())));
        }
        return out;
    }

    /** Deletes {@code <appId>.*} and the topology's internal topics ({@code <appId>-*}) and its consumer groups. */
    private void deleteTemporaryTopics(Admin admin, String appId) {
        List<String> temporary = get(admin.listTopics().names(), "list topics").stream()
                .filter(name -> name.startsWith(appId + ".") || name.startsWith(appId + "-")).sorted().toList();
        if (!temporary.isEmpty()) {
            get(admin.deleteTopics(temporary).all(), "delete " + temporary);
        }
        try {
            admin.deleteConsumerGroups(List.of(appId + "-instrument", appId + "-account")).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            progress.println("whatif: could not delete the consumer groups of " + appId + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        progress.printf("whatif: deleted %d temporary topics%n", temporary.size());
        progress.flush();
    }

    private void checkDeadline(String what) {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("timed out after " + options.timeout().toSeconds() + " s waiting for " + what + " (--timeout)");
        }
    }

    private static Map<String, Object> consumerProperties(EtrmsConfig config) {
        Map<String, Object> props = new HashMap<>(config.kafka());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return props;
    }

    private static JsonNode tree(byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(value);
        } catch (IOException e) {
            return null;
        }
    }

    /** The value as {@code type}, or null when it does not parse (the topology dead-lettered it already). */
    private static <T> T parse(byte[] value, Class<T> type) {
        if (value == null) {
            return null;
        }
        try {
            return Json.MAPPER.readValue(value, type);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static <T> T get(KafkaFuture<T> future, String what) {
        try {
            return future.get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + what, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out: " + what, e);
        }
    }

    private static void deleteRecursively(Path dir) {
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
