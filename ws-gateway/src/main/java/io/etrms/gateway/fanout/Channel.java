package io.etrms.gateway.fanout;

import io.etrms.model.Topic;
import io.etrms.model.Topics;
import java.util.Arrays;
import java.util.Optional;

/**
 * The four WebSocket channels of DESIGN.md, each fed by one output topic. State channels carry
 * the latest snapshot per account (compacted topic, conflated per connection); the alerts channel
 * carries events (never conflated).
 */
public enum Channel {
    POSITIONS("positions", true),
    ACCOUNTS("accounts", true),
    RISK_METRICS("risk-metrics", true),
    ALERTS("alerts", false);

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

    public Topic<?> topic(Topics topics) {
        return switch (this) {
            case POSITIONS -> topics.portfolio;
            case ACCOUNTS -> topics.accounts;
            case RISK_METRICS -> topics.riskMetrics;
            case ALERTS -> topics.alerts;
        };
    }

    public static Optional<Channel> byPath(String path) {
        return Arrays.stream(values()).filter(c -> c.path.equals(path)).findFirst();
    }
}
