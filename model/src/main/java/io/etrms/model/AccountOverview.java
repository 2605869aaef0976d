package io.etrms.model;

import java.math.BigDecimal;

/**
 * One account as the firm overview shows it (a row of {@link FirmOverview}): its trading state and
 * headline figures from its latest risk metrics, the limit closest to (or furthest past) its
 * threshold, and how many open positions and tripped breakers it has. Figures the gateway has not
 * seen yet are null.
 *
 * @param tradingState  ACTIVE, REDUCE_ONLY or HALTED ({@code risk_metrics.trading_state})
 * @param worstLimit    the switched-on limit with the highest {@code utilization_pct}, account-wide
 *                      ({@code risk_metrics.limits}) or per position ({@code risk_metrics.position_limits})
 * @param openPositions positions in the latest portfolio snapshot
 * @param openAlerts    breakers whose latest alert tripped them (not yet followed by a cleared one)
 * @param timestamp     event time (epoch ms) of the latest risk metrics
 */
public record AccountOverview(
        String account,
        String tradingState,
        BigDecimal totalEquity,
        BigDecimal dailyPnl,
        BigDecimal totalPnl,
        BigDecimal totalExposure,
        Double currentDrawdown,
        Double maxDrawdown,
        Double leverage,
        LimitUse worstLimit,
        Integer openPositions,
        Integer openAlerts,
        Long timestamp) {

    /**
     * One limit's use, as the risk metrics publish it ({@code {limit, value, utilization_pct}}).
     *
     * @param conditionName  the breaker condition ({@code max_drawdown}, ..., {@code max_position_notional}, {@code volatility})
     * @param exchange       the position's exchange, {@code "*"} for an account-wide limit
     * @param symbol         the position's symbol, {@code "*"} for an account-wide limit
     * @param utilizationPct value / limit × 100 (may exceed 100)
     */
    public record LimitUse(String conditionName, String exchange, String symbol, BigDecimal limit, BigDecimal value, Double utilizationPct) {
    }
}
