package io.etrms.streams.metrics;

import io.etrms.model.Alert;
import io.etrms.model.ServiceMetrics;
import io.etrms.model.TradingState;
import io.etrms.streams.common.DeadLetterCounts;
import io.etrms.streams.common.DeadLetterReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The topology's own meters of one stage, registered when the stage is built, so that every
 * series exists from start:
 * <ul>
 *   <li>{@code etrms_dead_letters_total{source_topic,reason}} (from the stage's {@link DeadLetterCounts});</li>
 *   <li>{@code etrms_breaker_trips_total{condition,action}} and {@code etrms_alerts_total{type}} (stage 2);</li>
 *   <li>{@code etrms_accounts{trading_state}}: accounts of this instance's stage-2 tasks by state;</li>
 *   <li>{@code etrms_processing_latency_seconds{stage}}: a record's event time to the moment the stage
 *       sent what it produced (a replay of old data shows its age here).</li>
 * </ul>
 * Thread-safe: a stage's stream threads share it.
 */
public final class StageMetrics {

    private final DeadLetterCounts deadLetters = new DeadLetterCounts();
    private final Timer latency;
    private final Map<String, Counter> trips = new ConcurrentHashMap<>();
    private final Map<String, Counter> alerts = new ConcurrentHashMap<>();
    private final MeterRegistry registry;
    /** Per task, its accounts by trading state (a task reports its own; the gauge sums them). */
    private final Map<Object, int[]> accountStates = new ConcurrentHashMap<>();

    /**
     * @param stage        {@code instrument} or {@code account}
     * @param sourceTopics the topics whose records the stage may dead-letter
     */
    public StageMetrics(MeterRegistry registry, String stage, List<String> sourceTopics) {
        this.registry = registry;
        for (String topic : sourceTopics) {
            for (DeadLetterReason reason : DeadLetterReason.values()) {
                FunctionCounter.builder("etrms.dead.letters", deadLetters, c -> c.count(topic, reason))
                        .description("records set aside on dead-letters, by the topic they came from and why")
                        .tags("source_topic", topic, "reason", reason.label()).register(registry);
            }
        }
        latency = Timer.builder("etrms.processing.latency").description("event time of a record to the stage's publication of it")
                .tag("stage", stage).serviceLevelObjectives(ServiceMetrics.LATENCY_BUCKETS).register(registry);
        if ("account".equals(stage)) {
            for (String condition : Alert.CONDITIONS) {
                trips(condition, defaultAction(condition));
            }
            trips(Alert.MANUAL, Alert.ACTION_HALT);
            trips(Alert.MANUAL, Alert.ACTION_REDUCE_ONLY);
            alerts(Alert.TRIPPED);
            alerts(Alert.CLEARED);
            for (String state : List.of(TradingState.ACTIVE, TradingState.REDUCE_ONLY, TradingState.HALTED)) {
                int index = index(state);
                Gauge.builder("etrms.accounts", accountStates, m -> m.values().stream().mapToInt(c -> c[index]).sum())
                        .description("accounts of this instance's tasks by trading state").tag("trading_state", state).register(registry);
            }
        }
    }

    /** Meters nobody scrapes (tests, the reference run). */
    public static StageMetrics unregistered(String stage) {
        return new StageMetrics(new SimpleMeterRegistry(), stage, List.of());
    }

    public DeadLetterCounts deadLetters() {
        return deadLetters;
    }

    /** A record of event time {@code eventTime} was published at {@code wallNow}. */
    public void published(long eventTime, long wallNow) {
        latency.record(Duration.ofMillis(Math.max(0, wallNow - eventTime)));
    }

    /** An alert was published. */
    public void alert(Alert alert) {
        alerts(alert.type()).increment();
        if (Alert.TRIPPED.equals(alert.type())) {
            trips(alert.conditionName(), alert.action()).increment();
        }
    }

    /** A task's accounts by trading state now (a closed task reports null). */
    public void accountStates(Object task, Map<String, Integer> byState) {
        if (byState == null) {
            accountStates.remove(task);
            return;
        }
        int[] counts = new int[3];
        byState.forEach((state, n) -> counts[index(state)] += n);
        accountStates.put(task, counts);
    }

    /** One account of {@code task} moved from one trading state to another. */
    public void accountMoved(Object task, String from, String to) {
        accountStates.compute(task, (t, counts) -> {
            int[] c = counts == null ? new int[3] : counts;
            if (from != null) {
                c[index(from)]--;
            }
            c[index(to)]++;
            return c;
        });
    }

    private Counter trips(String condition, String action) {
        return trips.computeIfAbsent(condition + "|" + action, k -> Counter.builder("etrms.breaker.trips")
                .description("circuit breakers tripped, by condition and action").tags("condition", condition, "action", action)
                .register(registry));
    }

    private Counter alerts(String type) {
        return alerts.computeIfAbsent(type, k -> Counter.builder("etrms.alerts").description("alerts published, by type")
                .tag("type", type).register(registry));
    }

    private static String defaultAction(String condition) {
        return switch (condition) {
            case Alert.MAX_DRAWDOWN, Alert.DAILY_LOSS -> Alert.ACTION_HALT;
            case Alert.STALE_PRICE -> Alert.ACTION_ALERT_ONLY;
            default -> Alert.ACTION_REDUCE_ONLY;
        };
    }

    private static int index(String state) {
        return switch (state) {
            case TradingState.HALTED -> 2;
            case TradingState.REDUCE_ONLY -> 1;
            default -> 0;
        };
    }
}
