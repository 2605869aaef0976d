package io.etrms.streams.breakers;

import java.math.BigDecimal;

/**
 * The exchange's latest word on what an account holds of one instrument (store
 * {@code account-position-snapshots}, key {@code account|exchange|symbol}), and since when it
 * differs from ours.
 *
 * @param size         the exchange's signed size
 * @param timestamp    the exchange's time of that snapshot (epoch ms)
 * @param differsSince the timestamp of the snapshot that first showed the current difference
 *                     beyond the tolerance; null while the sizes agree (a later snapshot that agrees,
 *                     or a fill of ours that brings our size back within the tolerance, ends it)
 */
public record ExchangePosition(String exchange, String symbol, BigDecimal size, long timestamp, Long differsSince) {

    /** The same, with the difference ended. */
    public ExchangePosition agreed() {
        return new ExchangePosition(exchange, symbol, size, timestamp, null);
    }
}
