package io.etrms.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.math.BigDecimal;

/**
 * One account's position in one instrument: topic {@code positions} (compacted), key
 * {@code account|exchange|symbol}, partitioned by account. Also the element of a portfolio
 * snapshot's {@code positions} list.
 *
 * @param size           signed size (+ long, − short), exact
 * @param entryPrice     size-weighted average entry of the open position
 * @param currentPrice   latest tick of the instrument (or the last fill price before any tick)
 * @param unrealizedPnl  (current_price − entry_price) × size
 * @param realizedPnl    realized PnL of closes, fees already subtracted
 * @param notional       |size| × current_price
 * @param fees           sum of fees paid on this position
 * @param timestamp      event time (epoch ms) of the record that produced this state
 */
public record Position(
        String account,
        String exchange,
        String symbol,
        BigDecimal size,
        BigDecimal entryPrice,
        BigDecimal currentPrice,
        BigDecimal unrealizedPnl,
        BigDecimal realizedPnl,
        BigDecimal notional,
        BigDecimal fees,
        Double volatility,
        Double priceMovePct,
        Long priceTimestamp,
        Long timestamp) {

    @JsonIgnore
    public String key() {
        return Keys.position(account, exchange, symbol);
    }

    @JsonIgnore
    public boolean isFlat() {
        return size.signum() == 0;
    }
}
