package io.etrms.model;

import java.math.BigDecimal;
import java.util.List;

/** A deposit (amount &gt; 0) or withdrawal (amount &lt; 0) of quote currency: topic {@code transfers}, key account. */
public record Transfer(String transferId, String account, String exchange, BigDecimal amount, Long timestamp) {

    public List<String> problems() {
        return new Validation()
                .text("transfer_id", transferId)
                .id("account", account)
                .id("exchange", exchange)
                .nonZero("amount", amount)
                .timestamp("timestamp", timestamp)
                .problems();
    }
}
