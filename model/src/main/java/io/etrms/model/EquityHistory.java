package io.etrms.model;

/**
 * An account's equity and drawdown over time as the gateway keeps it for charts
 * ({@code GET /api/v1/history}): one point per {@code resolution_ms} of event time (the last risk
 * metrics of each interval), in columns, oldest first. Chart data: equity is the decimal's nearest
 * double (the exact figures are on {@code risk-metrics}).
 *
 * @param from         the {@code from} asked for (epoch ms), or null for everything kept
 * @param timestamps   event time of each point (epoch ms of the risk-metrics record)
 * @param equity       {@code total_equity} at each point
 * @param drawdown     {@code current_drawdown} (percent) at each point
 */
public record EquityHistory(String type, String account, Long resolutionMs, Long from, long[] timestamps, double[] equity,
                            double[] drawdown) {

    public static final String TYPE = "history";
}
