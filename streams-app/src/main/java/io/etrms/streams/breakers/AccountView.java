package io.etrms.streams.breakers;

import io.etrms.model.Position;
import io.etrms.model.RiskMetricsSnapshot.RiskMetrics;
import java.util.List;

/**
 * What the breakers of one account look at: its risk metrics after the latest record, its open
 * positions (with each one's notional and its instrument's price move) and what the exchanges say
 * it holds.
 *
 * @param metrics  null for an account that has had no position or transfer yet
 * @param open     the non-flat positions
 * @param exchange the exchanges' latest position snapshots of the account, one per instrument
 */
public record AccountView(RiskMetrics metrics, List<Position> open, List<ExchangePosition> exchange) {

    public static final AccountView EMPTY = new AccountView(null, List.of(), List.of());

    /** Without position snapshots. */
    public AccountView(RiskMetrics metrics, List<Position> open) {
        this(metrics, open, List.of());
    }

    /** The same with the exchanges' snapshots of the account. */
    public AccountView withExchange(List<ExchangePosition> snapshots) {
        return new AccountView(metrics, open, snapshots);
    }
}
