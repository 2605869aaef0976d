package io.etrms.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.etrms.model.Alert;
import io.etrms.model.Json;
import io.etrms.model.RiskMetricsSnapshot;
import io.etrms.model.RiskMetricsSnapshot.ExchangeMetrics;
import io.etrms.model.RiskMetricsSnapshot.RiskMetrics;
import io.etrms.model.RiskMetricsSnapshot.SymbolMetrics;
import io.etrms.model.Topics;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Publishes what the risk topology would: {@code risk-metrics} snapshots and {@code alerts} for
 * one account, each at a fixed rate, straight onto the output topics (the fan-out benchmark
 * measures the gateway, not the topology). Each message is a realistic payload (3 exchanges, 6
 * symbols, about 1.4 KB for risk-metrics) stamped with {@code bench_sent_us}, the wall clock in µs
 * just before it is handed to the producer, as its first field.
 */
public final class SnapshotPublisher {

    private final KafkaProducer<String, byte[]> producer;
    private final Topics topics;
    private final String account;
    private final ObjectNode riskMetrics;
    private final ObjectNode alert;
    private long alertId = System.currentTimeMillis() * 1000;
    private long published;

    public SnapshotPublisher(KafkaProducer<String, byte[]> producer, Topics topics, String account) {
        this.producer = producer;
        this.topics = topics;
        this.account = account;
        this.riskMetrics = stamped(sampleRiskMetrics(account));
        this.alert = stamped(sampleAlert(account));
    }

    public long published() {
        return published;
    }

    /**
     * Publishes {@code perSecond} risk-metrics and {@code perSecond} alerts a second for
     * {@code duration}; blocks until all are acknowledged.
     *
     * @return messages published on each channel
     */
    public long publishFor(Duration duration, double perSecond) throws JsonProcessingException {
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        double interval = 1e9 / perSecond;
        long k = 0;
        while (true) {
            long due = start + (long) (k * interval);
            if (due >= end) {
                break;
            }
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            long now = System.currentTimeMillis();
            riskMetrics.put("timestamp", now);
            riskMetrics.put(FanOutClients.SENT_FIELD, FanOutClients.nowMicros());
            producer.send(new ProducerRecord<>(topics.riskMetrics.name(), account, bytes(riskMetrics)));
            alert.put("alert_id", ++alertId);
            alert.put("timestamp", now);
            alert.put("triggered_at", now / 1000);
            alert.put(FanOutClients.SENT_FIELD, FanOutClients.nowMicros());
            producer.send(new ProducerRecord<>(topics.alerts.name(), account, bytes(alert)));
            published += 2;
            k++;
        }
        producer.flush();
        return k;
    }

    /** {@code value} as a tree whose first field is the stamp (the clients read it from the first bytes of a message). */
    static ObjectNode stamped(Object value) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put(FanOutClients.SENT_FIELD, 0L);
        node.setAll((ObjectNode) Json.MAPPER.valueToTree(value));
        return node;
    }

    private static byte[] bytes(ObjectNode node) throws JsonProcessingException {
        return Json.MAPPER.writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
    }

    static RiskMetricsSnapshot sampleRiskMetrics(String account) {
        Map<String, ExchangeMetrics> exchanges = new TreeMap<>();
        for (String ex : new String[] {"binance", "okx", "bybit"}) {
            exchanges.put(ex, new ExchangeMetrics(new BigDecimal("412345.67"), new BigDecimal("-12345.6"), new BigDecimal("1023456.78"),
                    new BigDecimal("-2345.12"), new BigDecimal("4567.89"), 0.4029));
        }
        Map<String, SymbolMetrics> symbols = new TreeMap<>();
        for (String sym : new String[] {"BTC/USDT:USDT", "ETH/USDT:USDT", "SOL/USDT:USDT", "XRP/USDT:USDT", "DOGE/USDT:USDT", "ADA/USDT:USDT"}) {
            symbols.put(sym, new SymbolMetrics(new BigDecimal("203456.78"), new BigDecimal("103456.7"), new BigDecimal("-1234.56"), 1.2345, -0.876));
        }
        RiskMetrics metrics = new RiskMetrics(new BigDecimal("1237037.01"), new BigDecimal("-37036.8"), new BigDecimal("3070370.34"),
                new BigDecimal("3100000"), 0.956, 2.345, new BigDecimal("6668.31"), new BigDecimal("-1234.5"), 0.4029,
                "ACTIVE", exchanges, symbols);
        return new RiskMetricsSnapshot(RiskMetricsSnapshot.TYPE, account, System.currentTimeMillis(), metrics);
    }

    static Alert sampleAlert(String account) {
        Map<String, Object> context = new TreeMap<>();
        context.put("value", 5.43);
        context.put("threshold", 5.0);
        context.put("current_drawdown", 5.43);
        long now = System.currentTimeMillis();
        return new Alert(Alert.TRIPPED, 1L, account, "max_drawdown", "drawdown 5.43% exceeds 5%", Alert.ANY, Alert.ANY,
                "critical", TimeUnit.MILLISECONDS.toSeconds(now), context, "halt", "published HALT to risk-commands", now);
    }
}
