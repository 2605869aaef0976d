package io.etrms.model;

import java.math.BigDecimal;
import java.util.Map;

/** Risk metrics of one account: topic {@code risk-metrics} (compacted), key account. */
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
            Map<String, SymbolMetrics> symbolMetrics) {
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
