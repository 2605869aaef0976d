package io.etrms.model;

import java.math.BigDecimal;
import java.util.Map;

/** Balances of one account per exchange: topic {@code accounts} (compacted), key account. */
public record AccountsSnapshot(String type, String account, Long timestamp, Map<String, ExchangeAccount> accounts) {

    public static final String TYPE = "accounts";

    /**
     * @param balance       Σ transfers + Σ realized PnL (fees already in)
     * @param equity        balance + Σ unrealized PnL
     * @param positionValue Σ notional
     * @param leverage      position_value / equity (null while equity ≤ 0)
     */
    public record ExchangeAccount(
            BigDecimal balance,
            BigDecimal equity,
            BigDecimal unrealizedPnl,
            BigDecimal realizedPnl,
            BigDecimal positionValue,
            BigDecimal transfers,
            Double leverage) {
    }
}
