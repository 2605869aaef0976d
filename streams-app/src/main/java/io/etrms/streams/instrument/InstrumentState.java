package io.etrms.streams.instrument;

import java.math.BigDecimal;

/**
 * What the instrument stage keeps per {@code exchange|symbol} (store {@code instrument-state}):
 * the current price and the running sums of the volatility window, whose ticks live in store
 * {@code instrument-ticks}, and a tick held back as a possible outlier.
 *
 * @param price            current price: the latest tick, or the last fill price before any tick
 * @param priceTimestamp   event time of the latest tick (null before any tick)
 * @param tickSequence     number of ticks accepted so far (orders ticks with equal timestamps)
 * @param returns          number of tick-to-tick log returns inside the window
 * @param sumReturns       Σ returns inside the window
 * @param sumSquares       Σ returns² inside the window
 * @param oldestPrice      price of the oldest tick inside the window
 * @param lateTicks        ticks dropped because they were older than the latest
 * @param suspectPrice     a tick further from the current price than the outlier limit, waiting for
 *                         the next tick to confirm it (null when none)
 * @param suspectTimestamp its event time
 * @param suspectOffset    its offset on {@code prices} (to dead-letter it if it is not confirmed)
 * @param outlierTicks     ticks discarded as unconfirmed outliers
 * @param suspectHeldAt    wall-clock time (epoch ms) at which the held tick arrived: if no tick
 *                         follows within the hold time it is used as it is
 */
public record InstrumentState(
        BigDecimal price,
        Long priceTimestamp,
        long tickSequence,
        int returns,
        double sumReturns,
        double sumSquares,
        BigDecimal oldestPrice,
        long lateTicks,
        BigDecimal suspectPrice,
        Long suspectTimestamp,
        Long suspectOffset,
        Long outlierTicks,
        Long suspectHeldAt) {

    public static final InstrumentState EMPTY = new InstrumentState(null, null, 0, 0, 0.0, 0.0, null, 0, null, null, null, 0L, null);

    public boolean hasTick() {
        return priceTimestamp != null;
    }

    public boolean hasSuspect() {
        return suspectPrice != null;
    }

    /** The event time of the newest tick seen in order, held back or not. */
    public Long latestTimestamp() {
        if (suspectTimestamp == null) {
            return priceTimestamp;
        }
        return priceTimestamp == null ? suspectTimestamp : Math.max(priceTimestamp, suspectTimestamp);
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

    /** Before any tick: the last fill price is the current price. */
    InstrumentState withFillPrice(BigDecimal fillPrice) {
        return new InstrumentState(fillPrice, priceTimestamp, tickSequence, returns, sumReturns, sumSquares, oldestPrice, lateTicks,
                suspectPrice, suspectTimestamp, suspectOffset, outlierTicks, suspectHeldAt);
    }

    InstrumentState withLateTick() {
        return new InstrumentState(price, priceTimestamp, tickSequence, returns, sumReturns, sumSquares, oldestPrice, lateTicks + 1,
                suspectPrice, suspectTimestamp, suspectOffset, outlierTicks, suspectHeldAt);
    }

    InstrumentState withSuspect(BigDecimal suspect, long timestamp, Long offset, long heldAt) {
        return new InstrumentState(price, priceTimestamp, tickSequence, returns, sumReturns, sumSquares, oldestPrice, lateTicks,
                suspect, timestamp, offset, outlierTicks, heldAt);
    }

    /** Without the held tick; {@code discarded} counts it as an outlier. */
    InstrumentState withoutSuspect(boolean discarded) {
        long outliers = (outlierTicks == null ? 0 : outlierTicks) + (discarded ? 1 : 0);
        return new InstrumentState(price, priceTimestamp, tickSequence, returns, sumReturns, sumSquares, oldestPrice, lateTicks,
                null, null, null, outliers, null);
    }
}
