package io.etrms.streams.group;

import io.etrms.model.GroupUpdate.Contribution;
import io.etrms.model.Keys;
import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/**
 * One group's aggregated figures and breakers (store {@value GroupTopology#STATE_STORE}, key group
 * path). The sums are kept exactly, adding each member's new figures and subtracting its old ones,
 * so a member that leaves takes out exactly what it put in; the members' own figures are in
 * {@value GroupTopology#MEMBERS_STORE}.
 *
 * @param members        how many accounts contribute
 * @param grossExposure  Σ total_exposure
 * @param netExposure    Σ net_exposure
 * @param totalEquity    Σ total_equity
 * @param dailyPnl       Σ daily_pnl
 * @param symbolExposure per symbol Σ gross exposure (symbols with a non-zero sum)
 * @param peakEquity     the highest Σ total_equity seen, moved by transfers and by members joining
 *                       and leaving with their equity (none of them is a gain or a loss)
 * @param tripped        tripped breakers by {@link #key(String, String)}
 * @param lastEventTime  the largest event time of the members' updates; null before any
 * @param lastRecordWall wall-clock time of the latest update
 * @param warned         breakers whose warning was given (or whose value went straight past the
 *                       limit), by {@link #key(String, String)}: silent until the value is back at
 *                       or below 90 % of the warning level and the cooldown has passed
 */
record GroupState(int members, BigDecimal grossExposure, BigDecimal netExposure, BigDecimal totalEquity, BigDecimal dailyPnl,
                  Map<String, BigDecimal> symbolExposure, BigDecimal peakEquity, Map<String, Tripped> tripped, Long lastEventTime,
                  Long lastRecordWall, Map<String, Warned> warned) {

    static final GroupState EMPTY = new GroupState(0, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, Map.of(),
            BigDecimal.ZERO, Map.of(), null, null, Map.of());

    /**
     * One tripped group breaker.
     *
     * @param symbol      {@code *}, or the symbol of a concentration breaker
     * @param since       when it tripped (event time, epoch ms)
     * @param inside      whether its value was inside the re-arm band at the latest evaluation
     * @param state       what it imposes on the members: HALTED or REDUCE_ONLY
     * @param description the trip's description
     * @param figures     the trip's figures (given again to an account that joins while it is tripped)
     */
    record Tripped(String condition, String symbol, long since, boolean inside, String state, String description,
                   Map<String, BigDecimal> figures) {

        Tripped withInside(boolean value) {
            return new Tripped(condition, symbol, since, value, state, description, figures);
        }
    }

    /**
     * A warning given: the group's value crossed the warning level of a condition.
     *
     * @param since  when (event time, epoch ms): of the warning, or of the trip when the value went straight past the limit
     * @param inside whether the value was at or below 90 % of the warning level at the latest evaluation
     */
    record Warned(long since, boolean inside) {
    }

    static String key(String condition, String symbol) {
        return condition + Keys.SEPARATOR + symbol;
    }

    /** With {@code before}'s figures (null: a new member) replaced by {@code after}'s (null: it left). */
    GroupState replace(Contribution before, Contribution after) {
        Contribution b = before == null ? Contribution.NONE : before;
        Contribution a = after == null ? Contribution.NONE : after;
        Map<String, BigDecimal> symbols = new TreeMap<>(symbolExposure);
        b.symbolExposure().forEach((s, v) -> symbols.merge(s, v.negate(), BigDecimal::add));
        a.symbolExposure().forEach((s, v) -> symbols.merge(s, v, BigDecimal::add));
        symbols.values().removeIf(v -> v.signum() == 0);
        int count = members + (before == null ? 1 : 0) - (after == null ? 1 : 0);
        BigDecimal equity = totalEquity.add(a.totalEquity()).subtract(b.totalEquity());
        // A member's equity arriving or leaving, and a transfer, move the peak with it.
        BigDecimal moved = before == null ? a.totalEquity() : after == null ? b.totalEquity().negate()
                : a.netTransfers().subtract(b.netTransfers());
        BigDecimal peak = peakEquity.add(moved).max(equity);
        return new GroupState(count, grossExposure.add(a.totalExposure()).subtract(b.totalExposure()),
                netExposure.add(a.netExposure()).subtract(b.netExposure()), equity, dailyPnl.add(a.dailyPnl()).subtract(b.dailyPnl()),
                symbols, peak, tripped, lastEventTime, lastRecordWall, warned);
    }

    GroupState withClock(long eventTime, long wallNow) {
        long clock = lastEventTime == null ? eventTime : Math.max(lastEventTime, eventTime);
        return new GroupState(members, grossExposure, netExposure, totalEquity, dailyPnl, symbolExposure, peakEquity, tripped, clock,
                wallNow, warned);
    }

    GroupState withTripped(Map<String, Tripped> value) {
        return new GroupState(members, grossExposure, netExposure, totalEquity, dailyPnl, symbolExposure, peakEquity, value,
                lastEventTime, lastRecordWall, warned);
    }

    GroupState withWarned(Map<String, Warned> value) {
        return new GroupState(members, grossExposure, netExposure, totalEquity, dailyPnl, symbolExposure, peakEquity, tripped,
                lastEventTime, lastRecordWall, value);
    }

    /** The group's event clock at {@code wallNow}: its latest update's event time, moved on by the wall time since (an idle group re-arms too). */
    long clock(long wallNow) {
        if (lastEventTime == null) {
            return wallNow;
        }
        return lastEventTime + (lastRecordWall == null ? 0 : Math.max(0, wallNow - lastRecordWall));
    }
}
