package io.etrms.model;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * All open positions of one account: topic {@code portfolio} (compacted), key account. This is
 * the payload of the {@code positions} WebSocket channel.
 */
public record PortfolioSnapshot(
        String type,
        String account,
        Long timestamp,
        BigDecimal totalPositionValue,
        BigDecimal totalUnrealizedPnl,
        BigDecimal totalRealizedPnl,
        Map<String, ExchangePositions> exchanges) {

    public static final String TYPE = "positions";

    public record ExchangePositions(
            BigDecimal totalPositionValue,
            BigDecimal totalUnrealizedPnl,
            BigDecimal totalRealizedPnl,
            List<Position> positions) {
    }
}
