package io.etrms.model;

import java.math.BigDecimal;
import java.util.List;

/**
 * What an exchange says an account holds of one instrument: topic {@code position-snapshots}, key
 * account. Stage 2 compares it with the size ETRMS computed from the fills (the
 * {@code reconciliation} breaker, docs/circuit-breakers.md).
 *
 * @param size      signed size as the exchange reports it (+ long, − short, 0 flat)
 * @param timestamp the exchange's time of the snapshot, epoch milliseconds
 */
public record PositionSnapshot(String account, String exchange, String symbol, BigDecimal size, Long timestamp) {

    /**
     * Every input rule this snapshot breaks (docs/design-decisions.md, "Inputs"; length and number
     * bounds in docs/operations.md, "Hostile input"); empty when it is valid.
     */
    public List<String> problems() {
        return new Validation()
                .id("account", account)
                .id("exchange", exchange)
                .text("symbol", symbol, Validation.MAX_SYMBOL_LENGTH)
                .decimal("size", size)
                .timestamp("timestamp", timestamp)
                .problems();
    }

    /** The key of the account's instrument: {@code account|exchange|symbol}, as in {@code positions}. */
    public String positionKey() {
        return Keys.position(account, exchange, symbol);
    }
}
