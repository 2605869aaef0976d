package io.etrms.streams.breakers;

import io.etrms.model.Alert;
import io.etrms.model.Keys;
import io.etrms.model.Position;
import io.etrms.model.TradingState;
import java.util.Map;
import java.util.TreeMap;

/**
 * The circuit breakers of one account (store {@code account-breakers}, key account).
 *
 * @param nextAlertId    the {@code alert_id} of the account's next alert (1, 2, 3, …)
 * @param nextCommandId  the sequence number of the account's next risk command
 * @param lastEventTime  the largest event time (epoch ms) of the account's positions and transfers; null before any
 * @param lastRecordWall wall-clock time (epoch ms) at which the latest of them was processed
 * @param tripped        tripped breakers by {@link #key(Condition, String, String)}
 * @param published      the state last published on {@code risk-commands} per scope ({@code *|*} for
 *                       the account, {@code exchange|symbol} for an instrument); absent = ACTIVE
 * @param tickWall       per held instrument ({@code exchange|symbol}), the wall-clock time of its
 *                       latest tick seen here (or of the moment it became held)
 * @param limits         the limits of the latest evaluation (a change is evaluated at the next punctuation)
 * @param warned         breakers whose warning level was crossed, by {@link #key(Condition, String, String)}:
 *                       silent until their value is back below 90 % of the warning level and the cooldown has passed
 */
public record BreakerState(
        long nextAlertId,
        long nextCommandId,
        Long lastEventTime,
        Long lastRecordWall,
        Map<String, Tripped> tripped,
        Map<String, String> published,
        Map<String, Long> tickWall,
        Limits limits,
        Map<String, Warned> warned) {

    /** The scope of an account-wide breaker and command. */
    public static final String ACCOUNT_SCOPE = Alert.ANY + Keys.SEPARATOR + Alert.ANY;

    /**
     * One tripped breaker.
     *
     * @param since  when it tripped: epoch ms of event time, or of the wall clock for stale_price
     * @param inside whether its value was back inside the re-arm band at the latest evaluation
     * @param action what it imposes ({@code halt}, {@code reduce_only}, {@code alert_only})
     */
    public record Tripped(String condition, String exchange, String symbol, long alertId, long since, boolean inside, String action) {

        public String scope() {
            return Keys.instrument(exchange, symbol);
        }

        Tripped withInside(boolean value) {
            return new Tripped(condition, exchange, symbol, alertId, since, value, action);
        }
    }

    /**
     * A warning given: the breaker's value crossed its warning level (a share of the limit, 80 % by default).
     *
     * @param alertId the {@code circuit_breaker_warning} alert, or of the trip when the value went straight past the limit
     * @param since   when (event time, epoch ms)
     * @param inside  whether the value was back below 90 % of the warning level at the latest evaluation
     */
    public record Warned(long alertId, long since, boolean inside) {
    }

    public static BreakerState initial() {
        return new BreakerState(1, 1, null, null, new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), null, new TreeMap<>());
    }

    public static String key(Condition condition, String exchange, String symbol) {
        return condition.conditionName() + Keys.SEPARATOR + exchange + Keys.SEPARATOR + symbol;
    }

    /** After a position or transfer with event time {@code eventTime}, processed at wall-clock {@code wallNow}. */
    public BreakerState withRecord(long eventTime, long wallNow) {
        long clock = lastEventTime == null ? eventTime : Math.max(lastEventTime, eventTime);
        return new BreakerState(nextAlertId, nextCommandId, clock, wallNow, tripped, published, tickWall, limits, warned);
    }

    /** The same with other clocks (the marks a task did not evaluate one by one still move them). */
    public BreakerState withClocks(Long eventTime, Long recordWall, Map<String, Long> ticks) {
        return new BreakerState(nextAlertId, nextCommandId, eventTime, recordWall, tripped, published, ticks, limits, warned);
    }

    /**
     * Follows which instruments are held and when each last got a tick: a position update whose
     * price time moved (or that a tick produced: its event time is its price time) is a tick.
     */
    public BreakerState withPosition(Position position, Position before, long wallNow) {
        String instrument = Keys.instrument(position.exchange(), position.symbol());
        Map<String, Long> ticks = new TreeMap<>(tickWall);
        if (position.isFlat()) {
            ticks.remove(instrument);
        } else {
            Long priceTime = position.priceTimestamp();
            boolean tick = priceTime != null && (before == null || !priceTime.equals(before.priceTimestamp())
                    || priceTime.equals(position.timestamp()));
            if (tick || !ticks.containsKey(instrument)) {
                ticks.put(instrument, wallNow);
            }
        }
        return new BreakerState(nextAlertId, nextCommandId, lastEventTime, lastRecordWall, tripped, published, ticks, limits, warned);
    }

    /** The account-wide state: the strictest of the account-wide breakers (and a forced state). */
    public String accountState() {
        String state = TradingState.ACTIVE;
        for (Tripped t : tripped.values()) {
            if (ACCOUNT_SCOPE.equals(t.scope())) {
                state = TradingState.strictest(state, Condition.stateOf(t.action()));
            }
        }
        return state;
    }

    /** The state of one scope: {@link #ACCOUNT_SCOPE}, or an instrument's own breakers. */
    public String scopeState(String scope) {
        if (ACCOUNT_SCOPE.equals(scope)) {
            return accountState();
        }
        String state = TradingState.ACTIVE;
        for (Tripped t : tripped.values()) {
            if (scope.equals(t.scope())) {
                state = TradingState.strictest(state, Condition.stateOf(t.action()));
            }
        }
        return state;
    }

    /** {@code risk_metrics.trading_state}: the strictest state anywhere in the account. */
    public String tradingState() {
        String state = TradingState.ACTIVE;
        for (Tripped t : tripped.values()) {
            state = TradingState.strictest(state, Condition.stateOf(t.action()));
        }
        return state;
    }

    /** Instruments restricted by their own breakers: exchange → symbol → state. */
    public Map<String, Map<String, String>> instrumentStates() {
        Map<String, Map<String, String>> out = new TreeMap<>();
        for (Tripped t : tripped.values()) {
            String state = Condition.stateOf(t.action());
            if (!ACCOUNT_SCOPE.equals(t.scope()) && !TradingState.ACTIVE.equals(state)) {
                out.computeIfAbsent(t.exchange(), e -> new TreeMap<>()).merge(t.symbol(), state, TradingState::strictest);
            }
        }
        return out;
    }
}
