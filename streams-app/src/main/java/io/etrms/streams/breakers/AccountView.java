package io.etrms.streams.breakers;

import io.etrms.model.Position;
import io.etrms.model.RiskMetricsSnapshot.RiskMetrics;
import java.util.List;

/**
 * What the breakers of one account look at: its risk metrics after the latest record and its open
 * positions (with each one's notional and its instrument's price move).
 *
 * @param metrics null for an account that has had no position or transfer yet
 * @param open       the non-flat positions
 * @param sessionEnd when the session of the latest record ends (epoch ms): from then on, until the
 *                   account's next record, its daily PnL is that of a new session without a record: 0
 */
public record AccountView(RiskMetrics metrics, List<Position> open, long sessionEnd) {

    public static final AccountView EMPTY = new AccountView(null, List.of(), Long.MAX_VALUE);

    /** A view whose session does not end. */
    public AccountView(RiskMetrics metrics, List<Position> open) {
        this(metrics, open, Long.MAX_VALUE);
    }
}
