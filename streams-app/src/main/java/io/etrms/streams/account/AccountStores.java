package io.etrms.streams.account;

import io.etrms.model.Keys;
import io.etrms.model.Position;
import io.etrms.streams.breakers.BreakerState;
import io.etrms.streams.instrument.PositionMath;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Stage 2's stores as one task reads them: the single source of truth of every figure. An
 * account's positions are kept as their last fill left them; a position's current price, PnL and
 * notional are its instrument's {@link Mark} in this task, applied when it is read
 * ({@link #compose}). So a tick writes one mark, whatever the number of accounts holding the
 * instrument.
 */
final class AccountStores {

    private static final StringSerializer KEYS = new StringSerializer();

    private final KeyValueStore<String, StoredPosition> positions;
    private final KeyValueStore<String, Mark> marks;
    private final KeyValueStore<String, AccountState> states;
    private final KeyValueStore<String, BreakerState> breakers;
    private final ExchangePositions exchangePositions;

    AccountStores(ProcessorContext<?, ?> context) {
        this.positions = context.getStateStore(AccountTopology.POSITIONS_STORE);
        this.marks = context.getStateStore(AccountTopology.MARKS_STORE);
        this.states = context.getStateStore(AccountTopology.STATE_STORE);
        this.breakers = context.getStateStore(AccountTopology.BREAKERS_STORE);
        this.exchangePositions = new ExchangePositions(context);
    }

    /** The exchanges' position snapshots of this task's accounts. */
    ExchangePositions exchangePositions() {
        return exchangePositions;
    }

    /** Our size of a position ({@code account|exchange|symbol}): 0 when we hold none. */
    BigDecimal size(String positionKey) {
        StoredPosition p = positions.get(positionKey);
        return p == null ? BigDecimal.ZERO : p.position().size();
    }

    StoredPosition stored(String positionKey) {
        return positions.get(positionKey);
    }

    /** Every stored position of the account (flat ones included: their realized PnL counts), in key order. */
    List<StoredPosition> stored(String account, boolean openOnly) {
        List<StoredPosition> out = new ArrayList<>();
        try (KeyValueIterator<String, StoredPosition> it = positions.prefixScan(account + Keys.SEPARATOR, KEYS)) {
            while (it.hasNext()) {
                StoredPosition p = it.next().value;
                if (!openOnly || !p.position().isFlat()) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    /** Every position of every account of this task, in key order (to rebuild what is derived from them). */
    void forEachPosition(java.util.function.Consumer<StoredPosition> action) {
        try (KeyValueIterator<String, StoredPosition> it = positions.all()) {
            it.forEachRemaining(kv -> action.accept(kv.value));
        }
    }

    void putPosition(StoredPosition position) {
        positions.put(position.position().key(), position);
    }

    /** An account's stored positions with the marks of their instruments, read once for one evaluation. */
    record Holdings(List<StoredPosition> stored, List<Mark> marks, List<Position> positions) {
    }

    /** The account's positions as they stand now: each with its instrument's current mark. */
    Holdings holdings(String account) {
        List<StoredPosition> stored = stored(account, false);
        List<Mark> markList = new ArrayList<>(stored.size());
        List<Position> out = new ArrayList<>(stored.size());
        for (StoredPosition p : stored) {
            Mark mark = marks.get(Keys.instrument(p.position().exchange(), p.position().symbol()));
            markList.add(mark);
            out.add(compose(p, mark));
        }
        return new Holdings(stored, markList, out);
    }

    List<Position> positions(String account) {
        return holdings(account).positions();
    }

    Mark mark(String instrument) {
        return marks.get(instrument);
    }

    void putMark(String instrument, Mark mark) {
        marks.put(instrument, mark);
    }

    /** A stored position with {@code mark} applied (as it was at its fill when no mark came after). */
    static Position compose(StoredPosition stored, Mark mark) {
        Position p = stored.position();
        if (mark == null || mark.sequence() <= stored.markSequence()) {
            return p; // it carries the mark of its fill
        }
        Position marked = new Position(p.account(), p.exchange(), p.symbol(), p.size(), p.entryPrice(), mark.price(), p.unrealizedPnl(),
                p.realizedPnl(), p.notional(), p.fees(), mark.volatility(), mark.priceMovePct(), mark.priceTimestamp(), mark.timestamp());
        return PositionMath.mark(marked, mark.price());
    }

    /** Σ realized + Σ unrealized of the account's positions as they stand now. */
    BigDecimal totalPnl(String account) {
        BigDecimal total = BigDecimal.ZERO;
        for (Position p : positions(account)) {
            total = total.add(p.realizedPnl()).add(p.unrealizedPnl());
        }
        return total;
    }

    AccountState state(String account) {
        return states.get(account);
    }

    void putState(String account, AccountState state) {
        states.put(account, state);
    }

    /**
     * The account's breaker state as if every mark since its positions' last fills had been
     * evaluated: the marks a task skips (see {@link HolderIndex}) still move the account's event
     * clock, its latest-record wall time and its instruments' last-tick times.
     */
    BreakerState breakers(String account) {
        return breakers(account, holdings(account));
    }

    /** The same, with the account's holdings already read. */
    BreakerState breakers(String account, Holdings holdings) {
        BreakerState stored = breakers.get(account);
        BreakerState state = stored == null ? BreakerState.initial() : stored;
        Long lastEvent = state.lastEventTime();
        Long lastWall = state.lastRecordWall();
        Map<String, Long> tickWall = null;
        for (int i = 0; i < holdings.stored().size(); i++) {
            StoredPosition p = holdings.stored().get(i);
            Mark mark = holdings.marks().get(i);
            if (p.position().isFlat() || mark == null || mark.sequence() <= p.markSequence()) {
                continue;
            }
            String instrument = Keys.instrument(p.position().exchange(), p.position().symbol());
            lastEvent = lastEvent == null ? mark.timestamp() : Math.max(lastEvent, mark.timestamp());
            lastWall = lastWall == null ? mark.wall() : Math.max(lastWall, mark.wall());
            if (mark.priceTimestamp() != null) {
                Long seen = state.tickWall().get(instrument);
                if (seen == null || seen < mark.wall()) {
                    if (tickWall == null) {
                        tickWall = new TreeMap<>(state.tickWall());
                    }
                    tickWall.put(instrument, mark.wall());
                }
            }
        }
        if (java.util.Objects.equals(lastEvent, state.lastEventTime()) && java.util.Objects.equals(lastWall, state.lastRecordWall())
                && tickWall == null) {
            return state;
        }
        return state.withClocks(lastEvent, lastWall, tickWall == null ? state.tickWall() : tickWall);
    }

    /**
     * Before a record replaces a stored position: the clocks its instrument's latest mark moved, if
     * the account was not evaluated on it (see {@link #breakers(String)}), go into the breaker state,
     * which would otherwise lose them with the position's mark sequence. The time of a skipped tick
     * is the one a stale-price breaker counts from.
     */
    void settleSkippedMark(String account, StoredPosition replaced, Mark mark) {
        if (replaced != null && mark != null && mark.sequence() > replaced.markSequence()) {
            BreakerState stored = breakers.get(account);
            BreakerState settled = breakers(account, new Holdings(List.of(replaced), List.of(mark), List.of()));
            if (settled != stored) {
                putBreakers(account, settled);
            }
        }
    }

    void putBreakers(String account, BreakerState state) {
        breakers.put(account, state);
    }

    /** Every account with breaker state in this task. */
    List<String> accounts() {
        List<String> accounts = new ArrayList<>();
        try (KeyValueIterator<String, BreakerState> it = breakers.all()) {
            it.forEachRemaining(kv -> accounts.add(kv.key));
        }
        return accounts;
    }
}
