package io.etrms.streams.instrument;

import java.math.BigDecimal;

/**
 * What stage 1 keeps per {@code exchange|symbol} (store {@value InstrumentTopology#INSTRUMENT_STORE}):
 * the current price, the running sums of the volatility window (whose ticks are in
 * {@value InstrumentTopology#TICKS_STORE} under sequence numbers {@code oldestSequence..tickSequence}),
 * and where its holders are.
 *
 * @param price          current price: the latest tick, or the last fill price before any tick
 * @param priceTimestamp event time of the latest tick (null before any tick)
 * @param tickSequence   sequence number of the latest tick (the number of ticks accepted so far)
 * @param oldestSequence sequence number of the oldest tick inside the window
 * @param returns        number of tick-to-tick log returns inside the window
 * @param sumReturns     Σ returns inside the window
 * @param sumSquares     Σ returns² inside the window
 * @param oldestPrice    price of the oldest tick inside the window
 * @param lateTicks      ticks dropped because they were older than the latest
 * @param outlierTicks   ticks discarded as unconfirmed outliers
 * @param holders        open positions per partition of {@code account-updates}
 * @param holding        a tick of the instrument waits in {@value InstrumentTopology#HELD_TICKS_STORE}
 */
public record InstrumentState(
        BigDecimal price,
        Long priceTimestamp,
        long tickSequence,
        long oldestSequence,
        int returns,
        double sumReturns,
        double sumSquares,
        BigDecimal oldestPrice,
        long lateTicks,
        long outlierTicks,
        PartitionCounts holders,
        boolean holding) {

    public static final InstrumentState EMPTY = new InstrumentState(null, null, 0, 1, 0, 0.0, 0.0, null, 0, 0, PartitionCounts.NONE, false);

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

    /** Before any tick: the last fill price is the current price. */
    InstrumentState withFillPrice(BigDecimal fillPrice) {
        return new InstrumentState(fillPrice, priceTimestamp, tickSequence, oldestSequence, returns, sumReturns, sumSquares, oldestPrice,
                lateTicks, outlierTicks, holders, holding);
    }

    InstrumentState withLateTick() {
        return new InstrumentState(price, priceTimestamp, tickSequence, oldestSequence, returns, sumReturns, sumSquares, oldestPrice,
                lateTicks + 1, outlierTicks, holders, holding);
    }

    InstrumentState withOutlierTick() {
        return new InstrumentState(price, priceTimestamp, tickSequence, oldestSequence, returns, sumReturns, sumSquares, oldestPrice,
                lateTicks, outlierTicks + 1, holders, holding);
    }

    InstrumentState withHolding(boolean value) {
        return new InstrumentState(price, priceTimestamp, tickSequence, oldestSequence, returns, sumReturns, sumSquares, oldestPrice,
                lateTicks, outlierTicks, holders, value);
    }

    InstrumentState withHolders(PartitionCounts counts) {
        return new InstrumentState(price, priceTimestamp, tickSequence, oldestSequence, returns, sumReturns, sumSquares, oldestPrice,
                lateTicks, outlierTicks, counts, holding);
    }
}
