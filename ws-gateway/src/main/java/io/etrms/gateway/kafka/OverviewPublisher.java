package io.etrms.gateway.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import io.etrms.gateway.fanout.ChannelMessage;
import io.etrms.gateway.fanout.TopicBroadcaster;
import io.etrms.model.AccountOverview;
import io.etrms.model.Alert;
import io.etrms.model.FirmOverview;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The firm overview, kept by the {@link TopicReader} from what it reads and published on the
 * {@code overview} channel at most once per {@code interval} (and once as soon as the gateway is
 * ready, empty or not, so a subscriber always gets a snapshot):
 * <ul>
 *   <li>risk-metrics give an account's trading state, equity, PnL, exposure, drawdown, leverage and
 *       its worst limit: the highest {@code utilization_pct} among {@code risk_metrics.limits}
 *       (account-wide) and {@code risk_metrics.position_limits} (per open position), as the
 *       topology publishes them — the gateway computes no limit;</li>
 *   <li>portfolio gives the number of open positions;</li>
 *   <li>alerts give the open breakers: a breaker ({@code condition_name}, {@code exchange},
 *       {@code symbol}) is open while its latest alert is {@code circuit_breaker}.</li>
 * </ul>
 * Every call comes from the reader thread. Memory: one row per account, plus one entry per breaker
 * that ever alerted.
 */
public final class OverviewPublisher {

    private static final String LIMITS = "limits";
    private static final String POSITION_LIMITS = "position_limits";

    /** What is known of one account. */
    private static final class Row {
        AccountOverview figures;
        Integer openPositions;
        final Map<String, Boolean> breakers = new HashMap<>();
        AccountOverview built;

        boolean isEmpty() {
            return figures == null && openPositions == null && breakers.isEmpty();
        }

        AccountOverview build(String account) {
            if (built == null) {
                int open = (int) breakers.values().stream().filter(Boolean::booleanValue).count();
                AccountOverview f = figures;
                built = f == null
                        ? new AccountOverview(account, null, null, null, null, null, null, null, null, null, openPositions, open, null)
                        : new AccountOverview(account, f.tradingState(), f.totalEquity(), f.dailyPnl(), f.totalPnl(), f.totalExposure(),
                        f.currentDrawdown(), f.maxDrawdown(), f.leverage(), f.worstLimit(), openPositions, open, f.timestamp());
            }
            return built;
        }
    }

    private final TopicBroadcaster broadcaster;
    private final long intervalMillis;
    private final TreeMap<String, Row> rows = new TreeMap<>();
    private boolean changed;
    private boolean published;
    private long lastPublishMillis;

    public OverviewPublisher(TopicBroadcaster broadcaster, Duration interval) {
        this.broadcaster = broadcaster;
        this.intervalMillis = interval.toMillis();
    }

    /** A risk-metrics value of {@code account}; null for a tombstone. */
    public void onRiskMetrics(String account, JsonNode value) {
        row(account).figures = value == null ? null : figures(account, value);
        touched(account);
    }

    /** A portfolio value of {@code account}; null for a tombstone. */
    public void onPortfolio(String account, JsonNode value) {
        Integer open = null;
        if (value != null) {
            int count = 0;
            for (JsonNode exchange : value.path("exchanges")) {
                count += exchange.path("positions").size();
            }
            open = count;
        }
        row(account).openPositions = open;
        touched(account);
    }

    /** A new alert (not a duplicate). */
    public void onAlert(ChannelMessage alert) {
        row(alert.account()).breakers.put(alert.alertBreaker(), Alert.TRIPPED.equals(alert.alertType()));
        touched(alert.account());
    }

    /** Publishes the overview if something changed and {@code interval} has passed, or if it never was and the gateway is ready. */
    public void publishIfDue(long nowMillis, boolean ready) {
        boolean first = !published && ready;
        if (!first && !(changed && published && nowMillis - lastPublishMillis >= intervalMillis)) {
            return;
        }
        List<AccountOverview> built = new ArrayList<>(rows.size());
        rows.forEach((account, row) -> built.add(row.build(account)));
        broadcaster.publish(ChannelMessage.overview(FirmOverview.of(nowMillis, built)));
        published = true;
        changed = false;
        lastPublishMillis = nowMillis;
    }

    private Row row(String account) {
        return rows.computeIfAbsent(account, a -> new Row());
    }

    private void touched(String account) {
        Row row = rows.get(account);
        row.built = null;
        if (row.isEmpty()) {
            rows.remove(account);
        }
        changed = true;
    }

    private static AccountOverview figures(String account, JsonNode value) {
        JsonNode m = value.path("risk_metrics");
        return new AccountOverview(account, text(m, "trading_state"), decimal(m, "total_equity"), decimal(m, "daily_pnl"),
                decimal(m, "total_pnl"), decimal(m, "total_exposure"), number(m, "current_drawdown"), number(m, "max_drawdown"),
                number(m, "leverage"), worstLimit(m), null, null, value.path("timestamp").canConvertToLong() ? value.path("timestamp").longValue() : null);
    }

    /** The limit use with the highest {@code utilization_pct} (the first of equals), or null when none is published. */
    static AccountOverview.LimitUse worstLimit(JsonNode metrics) {
        AccountOverview.LimitUse worst = null;
        for (Map.Entry<String, JsonNode> limit : metrics.path(LIMITS).properties()) {
            worst = worse(worst, use(limit.getKey(), Alert.ANY, Alert.ANY, limit.getValue()));
        }
        for (Map.Entry<String, JsonNode> exchange : metrics.path(POSITION_LIMITS).properties()) {
            for (Map.Entry<String, JsonNode> symbol : exchange.getValue().properties()) {
                for (Map.Entry<String, JsonNode> limit : symbol.getValue().properties()) {
                    worst = worse(worst, use(limit.getKey(), exchange.getKey(), symbol.getKey(), limit.getValue()));
                }
            }
        }
        return worst;
    }

    private static AccountOverview.LimitUse use(String condition, String exchange, String symbol, JsonNode use) {
        Double pct = number(use, "utilization_pct");
        return pct == null ? null : new AccountOverview.LimitUse(condition, exchange, symbol, decimal(use, "limit"), decimal(use, "value"), pct);
    }

    private static AccountOverview.LimitUse worse(AccountOverview.LimitUse a, AccountOverview.LimitUse b) {
        if (a == null) {
            return b;
        }
        return b != null && b.utilizationPct() > a.utilizationPct() ? b : a;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || !v.isTextual() ? null : v.asText();
    }

    private static BigDecimal decimal(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || !v.isNumber() ? null : v.decimalValue();
    }

    private static Double number(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || !v.isNumber() ? null : v.doubleValue();
    }
}
