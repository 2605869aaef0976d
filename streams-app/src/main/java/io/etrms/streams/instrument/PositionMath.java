package io.etrms.streams.instrument;

import io.etrms.model.Decimals;
import io.etrms.model.Fill;
import io.etrms.model.Position;
import java.math.BigDecimal;

/**
 * The position rules of docs/definitions.md, "Per position", on exact decimals:
 * <ul>
 *   <li>a fill in the direction of the position (or from flat) moves the entry to the
 *       size-weighted average (division at 34 significant digits);</li>
 *   <li>a fill against it realizes {@code (fill_price − entry) × closed_qty × sign(size)} and
 *       leaves the entry unchanged; a fill that crosses zero opens the rest at the fill price;</li>
 *   <li>the fee is subtracted from realized PnL; a flat position has entry 0;</li>
 *   <li>money (realized, unrealized, notional) is rounded half-even to
 *       {@link Decimals#MONEY_SCALE} decimal places.</li>
 * </ul>
 * Pure functions: no state, no Kafka.
 */
public final class PositionMath {

    private PositionMath() {
    }

    /** A flat position of an account in an instrument that has not traded yet. */
    public static Position flat(String account, String exchange, String symbol) {
        return new Position(account, exchange, symbol, BigDecimal.ZERO, BigDecimal.ZERO, null, BigDecimal.ZERO,
                BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, null, null, null, null);
    }

    /**
     * Applies a valid fill. {@code currentPrice} is the instrument's latest tick, or null before any
     * tick, in which case the fill price becomes the current price.
     */
    public static Position apply(Position position, Fill fill, BigDecimal currentPrice, Long priceTimestamp) {
        BigDecimal size = position.size();
        BigDecimal entry = position.entryPrice();
        BigDecimal realized = position.realizedPnl();
        BigDecimal price = fill.price();
        BigDecimal delta = fill.signedQuantity();

        BigDecimal newSize = size.add(delta);
        BigDecimal newEntry;
        if (size.signum() == 0 || size.signum() == delta.signum()) {
            BigDecimal cost = size.abs().multiply(entry).add(delta.abs().multiply(price));
            newEntry = cost.divide(newSize.abs(), Decimals.DIVISION);
        } else {
            BigDecimal closed = size.abs().min(delta.abs());
            realized = realized.add(price.subtract(entry).multiply(closed).multiply(BigDecimal.valueOf(size.signum())));
            if (newSize.signum() == 0) {
                newEntry = BigDecimal.ZERO;
            } else if (newSize.signum() == size.signum()) {
                newEntry = entry;
            } else {
                newEntry = price;
            }
        }
        BigDecimal fee = fill.feeOrZero();
        realized = realized.subtract(fee);
        BigDecimal mark = currentPrice != null ? currentPrice : price;
        return mark(new Position(position.account(), position.exchange(), position.symbol(),
                Decimals.normalize(newSize), Decimals.normalize(newEntry), mark, null,
                Decimals.money(realized), null, Decimals.normalize(position.fees().add(fee)),
                position.volatility(), position.priceMovePct(), priceTimestamp, fill.timestamp()), mark);
    }

    /** Marks a position to {@code price}: unrealized = (price − entry) × size, notional = |size| × price. */
    public static Position mark(Position p, BigDecimal price) {
        BigDecimal notional = p.size().abs().multiply(price);
        return new Position(p.account(), p.exchange(), p.symbol(), p.size(), p.entryPrice(), price,
                unrealized(p.size(), p.entryPrice(), price), p.realizedPnl(), Decimals.money(notional), p.fees(),
                p.volatility(), p.priceMovePct(), p.priceTimestamp(), p.timestamp());
    }

    /** (price − entry) × size as money; 0 for a flat position. */
    public static BigDecimal unrealized(BigDecimal size, BigDecimal entry, BigDecimal price) {
        return size.signum() == 0 ? BigDecimal.ZERO : Decimals.money(price.subtract(entry).multiply(size));
    }

    /** The same position carrying the instrument's volatility figures. */
    public static Position withStats(Position p, Double volatility, Double priceMovePct) {
        return new Position(p.account(), p.exchange(), p.symbol(), p.size(), p.entryPrice(), p.currentPrice(),
                p.unrealizedPnl(), p.realizedPnl(), p.notional(), p.fees(), volatility, priceMovePct, p.priceTimestamp(), p.timestamp());
    }

    /** The position re-marked by a tick, carrying the instrument's volatility figures. */
    public static Position onTick(Position p, BigDecimal price, long tickTimestamp, Double volatility, Double priceMovePct) {
        Position withStats = new Position(p.account(), p.exchange(), p.symbol(), p.size(), p.entryPrice(), price,
                p.unrealizedPnl(), p.realizedPnl(), p.notional(), p.fees(), volatility, priceMovePct, tickTimestamp, tickTimestamp);
        return mark(withStats, price);
    }
}
