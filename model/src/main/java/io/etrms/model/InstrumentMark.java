package io.etrms.model;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * An instrument's new mark (key {@code exchange|symbol}), sent by stage 1 to every partition of
 * {@code account-updates} whose accounts hold the instrument, in order with the instrument's
 * position changes.
 *
 * @param price          the current price: the latest tick, or the last fill price before any tick
 * @param priceTimestamp event time of the latest tick; null before any tick
 * @param volatility     the instrument's volatility over the window (null before any tick)
 * @param priceMovePct   the instrument's price move over the window (null before any tick)
 * @param timestamp      event time of the record that moved the mark (a tick, or a fill before any tick)
 * @param partitions     the partitions this mark was sent to
 */
public record InstrumentMark(
        String exchange,
        String symbol,
        BigDecimal price,
        Long priceTimestamp,
        Double volatility,
        Double priceMovePct,
        long timestamp,
        Set<Integer> partitions) implements AccountUpdate {

    public InstrumentMark {
        partitions = Collections.unmodifiableSortedSet(new TreeSet<>(partitions));
    }

    public String instrumentKey() {
        return Keys.instrument(exchange, symbol);
    }

    /** A tick moved it (not a fill before the instrument's first tick). */
    public boolean fromTick() {
        return priceTimestamp != null;
    }
}
