package io.etrms.streams.account;

import io.etrms.model.InstrumentMark;
import io.etrms.model.Position;
import java.math.BigDecimal;

/**
 * An instrument's mark as this task last applied it (store {@value AccountTopology#MARKS_STORE},
 * key {@code exchange|symbol}).
 *
 * @param timestamp event time of the record that moved it
 * @param sequence  how many times this task's mark of the instrument moved (orders marks and fills)
 * @param wall      wall-clock time (epoch ms) at which it was applied
 * @param tickWall  wall-clock time at which the latest tick (not a fill price) was applied; null before any
 */
public record Mark(BigDecimal price, Long priceTimestamp, Double volatility, Double priceMovePct, long timestamp, long sequence,
                   long wall, Long tickWall) {

    /** The mark {@code update} sets after this one (null: none yet), applied at {@code wall}. */
    static Mark next(Mark previous, InstrumentMark update, long wall) {
        long sequence = previous == null ? 1 : previous.sequence + 1;
        Long tickWall = update.fromTick() ? Long.valueOf(wall) : previous == null ? null : previous.tickWall;
        return new Mark(update.price(), update.priceTimestamp(), update.volatility(), update.priceMovePct(), update.timestamp(), sequence,
                wall, tickWall);
    }

    /** The mark a position change carries (the instrument's latest in stage 1). */
    static InstrumentMark carriedBy(Position p) {
        return new InstrumentMark(p.exchange(), p.symbol(), p.currentPrice(), p.priceTimestamp(), p.volatility(), p.priceMovePct(),
                p.timestamp(), java.util.Set.of());
    }

    /** Whether {@code update} is this very mark again (a copy: it changes nothing, not even a clock). */
    boolean identical(InstrumentMark update) {
        return sameAs(update) && timestamp == update.timestamp();
    }

    /** Whether {@code update} would leave every position of the instrument as this mark does. */
    boolean sameAs(InstrumentMark update) {
        return price.compareTo(update.price()) == 0 && java.util.Objects.equals(priceTimestamp, update.priceTimestamp())
                && java.util.Objects.equals(volatility, update.volatility()) && java.util.Objects.equals(priceMovePct, update.priceMovePct());
    }
}
