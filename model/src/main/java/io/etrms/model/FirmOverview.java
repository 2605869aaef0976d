package io.etrms.model;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Every account a desk may see, in one message: the gateway's {@code overview} WebSocket channel
 * and {@code GET /api/v1/accounts}. Rows are sorted by account; {@code totals} are over the rows
 * shown (a token that reads some accounts gets those rows and their totals).
 *
 * @param timestamp when the gateway built it (epoch ms, wall clock)
 */
public record FirmOverview(String type, Long timestamp, Totals totals, List<AccountOverview> accounts) {

    public static final String TYPE = "overview";

    /**
     * Sums and counts over the rows (null figures count as absent, not as zero).
     *
     * @param accounts    rows
     * @param halted      rows whose trading state is HALTED
     * @param reduceOnly  rows whose trading state is REDUCE_ONLY
     * @param openAlerts  Σ open alerts
     */
    public record Totals(int accounts, BigDecimal totalEquity, BigDecimal dailyPnl, BigDecimal totalExposure, int halted, int reduceOnly,
                         int openAlerts) {
    }

    /** The overview of {@code rows} (sorted by account by the caller) with their totals. */
    public static FirmOverview of(long timestamp, List<AccountOverview> rows) {
        BigDecimal equity = BigDecimal.ZERO;
        BigDecimal daily = BigDecimal.ZERO;
        BigDecimal exposure = BigDecimal.ZERO;
        int halted = 0;
        int reduceOnly = 0;
        int alerts = 0;
        for (AccountOverview row : rows) {
            equity = row.totalEquity() == null ? equity : equity.add(row.totalEquity());
            daily = row.dailyPnl() == null ? daily : daily.add(row.dailyPnl());
            exposure = row.totalExposure() == null ? exposure : exposure.add(row.totalExposure());
            halted += TradingState.HALTED.equals(row.tradingState()) ? 1 : 0;
            reduceOnly += TradingState.REDUCE_ONLY.equals(row.tradingState()) ? 1 : 0;
            alerts += Objects.requireNonNullElse(row.openAlerts(), 0);
        }
        return new FirmOverview(TYPE, timestamp, new Totals(rows.size(), equity, daily, exposure, halted, reduceOnly, alerts), List.copyOf(rows));
    }

    /** The rows of the accounts {@code readable} admits, with their own totals. */
    public FirmOverview scopedTo(Predicate<String> readable) {
        return of(timestamp, accounts.stream().filter(row -> readable.test(row.account())).toList());
    }
}
