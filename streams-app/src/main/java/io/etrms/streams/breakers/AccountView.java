package io.etrms.streams.breakers;

import io.etrms.model.Position;
import io.etrms.model.RiskMetricsSnapshot.RiskMetrics;
import java.util.List;

/**
 * What the breakers of one account look at: its risk metrics after the latest record, its open
 * positions (with each one's notional and its instrument's price move) and what the exchanges say
 * it holds.
 *
 * @param metrics    null for an account that has had no position or transfer yet
 * @param open       the non-flat positions
 * @param exchange   the exchanges' latest position snapshots of the account, one per instrument
 * @param sessionEnd when the session of the latest record ends (epoch ms): from then on, until the
 *                   account's next record, its daily PnL is that of a new session without a record: 0
 */
public record AccountView(RiskMetrics metrics, List<Position> open, List<ExchangePosition> exchange, long sessionEnd) {

    public static final AccountView EMPTY = new AccountView(null, List.of(), List.of(), Long.MAX_VALUE);

    /** Without position snapshots, in a session that does not end. */
    public AccountView(RiskMetrics metrics, List<Position> open) {
        this(metrics, open, List.of(), Long.MAX_VALUE);
    }

    /** Without position snapshots. */
    public AccountView(RiskMetrics metrics, List<Position> open, long sessionEnd) {
        this(metrics, open, List.of(), sessionEnd);
    }

    /** The same with the exchanges' snapshots of the account. */
    public AccountView withExchange(List<ExchangePosition> snapshots) {
        return new AccountView(metrics, open, snapshots, sessionEnd);
    }
}
