package io.etrms.streams.instrument;

import java.math.BigDecimal;

/**
 * What the instrument stage keeps per {@code exchange|symbol} (store {@code instrument-state}):
 * the current price and the running sums of the volatility window, whose ticks live in store
 * {@code instrument-ticks}.
 *
 * @param price          current price: the latest tick, or the last fill price before any tick
 * @param priceTimestamp event time of the latest tick (null before any tick)
 * @param tickSequence   number of ticks accepted so far (orders ticks with equal timestamps)
 * @param returns        number of tick-to-tick log returns inside the window
 * @param sumReturns     Σ returns inside the window
 * @param sumSquares     Σ returns² inside the window
 * @param oldestPrice    price of the oldest tick inside the window
 * @param lateTicks      ticks dropped because they were older than the latest
 */
public record InstrumentState(
        BigDecimal price,
        Long priceTimestamp,
        long tickSequence,
        int returns,
        double sumReturns,
        double sumSquares,
        BigDecimal oldestPrice,
        long lateTicks) {

    public static final InstrumentState EMPTY = new InstrumentState(null, null, 0, 0, 0.0, 0.0, null, 0);

    public boolean hasTick() {
        return priceTimestamp != null;
    }

    /** Sample standard deviation of the window's log returns × 100; 0 with fewer than two returns. */
    public double volatility() {
        if (returns < 2) {
            return 0.0;
        }
        double variance = (sumSquares - sumReturns * sumReturns / returns) / (returns - 1);
        return variance <= 0 ? 0.0 : Math.sqrt(variance) * 100.0;
    }

    /** (last / oldest price in the window − 1) × 100; 0 before any tick. */
    public double priceMovePct() {
        if (!hasTick() || oldestPrice == null) {
            return 0.0;
        }
        return (price.doubleValue() / oldestPrice.doubleValue() - 1.0) * 100.0;
    }
}
