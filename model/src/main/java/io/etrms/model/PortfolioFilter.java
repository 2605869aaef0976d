package io.etrms.model;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A portfolio snapshot narrowed to one exchange and/or one symbol (the gateway's {@code exchange}
 * and {@code symbol} filters) with every total summed over what is left:
 * <ul>
 *   <li>an exchange's totals, when a symbol is given, are Σ {@code notional}, Σ
 *       {@code unrealized_pnl} and Σ {@code realized_pnl} of its matching positions (an exchange
 *       without one is left out); without a symbol they are the exchange's own;</li>
 *   <li>the snapshot's totals are Σ of the exchanges shown.</li>
 * </ul>
 * Sums are exact ({@link BigDecimal}).
 */
public final class PortfolioFilter {

    private PortfolioFilter() {
    }

    /** {@code snapshot} with only {@code exchange} (null: every exchange) and {@code symbol} (null: every symbol). */
    public static PortfolioSnapshot apply(PortfolioSnapshot snapshot, String exchange, String symbol) {
        Map<String, PortfolioSnapshot.ExchangePositions> shown = new LinkedHashMap<>();
        BigDecimal value = BigDecimal.ZERO;
        BigDecimal unrealized = BigDecimal.ZERO;
        BigDecimal realized = BigDecimal.ZERO;
        Map<String, PortfolioSnapshot.ExchangePositions> exchanges = snapshot.exchanges() == null ? Map.of() : snapshot.exchanges();
        for (Map.Entry<String, PortfolioSnapshot.ExchangePositions> entry : exchanges.entrySet()) {
            if (exchange != null && !exchange.equals(entry.getKey())) {
                continue;
            }
            PortfolioSnapshot.ExchangePositions ex = symbol == null ? entry.getValue() : onlySymbol(entry.getValue(), symbol);
            if (ex == null) {
                continue;
            }
            shown.put(entry.getKey(), ex);
            value = value.add(orZero(ex.totalPositionValue()));
            unrealized = unrealized.add(orZero(ex.totalUnrealizedPnl()));
            realized = realized.add(orZero(ex.totalRealizedPnl()));
        }
        return new PortfolioSnapshot(snapshot.type(), snapshot.account(), snapshot.timestamp(), value, unrealized, realized, shown);
    }

    /** The exchange's positions in {@code symbol} with their sums, or null when it has none. */
    private static PortfolioSnapshot.ExchangePositions onlySymbol(PortfolioSnapshot.ExchangePositions ex, String symbol) {
        List<Position> kept = (ex.positions() == null ? List.<Position>of() : ex.positions()).stream()
                .filter(p -> symbol.equals(p.symbol())).toList();
        if (kept.isEmpty()) {
            return null;
        }
        BigDecimal value = BigDecimal.ZERO;
        BigDecimal unrealized = BigDecimal.ZERO;
        BigDecimal realized = BigDecimal.ZERO;
        for (Position p : kept) {
            value = value.add(orZero(p.notional()));
            unrealized = unrealized.add(orZero(p.unrealizedPnl()));
            realized = realized.add(orZero(p.realizedPnl()));
        }
        return new PortfolioSnapshot.ExchangePositions(value, unrealized, realized, kept);
    }

    private static BigDecimal orZero(BigDecimal value) {
        return value == null ? BigDecimal.ZERO : value;
    }
}
