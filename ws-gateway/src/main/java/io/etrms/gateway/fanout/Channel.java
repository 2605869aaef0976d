package io.etrms.gateway.fanout;

import io.etrms.model.Topic;
import io.etrms.model.Topics;
import java.util.Arrays;
import java.util.Optional;

/**
 * The WebSocket channels: the four of the API contract, each fed by one output topic, and the
 * gateway's own {@code overview} (every account in one message, built from those topics). State
 * channels carry the latest snapshot per account (compacted topic, conflated per connection); the
 * alerts channel carries events (never conflated).
 */
public enum Channel {
    POSITIONS("positions", true),
    ACCOUNTS("accounts", true),
    RISK_METRICS("risk-metrics", true),
    ALERTS("alerts", false),
    /** The firm overview: one message for every account, under the key {@link #EVERY_ACCOUNT}. */
    OVERVIEW("overview", true);

    /** The key of the overview's one message (account ids never are {@code *}: it is the risk-limits default). */
    public static final String EVERY_ACCOUNT = "*";

    /** Where every channel lives: {@code /api/v1/ws/{path}}. */
    public static final String WS_PREFIX = "/api/v1/ws/";

    private final String path;
    private final boolean state;

    Channel(String path, boolean state) {
        this.path = path;
        this.state = state;
    }

    /** The path segment, also the REST resource name and the metrics tag. */
    public String path() {
        return path;
    }

    /** True for positions, accounts and risk-metrics: a latest value per account exists. */
    public boolean isState() {
        return state;
    }

    /** The topic this channel relays, or null for {@link #OVERVIEW} (built by the gateway). */
    public Topic<?> topic(Topics topics) {
        return switch (this) {
            case POSITIONS -> topics.portfolio;
            case ACCOUNTS -> topics.accounts;
            case RISK_METRICS -> topics.riskMetrics;
            case ALERTS -> topics.alerts;
            case OVERVIEW -> null;
        };
    }

    public static Optional<Channel> byPath(String path) {
        return Arrays.stream(values()).filter(c -> c.path.equals(path)).findFirst();
    }
}
