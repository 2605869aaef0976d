package io.etrms.streams.instrument;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The event-time window of one instrument's ticks (timestamp &gt; last − window), kept as one
 * store entry per tick plus running sums in {@link InstrumentState}, so a tick costs O(1) store
 * writes however long the window is. The ticks are also held in memory per instrument (loaded from
 * the store on first use after each initialisation), so a tick reads nothing back from the store. A return belongs to the window when both its ticks do:
 * evicting the oldest tick removes the return of the tick after it.
 */
public final class VolatilityWindow {

    /** Separates the instrument from the tick position in keys; inputs reject control characters. */
    private static final char SEP = '\u0000';

    private final KeyValueStore<String, TickEntry> ticks;
    private final long windowMs;
    /** Per instrument, the window's ticks in store-key order, loaded from the store on first use. */
    private final Map<String, ArrayDeque<KeyValue<String, TickEntry>>> cache = new HashMap<>();

    public VolatilityWindow(KeyValueStore<String, TickEntry> ticks, long windowMs) {
        this.ticks = ticks;
        this.windowMs = windowMs;
    }

    /** Adds an in-order tick (timestamp ≥ the latest) and returns the instrument's new state. */
    public InstrumentState add(String instrument, InstrumentState state, BigDecimal price, long timestamp) {
        return add(instrument, state, price, timestamp, windowMs);
    }

    /**
     * The same with another window length: the window can change at run time (the {@code *}
     * risk-limits record). A longer window fills up from the ticks that arrive from then on.
     */
    public InstrumentState add(String instrument, InstrumentState state, BigDecimal price, long timestamp, long windowMs) {
        Double logReturn = state.hasTick() ? Math.log(price.doubleValue() / state.price().doubleValue()) : null;
        long sequence = state.tickSequence() + 1;
        ArrayDeque<KeyValue<String, TickEntry>> window = ticksOf(instrument);
        KeyValue<String, TickEntry> added = KeyValue.pair(key(instrument, timestamp, sequence), new TickEntry(price, timestamp, logReturn));
        ticks.put(added.key, added.value);
        window.addLast(added);

        int returns = state.returns();
        double sum = state.sumReturns();
        double squares = state.sumSquares();
        if (logReturn != null) {
            returns++;
            sum += logReturn;
            squares += logReturn * logReturn;
        }

        long cutoff = timestamp - windowMs;
        BigDecimal oldest = price;
        boolean predecessorEvicted = false;
        while (!window.isEmpty()) {
            TickEntry tick = window.peekFirst().value;
            if (predecessorEvicted && tick.logReturn() != null) {
                returns--;
                sum -= tick.logReturn();
                squares -= tick.logReturn() * tick.logReturn();
            }
            if (tick.timestamp() > cutoff) {
                oldest = tick.price();
                break;
            }
            ticks.delete(window.pollFirst().key);
            predecessorEvicted = true;
        }
        if (returns == 0) {
            sum = 0.0;
            squares = 0.0;
        }
        return new InstrumentState(price, timestamp, sequence, returns, sum, squares, oldest, state.lateTicks(),
                state.suspectPrice(), state.suspectTimestamp(), state.suspectOffset(), state.outlierTicks(), state.suspectHeldAt());
    }

    private ArrayDeque<KeyValue<String, TickEntry>> ticksOf(String instrument) {
        ArrayDeque<KeyValue<String, TickEntry>> window = cache.get(instrument);
        if (window == null) {
            window = new ArrayDeque<>();
            try (KeyValueIterator<String, TickEntry> it = ticks.prefixScan(instrument + SEP, new StringSerializer())) {
                it.forEachRemaining(window::addLast);
            }
            cache.put(instrument, window);
        }
        return window;
    }

    static String key(String instrument, long timestamp, long sequence) {
        return instrument + SEP + String.format("%016x%016x", timestamp, sequence);
    }
}
