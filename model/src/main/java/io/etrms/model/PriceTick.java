package io.etrms.model;

import java.math.BigDecimal;
import java.util.List;

/** A market price: topic {@code prices}, key {@code exchange|symbol}. */
public record PriceTick(String exchange, String symbol, BigDecimal price, Long timestamp) {

    public List<String> problems() {
        return new Validation()
                .id("exchange", exchange)
                .text("symbol", symbol, Validation.MAX_SYMBOL_LENGTH)
                .positive("price", price)
                .timestamp("timestamp", timestamp)
                .problems();
    }

    public String instrumentKey() {
        return Keys.instrument(exchange, symbol);
    }
}
