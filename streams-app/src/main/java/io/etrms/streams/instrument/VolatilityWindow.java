package io.etrms.streams.instrument;

import java.math.BigDecimal;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The event-time window of one instrument's ticks (timestamp &gt; last − window): one store entry
 * per tick under its sequence number, running sums in {@link InstrumentState}. A tick costs one
 * write and, to evict what left the window, point reads from the oldest sequence on (amortised
 * one read and one delete): no scan, whatever the window's length. A return belongs to the window
 * when both its ticks do: evicting the oldest tick removes the return of the tick after it.
 */
public final class VolatilityWindow {

    /** Separates the instrument from the sequence number in keys; inputs reject control characters. */
    private static final char SEP = '\u0000';

    private final KeyValueStore<String, TickEntry> ticks;

    public VolatilityWindow(KeyValueStore<String, TickEntry> ticks) {
        this.ticks = ticks;
    }

    /**
     * Adds an in-order tick (timestamp ≥ the latest) and returns the instrument's new state. The
     * window can change at run time (the {@code *} risk-limits record): a longer one fills up from
     * the ticks that arrive from then on.
     */
    public InstrumentState add(String instrument, InstrumentState state, BigDecimal price, long timestamp, long windowMs) {
        Double logReturn = state.hasTick() ? Math.log(price.doubleValue() / state.price().doubleValue()) : null;
        long sequence = state.tickSequence() + 1;
        TickEntry added = new TickEntry(price, timestamp, logReturn);
        ticks.put(key(instrument, sequence), added);

        int returns = state.returns();
        double sum = state.sumReturns();
        double squares = state.sumSquares();
        if (logReturn != null) {
            returns++;
            sum += logReturn;
            squares += logReturn * logReturn;
        }

        long cutoff = timestamp - windowMs;
        long oldest = Math.min(state.oldestSequence(), sequence);
        BigDecimal oldestPrice = price;
        boolean predecessorEvicted = false;
        while (oldest <= sequence) {
            TickEntry tick = oldest == sequence ? added : ticks.get(key(instrument, oldest));
            if (tick == null) {
                throw new IllegalStateException("tick " + oldest + " of " + instrument + " is missing from " + InstrumentTopology.TICKS_STORE);
            }
            if (predecessorEvicted && tick.logReturn() != null) {
                returns--;
                sum -= tick.logReturn();
                squares -= tick.logReturn() * tick.logReturn();
            }
            if (tick.timestamp() > cutoff) {
                oldestPrice = tick.price();
                break;
            }
            ticks.put(key(instrument, oldest), null);
            oldest++;
            predecessorEvicted = true;
        }
        if (returns == 0) {
            sum = 0.0;
            squares = 0.0;
        }
        return new InstrumentState(price, timestamp, sequence, oldest, returns, sum, squares, oldestPrice, state.lateTicks(),
                state.outlierTicks(), state.holders(), state.holding());
    }

    /** {@code instrument}, the separator, and the sequence number as 16 hex digits (so keys sort by sequence). */
    static String key(String instrument, long sequence) {
        String hex = Long.toHexString(sequence);
        return instrument + SEP + "0".repeat(16 - hex.length()) + hex;
    }
}
