package io.etrms.bench;

import io.etrms.model.EtrmsConfig;
import io.etrms.model.TopicAdmin;
import io.etrms.model.Topics;
import io.etrms.streams.StreamsApp;
import io.etrms.streams.common.DeadLetterCounts;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The floor under any risk topology of this shape: two Kafka Streams applications with the risk
 * stages' own settings ({@link StreamsApp#streamsProperties}) and no risk logic. Stage A reads
 * fills and prices, puts each record into a cached in-memory store with a changelog and forwards
 * it, once, to an internal topic; stage B reads that topic and transfers, puts each record into its
 * own store and forwards every third one to an output topic. Keys and values are copied as bytes;
 * nothing is parsed. The risk topology writes more than this for stage 2 (a tick is one record
 * per partition holding its instrument, 2.3–2.5 per input here), so what the floor reaches no
 * topology of this shape can reach on the same machine.
 */
final class StreamsFloor implements AutoCloseable {

    static final String STORE = "floor-store";
    /** Stage B forwards one record in this many: the risk topology writes 0.28–0.37 output records per input. */
    static final int OUTPUT_EVERY = 3;

    private final List<KafkaStreams> stages;

    private StreamsFloor(List<KafkaStreams> stages) {
        this.stages = stages;
    }

    static String internalTopic(Topics topics) {
        return topics.prefix() + "floor-internal";
    }

    static String outputTopic(Topics topics) {
        return topics.prefix() + "floor-output";
    }

    /** Creates the floor's two topics and starts stage A ({@code <appId>-a}) and stage B ({@code <appId>-b}). */
    static StreamsFloor start(EtrmsConfig config, String appId, Topics topics, int partitions) {
        try (Admin admin = Admin.create(TopicAdmin.adminConfig(config.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(internalTopic(topics), partitions, (short) 1),
                    new NewTopic(outputTopic(topics), partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the floor's topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create the floor's topics", e);
        }
        KafkaStreams a = new KafkaStreams(copying(List.of(topics.fills.name(), topics.prices.name()), internalTopic(topics), 1),
                StreamsApp.streamsProperties(config, appId + "-a", topics, new DeadLetterCounts()));
        KafkaStreams b = new KafkaStreams(copying(List.of(internalTopic(topics), topics.transfers.name()), outputTopic(topics), OUTPUT_EVERY),
                StreamsApp.streamsProperties(config, appId + "-b", topics, new DeadLetterCounts()));
        a.start();
        b.start();
        return new StreamsFloor(List.of(a, b));
    }

    /** Sources {@code inputs}, puts every record into {@link #STORE}, forwards one in {@code every} to {@code output}. */
    static Topology copying(List<String> inputs, String output, int every) {
        Topology topology = new Topology();
        topology.addSource("inputs", Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(), inputs.toArray(String[]::new));
        topology.addProcessor("copy", () -> new StoreAndForward(every), "inputs");
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(STORE), Serdes.ByteArray(), Serdes.ByteArray())
                .withCachingEnabled(), "copy");
        topology.addSink("output", output, Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer(), "copy");
        return topology;
    }

    boolean isRunning() {
        return stages.stream().allMatch(s -> s.state() == KafkaStreams.State.RUNNING);
    }

    @Override
    public void close() {
        for (KafkaStreams s : stages) {
            s.close(Duration.ofSeconds(30));
        }
    }

    private static final class StoreAndForward implements Processor<byte[], byte[], byte[], byte[]> {
        private final int every;
        private ProcessorContext<byte[], byte[]> context;
        private KeyValueStore<byte[], byte[]> store;
        private long seen;

        StoreAndForward(int every) {
            this.every = every;
        }

        @Override
        public void init(ProcessorContext<byte[], byte[]> context) {
            this.context = context;
            this.store = context.getStateStore(STORE);
        }

        @Override
        public void process(Record<byte[], byte[]> record) {
            if (record.key() != null) {
                store.put(record.key(), record.value());
            }
            if (seen++ % every == 0) {
                context.forward(record);
            }
        }
    }
}
