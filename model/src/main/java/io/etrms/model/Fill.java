package io.etrms.model;

import java.math.BigDecimal;
import java.util.List;

/** An exchange fill: topic {@code fills}, key {@code exchange|symbol}. */
public record Fill(
        String fillId,
        String account,
        String exchange,
        String symbol,
        String side,
        BigDecimal quantity,
        BigDecimal price,
        BigDecimal fee,
        Long timestamp) {

    public static final String BUY = "buy";
    public static final String SELL = "sell";

    /**
     * Every input rule this fill breaks (docs/design-decisions.md, "Inputs"; length and number
     * bounds in docs/operations.md, "Hostile input"); empty when it is valid.
     */
    public List<String> problems() {
        return new Validation()
                .text("fill_id", fillId)
                .id("account", account)
                .id("exchange", exchange)
                .text("symbol", symbol, Validation.MAX_SYMBOL_LENGTH)
                .required("side", side)
                .check(side == null || BUY.equals(side) || SELL.equals(side), "unknown side '" + Validation.echo(side) + "' (buy or sell)")
                .positive("quantity", quantity)
                .positive("price", price)
                .nonNegative("fee", fee)
                .timestamp("timestamp", timestamp)
                .problems();
    }

    /** Quantity signed by side: + for buy, − for sell. */
    public BigDecimal signedQuantity() {
        return BUY.equals(side) ? quantity : quantity.negate();
    }

    public BigDecimal feeOrZero() {
        return Decimals.orZero(fee);
    }

    public String instrumentKey() {
        return Keys.instrument(exchange, symbol);
    }
}
