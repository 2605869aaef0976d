package io.etrms.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etrms.model.DeadLetter;
import io.etrms.model.Fill;
import io.etrms.model.Json;
import io.etrms.model.PriceTick;
import io.etrms.model.Topics;
import io.etrms.model.Transfer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class IngestProducerTest {

    private static final long T = 1_764_000_000_000L;
    private final Topics topics = new Topics("test.", 3);

    private static MockProducer<String, byte[]> mockProducer(boolean autoComplete) {
        return new MockProducer<>(autoComplete, null, new StringSerializer(), new ByteArraySerializer());
    }

    @Test
    void shouldSendEachRecordToItsTopicUnderItsKey() {
        MockProducer<String, byte[]> mock = mockProducer(true);
        IngestProducer producer = new IngestProducer(mock, topics);
        Fill fill = new Fill("f-1", "main", "binance", "BTC/USDT:USDT", "buy", new BigDecimal("0.5"), new BigDecimal("65000.5"), new BigDecimal("13"), T);
        PriceTick tick = new PriceTick("coinbase", "ETH/USDT", new BigDecimal("3200.25"), T);
        Transfer transfer = new Transfer("t-1", "main", "binance", new BigDecimal("-250.5"), T);

        producer.send(InputRecord.of(fill));
        producer.send(InputRecord.of(tick));
        producer.send(InputRecord.of(transfer));

        List<ProducerRecord<String, byte[]>> sent = mock.history();
        assertThat(sent).extracting(ProducerRecord::topic).containsExactly("test.fills", "test.prices", "test.transfers");
        assertThat(sent).extracting(ProducerRecord::key).containsExactly("binance|BTC/USDT:USDT", "coinbase|ETH/USDT", "main");
        assertThat(sent).extracting(ProducerRecord::timestamp).containsOnlyNulls();
        assertThat(new String(sent.get(0).value(), StandardCharsets.UTF_8)).isEqualTo(
                "{\"fill_id\":\"f-1\",\"account\":\"main\",\"exchange\":\"binance\",\"symbol\":\"BTC/USDT:USDT\",\"side\":\"buy\","
                        + "\"quantity\":0.5,\"price\":65000.5,\"fee\":13,\"timestamp\":1764000000000}");
        assertThat(topics.prices.valueSerde().deserialize("test.prices", sent.get(1).value())).isEqualTo(tick);
        assertThat(topics.transfers.valueSerde().deserialize("test.transfers", sent.get(2).value())).isEqualTo(transfer);
    }

    @Test
    void shouldRefuseAnInvalidRecordWithEveryProblemAndSendNothing() {
        MockProducer<String, byte[]> mock = mockProducer(true);
        IngestProducer producer = new IngestProducer(mock, topics);
        Fill bad = new Fill("f-2", "main", "binance", "ETH/USDT", "hold", BigDecimal.ZERO, new BigDecimal("3200"), new BigDecimal("-1"), T);

        assertThatThrownBy(() -> producer.send(InputRecord.of(bad)))
                .isInstanceOfSatisfying(InvalidRecordException.class, e -> assertThat(e.problems()).containsExactly(
                        "unknown side 'hold' (buy or sell)", "quantity must be > 0, was 0", "fee must be >= 0, was -1"));
        assertThat(mock.history()).isEmpty();
    }

    @Test
    void shouldSendADeadLetterUnderTheOriginalKey() throws Exception {
        MockProducer<String, byte[]> mock = mockProducer(true);
        IngestProducer producer = new IngestProducer(mock, topics);
        DeadLetter letter = new DeadLetter("examples/fills.jsonl", null, 7L, "missing field price", "{\"fill_id\":\"x\"}", T);

        producer.sendDeadLetter("binance|BTC/USDT:USDT", letter);

        ProducerRecord<String, byte[]> sent = mock.history().get(0);
        assertThat(sent.topic()).isEqualTo("test.dead-letters");
        assertThat(sent.key()).isEqualTo("binance|BTC/USDT:USDT");
        assertThat(Json.MAPPER.readTree(sent.value()).toString()).isEqualTo(
                "{\"source_topic\":\"examples/fills.jsonl\",\"offset\":7,\"error\":\"missing field price\","
                        + "\"payload\":\"{\\\"fill_id\\\":\\\"x\\\"}\",\"timestamp\":1764000000000}");
    }

    @Test
    void shouldCompleteOnlyWhenKafkaAcknowledgesAndFailWhenItRefuses() {
        MockProducer<String, byte[]> mock = mockProducer(false);
        IngestProducer producer = new IngestProducer(mock, topics);
        PriceTick tick = new PriceTick("binance", "SOL/USDT", new BigDecimal("150"), T);

        CompletableFuture<RecordMetadata> accepted = producer.send(InputRecord.of(tick));
        CompletableFuture<RecordMetadata> refused = producer.send(InputRecord.of(tick));
        assertThat(accepted).isNotDone();

        mock.completeNext();
        mock.errorNext(new RecordTooLargeException("too large"));

        assertThat(accepted).isCompleted();
        assertThat(accepted.join().topic()).isEqualTo("test.prices");
        assertThat(refused).isCompletedExceptionally();
        assertThatThrownBy(refused::join).hasCauseInstanceOf(RecordTooLargeException.class);
    }
}
