package io.etrms.streams.common;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Dead letters of one stage by source topic and {@link DeadLetterReason}, counted by the
 * processors' explicit branches and by {@link DeadLetterHandler} (which Kafka Streams creates
 * itself: it finds this object in its configuration). Thread-safe.
 */
public final class DeadLetterCounts {

    /** One counted series. */
    public record Key(String sourceTopic, DeadLetterReason reason) {
    }

    private final Map<Key, LongAdder> counts = new ConcurrentHashMap<>();

    public void record(String sourceTopic, DeadLetterReason reason) {
        counts.computeIfAbsent(new Key(sourceTopic == null ? "unknown" : sourceTopic, reason), k -> new LongAdder()).increment();
    }

    public long count(String sourceTopic, DeadLetterReason reason) {
        LongAdder adder = counts.get(new Key(sourceTopic, reason));
        return adder == null ? 0 : adder.sum();
    }

    public long total() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public Map<Key, Long> snapshot() {
        Map<Key, Long> out = new TreeMap<>(java.util.Comparator.comparing(Key::sourceTopic).thenComparing(Key::reason));
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
