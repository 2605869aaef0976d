package io.etrms.streams.account;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the account stage keeps per account (store {@code account-state}) besides its positions.
 *
 * @param transfers    Σ transfers per exchange
 * @param peakEquity   highest total equity seen, moved by transfers (null before any record)
 * @param maxDrawdown  largest current drawdown seen, percent
 * @param day          the session of the latest record (event time): the epoch day of the local date it
 *                     started on ({@link io.etrms.streams.breakers.SessionCalendar#sessionOf}; with the
 *                     default sessions from 00:00 UTC, the UTC epoch day)
 * @param dayStartPnl  total PnL at the last record before the start of session {@code day} (0 if none)
 * @param lastTotalPnl total PnL after the latest record evaluated exactly (a mark that is not, see
 *                     {@code HolderIndex}, moves it without a write: at a new day the total before the
 *                     record is recomputed from the stores)
 * @param sessionEnd   when session {@code day} ends (the next one starts), epoch ms: a record at or after it starts a new session
 */
public record AccountState(
        Map<String, BigDecimal> transfers,
        BigDecimal peakEquity,
        double maxDrawdown,
        long day,
        BigDecimal dayStartPnl,
        BigDecimal lastTotalPnl,
        long sessionEnd) {

    /** Whether a record at {@code eventTime} starts a new session. */
    public boolean newSessionAt(long eventTime) {
        return day != Long.MIN_VALUE && eventTime >= sessionEnd;
    }

    /** The same with the total PnL before a record (the day start of a record of a later day). */
    public AccountState withLastTotalPnl(BigDecimal totalPnl) {
        return new AccountState(transfers, peakEquity, maxDrawdown, day, dayStartPnl, totalPnl, sessionEnd);
    }

    public static AccountState empty() {
        return new AccountState(new TreeMap<>(), null, 0.0, Long.MIN_VALUE, BigDecimal.ZERO, BigDecimal.ZERO, Long.MIN_VALUE);
    }
}
