package io.etrms.streams.breakers;

import io.etrms.model.Position;
import io.etrms.model.RiskMetricsSnapshot.RiskMetrics;
import java.util.List;

/**
 * What the breakers of one account look at: its risk metrics after the latest record and its open
 * positions (with each one's notional and its instrument's price move).
 *
 * @param metrics null for an account that has had no position or transfer yet
 * @param open    the non-flat positions
 */
public record AccountView(RiskMetrics metrics, List<Position> open) {

    public static final AccountView EMPTY = new AccountView(null, List.of());
}
