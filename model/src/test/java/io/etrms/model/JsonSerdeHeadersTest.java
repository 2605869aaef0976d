package io.etrms.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;

/** Every value the serde writes through the headers-aware call carries content-type and schema version, once. */
class JsonSerdeHeadersTest {

    private static final PriceTick TICK = new PriceTick("binance", "BTC/USDT:USDT", new BigDecimal("65000.5"), 1_763_971_200_000L);

    @Test
    void shouldLabelEveryValueWithContentTypeAndSchemaVersion() {
        Headers headers = new RecordHeaders();

        byte[] bytes = JsonSerde.of(PriceTick.class).serialize("etrms.prices", headers, TICK);

        assertThat(new String(bytes, StandardCharsets.UTF_8))
                .isEqualTo("{\"exchange\":\"binance\",\"symbol\":\"BTC/USDT:USDT\",\"price\":65000.5,\"timestamp\":1763971200000}");
        assertThat(texts(headers)).containsExactly("content-type=application/json", "etrms-schema-version=1");
    }

    @Test
    void shouldReplaceHeadersAlreadyThereAndLeaveOthers() {
        Headers headers = new RecordHeaders().add("content-type", "text/plain".getBytes(StandardCharsets.UTF_8))
                .add("trace", "t-1".getBytes(StandardCharsets.UTF_8))
                .add("etrms-schema-version", "7".getBytes(StandardCharsets.UTF_8));

        JsonSerde.of(PriceTick.class, 2).serialize("etrms.prices", headers, TICK);

        assertThat(texts(headers)).containsExactly("trace=t-1", "content-type=application/json", "etrms-schema-version=2");
    }

    @Test
    void shouldLabelNothingForATombstone() {
        Headers headers = new RecordHeaders();

        assertThat(JsonSerde.of(PriceTick.class).serialize("etrms.prices", headers, null)).isNull();
        assertThat(headers.toArray()).isEmpty();
    }

    @Test
    void shouldLabelWhatKafkaStreamsWritesThroughTheSerde() {
        // Kafka Streams' record collector serializes with the record's headers, which it carries
        // over from the input: the input's own content-type must not survive next to ours.
        Topics topics = Topics.defaults();
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("in", Consumed.with(Serdes.String(), topics.prices.valueSerde()))
                .to("out", Produced.with(Serdes.String(), topics.prices.valueSerde()));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build())) {
            TestInputTopic<String, String> in = driver.createInputTopic("in", Serdes.String().serializer(), Serdes.String().serializer());
            TestOutputTopic<String, byte[]> out = driver.createOutputTopic("out", Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
            in.pipeInput(new org.apache.kafka.streams.test.TestRecord<>("binance|BTC/USDT:USDT", Json.write(TICK),
                    new RecordHeaders().add("content-type", "text/plain".getBytes(StandardCharsets.UTF_8))));

            assertThat(texts(out.readRecord().headers())).containsExactly("content-type=application/json", "etrms-schema-version=1");
        }
    }

    private static List<String> texts(Headers headers) {
        return java.util.Arrays.stream(headers.toArray()).map((Header h) -> h.key() + "=" + new String(h.value(), StandardCharsets.UTF_8)).toList();
    }
}
