package io.etrms.model;

import java.math.BigDecimal;
import java.util.Map;

/**
 * Risk metrics of one account: topic {@code risk-metrics} (compacted), key account.
 * {@code trading_state} is the strictest state anywhere in the account (ACTIVE, REDUCE_ONLY,
 * HALTED); {@code instrument_trading_states} ({@code exchange → symbol → state}) lists the
 * instruments restricted on their own by a position-notional or volatility breaker.
 */
public record RiskMetricsSnapshot(String type, String account, Long timestamp, RiskMetrics riskMetrics) {

    public static final String TYPE = "risk_metrics";

    public record RiskMetrics(
            BigDecimal totalExposure,
            BigDecimal netExposure,
            BigDecimal totalEquity,
            BigDecimal peakEquity,
            Double currentDrawdown,
            Double maxDrawdown,
            BigDecimal totalPnl,
            BigDecimal dailyPnl,
            Double leverage,
            String tradingState,
            Map<String, ExchangeMetrics> exchangeMetrics,
            Map<String, SymbolMetrics> symbolMetrics,
            Map<String, Map<String, String>> instrumentTradingStates) {

        /** Without instrument states (every instrument follows {@code trading_state}). */
        public RiskMetrics(BigDecimal totalExposure, BigDecimal netExposure, BigDecimal totalEquity, BigDecimal peakEquity,
                           Double currentDrawdown, Double maxDrawdown, BigDecimal totalPnl, BigDecimal dailyPnl, Double leverage,
                           String tradingState, Map<String, ExchangeMetrics> exchangeMetrics, Map<String, SymbolMetrics> symbolMetrics) {
            this(totalExposure, netExposure, totalEquity, peakEquity, currentDrawdown, maxDrawdown, totalPnl, dailyPnl, leverage,
                    tradingState, exchangeMetrics, symbolMetrics, null);
        }

        /** The same figures with other trading states. */
        public RiskMetrics withTradingStates(String state, Map<String, Map<String, String>> instrumentStates) {
            return new RiskMetrics(totalExposure, netExposure, totalEquity, peakEquity, currentDrawdown, maxDrawdown, totalPnl,
                    dailyPnl, leverage, state, exchangeMetrics, symbolMetrics, instrumentStates);
        }
    }

    public record ExchangeMetrics(
            BigDecimal exposure,
            BigDecimal netExposure,
            BigDecimal equity,
            BigDecimal unrealizedPnl,
            BigDecimal realizedPnl,
            Double leverage) {
    }

    public record SymbolMetrics(
            BigDecimal exposure,
            BigDecimal netExposure,
            BigDecimal unrealizedPnl,
            Double volatility,
            Double priceMovePct) {
    }
}
