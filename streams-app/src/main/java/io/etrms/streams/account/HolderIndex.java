package io.etrms.streams.account;

import io.etrms.model.Alert;
import io.etrms.model.Keys;
import io.etrms.model.RiskMetricsSnapshot.RiskMetrics;
import io.etrms.streams.breakers.BreakerState;
import io.etrms.streams.breakers.Condition;
import io.etrms.streams.breakers.Limits;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which accounts of this task hold which instruments, and per account how far its figures are
 * from every threshold where an evaluation could change something: a new peak, a new maximum
 * drawdown, a breaker's trip level, the next day. A mark advances each holder's estimates
 * (equity and gross exposure, in doubles: a few nanoseconds per holder) and returns only the
 * accounts it may have brought near a threshold; those are evaluated exactly on the stores, as
 * every account was before. An account whose value a mark changed but cannot have brought near
 * any threshold would evaluate to nothing but its new figures, which are a function of the stores
 * and are published on the next snapshot.
 *
 * <p>A tripped {@code max_gross_exposure} or {@code max_leverage} breaker has its re-arm level
 * (90 % of the limit) as its threshold instead of the limit: a mark is evaluated when it may have
 * moved the value across that level (either way: the breaker remembers whether it is inside), or
 * when the value is inside and the cooldown may have passed on the account's clock (the largest
 * event time of the marks and records it has seen), which is when the breaker re-arms.
 *
 * <p>A tripped breaker or a given warning of one instrument ({@code volatility},
 * {@code max_position_notional}, {@code stale_price}, {@code reconciliation}) watches that
 * instrument: its value moves with that instrument's marks only (and with fills and snapshots,
 * which are always evaluated), so a mark of another instrument is evaluated for it only when the
 * cooldown may have passed with the value inside, on the account's clock (the wall clock for
 * {@code stale_price}), which is when it re-arms. For {@code volatility} and
 * {@code max_position_notional}, whose value a mark carries (the instrument's price move, the
 * position's size × price), the instrument's own marks are evaluated only when they may move the
 * value across a level where the breaker's state changes: a tripped breaker's re-arm level (90 %
 * of the limit: the state remembers on which side the value is); a given warning's re-arm level
 * (90 % of the warning level) and the limit, where its breaker trips. The other two re-arm on
 * values that marks do not carry: every mark of their instrument is evaluated.
 *
 * <p>Conservative by construction: a distance smaller than a relative tolerance of 10⁻⁹ (far above
 * the doubles' rounding) counts as near; an account with any other non-latching breaker waiting to
 * re-arm, an account-wide warning given, without positive equity, with changed limits, or whose
 * estimates have drifted through {@value #MAX_SKIPPED} marks is always evaluated. Derived data: nothing here is published or
 * stored; it is rebuilt from the stores at every task initialisation and bounded by the task's
 * open positions. {@code FilteredMarksTest} checks that evaluating only what it returns publishes
 * exactly what evaluating every holder on every mark publishes.
 */
final class HolderIndex {

    static final double RELATIVE_TOLERANCE = 1e-9;
    static final int MAX_SKIPPED = 100_000;
    /** Splits a breaker key, {@code condition|exchange|symbol}. */
    private static final Pattern KEY_PARTS = Pattern.compile(Pattern.quote(Keys.SEPARATOR));
    private static final double REARM = Limits.REARM.doubleValue();

    /** One account's estimates and thresholds. */
    static final class Bands {
        final String account;
        /** instrument → the account's open position in it (size and entry, exact). */
        final Map<String, Exact> positions = new LinkedHashMap<>();
        /** Σ transfers + Σ realized PnL of every position (flat ones too), exact, as of the last evaluation. */
        BigDecimal cash = BigDecimal.ZERO;
        /** Σ transfers, exact. */
        BigDecimal transfers = BigDecimal.ZERO;
        double equity;
        double exposure;
        double tolerance;
        double peak;
        /** Below this equity the maximum drawdown grows (a new figure, no breaker). */
        double drawdownFloor;
        /** Below this equity a breaker trips (drawdown, daily loss) or leverage changes form (no equity). */
        double floor;
        /** The drawdown limit (NaN: off or tripped): its floor moves with the peak. */
        double drawdownLimit;
        /** The breaker floor without the drawdown's: daily loss, equity. */
        double otherFloor;
        double exposureCap;
        double leverage;
        double notionalCap;
        double moveCap;
        /** The tripped account-wide exposure and leverage breakers' re-arm bands (null: none tripped). */
        Rearm exposureRearm;
        Rearm leverageRearm;
        /** The largest event time of the records and marks seen: no earlier than the clock an evaluation would use. */
        long clock = Long.MIN_VALUE;
        long staleDeadline;
        long sessionEnd;
        long limitsVersion;
        boolean hot = true;
        /** Instruments with a tripped breaker or a given warning of their own, and the levels at which their marks are evaluated. */
        Map<String, Watch> watched = Map.of();
        /** From this account clock (event time) on, a watched breaker or warning may re-arm by its cooldown. */
        long watchedEventDue = Long.MAX_VALUE;
        /** From this wall-clock time on, a watched stale_price breaker may re-arm by its cooldown. */
        long watchedWallDue = Long.MAX_VALUE;
        int skipped;

        Bands(String account) {
            this.account = account;
        }
    }

    /**
     * A tripped breaker's re-arm band: its value's re-arm level, whether the value was inside it at
     * the last evaluation, and when its cooldown ends on the account's clock.
     */
    record Rearm(double level, boolean inside, long cooldownEnd) {

        /** Whether {@code distance} (value − level, as a linear form) or the clock may re-arm it, or cross its level. */
        boolean near(double distance, double tolerance, long clock) {
            return inside ? clock >= cooldownEnd || distance > -tolerance : distance < tolerance;
        }
    }

    /**
     * A watched instrument: the levels of its own value (price move, notional) that its marks are
     * evaluated at, and the caps that replace the account's warning bands for it (a breaker
     * tripped: none; a warning given: the limit). {@code everyMark}: a breaker or warning whose
     * value marks do not carry, so every mark of the instrument is evaluated.
     */
    static final class Watch {
        boolean everyMark;
        double moveCap = Double.NaN;
        double notionalCap = Double.NaN;
        final List<Level> levels = new ArrayList<>(2);

        boolean near(double move, double notional) {
            if (everyMark) {
                return true;
            }
            for (Level level : levels) {
                if (level.near(level.notional() ? notional : move)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** A level of a watched value and the side the value was on at the last evaluation (inside: at or below it). */
    record Level(boolean notional, double level, boolean inside, double tolerance) {

        boolean near(double value) {
            return inside ? value > level - tolerance : value < level + tolerance;
        }
    }

    /** An open position's size and entry, exact: with the instrument's exact mark they give its unrealized PnL. */
    record Exact(BigDecimal size, BigDecimal entry) {
    }

    /** The holders of one instrument: parallel arrays, for a tight loop per mark. */
    private static final class Holders {
        Bands[] bands = new Bands[4];
        double[] sizes = new double[4];
        int count;
        /** The price the holders' estimates stand at. */
        double price;
        /** The instrument's mark, exact. */
        BigDecimal exactPrice;

        Holders(BigDecimal price) {
            this.exactPrice = price;
            this.price = price.doubleValue();
        }

        int indexOf(Bands b) {
            for (int i = 0; i < count; i++) {
                if (bands[i] == b) {
                    return i;
                }
            }
            return -1;
        }
    }

    private final Map<String, Holders> instruments = new HashMap<>();
    private final Map<String, Bands> accounts = new HashMap<>();

    /**
     * Records the account's size in the instrument (0: no longer held). {@code price} is the
     * instrument's current mark; the account must be {@link #refresh refreshed} afterwards.
     */
    void setPosition(String account, String instrument, BigDecimal size, BigDecimal entry, BigDecimal price) {
        Bands b = accounts.computeIfAbsent(account, Bands::new);
        Holders h = instruments.get(instrument);
        if (size.signum() == 0) {
            b.positions.remove(instrument);
            if (h != null) {
                int i = h.indexOf(b);
                if (i >= 0) {
                    h.count--;
                    h.bands[i] = h.bands[h.count];
                    h.sizes[i] = h.sizes[h.count];
                    h.bands[h.count] = null;
                }
                if (h.count == 0) {
                    instruments.remove(instrument);
                }
            }
            if (b.positions.isEmpty()) {
                accounts.remove(account);
            }
            return;
        }
        if (h == null) {
            h = new Holders(price);
            instruments.put(instrument, h);
        }
        int i = h.indexOf(b);
        if (i < 0) {
            if (h.count == h.bands.length) {
                h.bands = Arrays.copyOf(h.bands, h.count * 2);
                h.sizes = Arrays.copyOf(h.sizes, h.count * 2);
            }
            i = h.count++;
            h.bands[i] = b;
        }
        h.sizes[i] = size.doubleValue();
        b.positions.put(instrument, new Exact(size, entry));
        b.hot = true;
    }

    /** The accounts of this task holding the instrument. */
    List<String> holders(String instrument) {
        Holders h = instruments.get(instrument);
        List<String> out = new ArrayList<>();
        if (h != null) {
            for (int i = 0; i < h.count; i++) {
                out.add(h.bands[i].account);
            }
        }
        return out;
    }

    /** When the session the account was last evaluated in ends (a mark at or after it starts a new one). */
    long sessionEndOf(String account) {
        Bands b = accounts.get(account);
        return b == null ? Long.MIN_VALUE : b.sessionEnd;
    }

    /** The holders a mark may have changed: {@code full} may have a breaker to evaluate, {@code figures} only a new peak or maximum drawdown. */
    record Near(List<String> full, List<String> figures) {
    }

    /**
     * Moves the instrument's holders' estimates to {@code price} and returns, in no particular
     * order, the holders (but {@code excluded}) that must be evaluated exactly.
     *
     * @param movePct       the instrument's price move now (volatility condition)
     * @param eventTime     the mark's event time (a new session is evaluated for every holder)
     * @param wallNow       the wall clock (stale_price)
     * @param limitsVersion the global limits store's change count
     */
    Near advance(String instrument, BigDecimal price, Double movePct, long eventTime, long wallNow, long limitsVersion,
                 String excluded) {
        Holders h = instruments.get(instrument);
        Near near = new Near(new ArrayList<>(), new ArrayList<>());
        if (h == null) {
            return near;
        }
        double p = price.doubleValue();
        double dp = p - h.price;
        h.price = p;
        h.exactPrice = price;
        double move = movePct == null ? 0.0 : Math.abs(movePct);
        for (int i = 0; i < h.count; i++) {
            Bands b = h.bands[i];
            double q = h.sizes[i];
            b.equity += q * dp;
            b.exposure += Math.abs(q) * dp;
            b.clock = Math.max(b.clock, eventTime);
            if (b.account.equals(excluded)) {
                continue;
            }
            Watch watch = b.watched.isEmpty() ? null : b.watched.get(instrument);
            if (breakerNear(b, watch, Math.abs(q) * p, move, eventTime, wallNow, limitsVersion)) {
                near.full().add(b.account);
            } else if (b.equity > b.peak - b.tolerance || b.equity < b.drawdownFloor + b.tolerance) {
                near.figures().add(b.account);
            } else {
                b.skipped++;
            }
        }
        return near;
    }

    /** {@code watch}: the marked instrument's, if the account watches it. */
    private static boolean breakerNear(Bands b, Watch watch, double notional, double move, long eventTime, long wallNow,
                                       long limitsVersion) {
        double tol = b.tolerance;
        return b.hot || b.skipped >= MAX_SKIPPED || eventTime >= b.sessionEnd || limitsVersion != b.limitsVersion || wallNow >= b.staleDeadline
                || (!b.watched.isEmpty() && (b.clock >= b.watchedEventDue || wallNow >= b.watchedWallDue))
                || (watch != null && watch.near(move, notional))
                || b.equity < b.floor + tol
                || b.exposure > b.exposureCap - tol
                || (!Double.isNaN(b.leverage) && b.exposure - b.leverage * b.equity > -tol * (1 + b.leverage))
                || notional > (watch == null ? b.notionalCap : watch.notionalCap) - tol
                || move > (watch == null ? b.moveCap : watch.moveCap) * (1 - RELATIVE_TOLERANCE)
                || (b.exposureRearm != null && b.exposureRearm.near(b.exposure - b.exposureRearm.level(), tol, b.clock))
                || (b.leverageRearm != null && b.leverageRearm.near(b.exposure - b.leverageRearm.level() * b.equity,
                        tol * (1 + b.leverageRearm.level()), b.clock));
    }

    /**
     * After a mark that only moved the account's peak or maximum drawdown (its breakers, far from
     * every limit, were not evaluated): the estimates and the thresholds that follow the peak.
     */
    void refreshFigures(String account, BigDecimal totalEquity, AccountState ledger) {
        Bands b = accounts.get(account);
        if (b == null) {
            return;
        }
        double equity = totalEquity.doubleValue();
        double peak = ledger.peakEquity().doubleValue();
        b.equity = equity;
        b.tolerance = RELATIVE_TOLERANCE * (1 + Math.abs(equity) + Math.abs(b.exposure) + Math.abs(peak));
        b.skipped = 0;
        setPeak(b, peak, ledger.maxDrawdown());
    }

    /** The peak and the floors that move with it: the breaker floor is the highest of the drawdown's and the others. */
    private static void setPeak(Bands b, double peak, double maxDrawdown) {
        b.peak = peak;
        b.drawdownFloor = peak > 0 ? peak * (1 - maxDrawdown / 100.0) : Double.NEGATIVE_INFINITY;
        b.floor = peak > 0 && !Double.isNaN(b.drawdownLimit) ? Math.max(b.otherFloor, peak * (1 - b.drawdownLimit / 100.0)) : b.otherFloor;
    }

    /**
     * Sets the account's estimates and thresholds from its exact figures, just evaluated.
     *
     * @param metrics    its risk metrics now
     * @param positions  its positions now
     * @param ledger     its ledger now
     * @param breakers   its breaker state now (clocks materialised)
     * @param staleFloor the wall-clock time from which silence counts
     */
    void refresh(String account, RiskMetrics metrics, List<io.etrms.model.Position> positions, AccountState ledger, Limits limits,
                 BreakerState breakers, long limitsVersion, long staleFloor) {
        Bands b = accounts.get(account);
        if (b == null) {
            return; // holds nothing in this task: marks never reach it
        }
        double equity = metrics.totalEquity().doubleValue();
        double exposure = metrics.totalExposure().doubleValue();
        double peak = ledger.peakEquity() == null ? equity : ledger.peakEquity().doubleValue();
        b.equity = equity;
        b.exposure = exposure;
        b.tolerance = RELATIVE_TOLERANCE * (1 + Math.abs(equity) + Math.abs(exposure) + Math.abs(peak));
        b.sessionEnd = ledger.sessionEnd();
        b.limitsVersion = limitsVersion;
        b.skipped = 0;
        if (breakers.lastEventTime() != null) {
            b.clock = Math.max(b.clock, breakers.lastEventTime());
        }
        BigDecimal transfers = BigDecimal.ZERO;
        for (BigDecimal t : ledger.transfers().values()) {
            transfers = transfers.add(t);
        }
        BigDecimal cash = transfers;
        for (io.etrms.model.Position p : positions) {
            cash = cash.add(p.realizedPnl());
        }
        b.transfers = transfers;
        b.cash = cash;

        boolean hot = equity <= b.tolerance;
        Map<String, Watch> watched = new HashMap<>();
        b.watchedEventDue = Long.MAX_VALUE;
        b.watchedWallDue = Long.MAX_VALUE;
        b.exposureRearm = null;
        b.leverageRearm = null;
        for (BreakerState.Tripped t : breakers.tripped().values()) {
            Condition c = Condition.byName(t.condition());
            Rearm rearm = c.latches() ? null : rearm(t, c, limits);
            if (rearm != null && c == Condition.MAX_GROSS_EXPOSURE) {
                b.exposureRearm = rearm;
            } else if (rearm != null) {
                b.leverageRearm = rearm;
            } else if (!c.latches() && ofOneInstrument(c, t.exchange(), t.symbol())) {
                Watch watch = watch(watched, t.scope(), t.inside() ? t.since() + limits.cooldownMs(c) : Long.MAX_VALUE, c.wallClock(), b);
                hot |= !watchTripped(watch, c, t.inside(), limits, b.tolerance);
            } else {
                hot |= !c.latches();
            }
        }
        for (Map.Entry<String, BreakerState.Warned> e : breakers.warned().entrySet()) {
            if (breakers.tripped().containsKey(e.getKey())) {
                continue; // the breaker's own band or watch covers it
            }
            String[] scope = KEY_PARTS.split(e.getKey(), 3);
            Condition c = Condition.byName(scope[0]);
            BreakerState.Warned w = e.getValue();
            if (scope.length == 3 && ofOneInstrument(c, scope[1], scope[2])) {
                Watch watch = watch(watched, Keys.instrument(scope[1], scope[2]), w.inside() ? w.since() + limits.cooldownMs() : Long.MAX_VALUE,
                        false, b);
                hot |= !watchWarned(watch, c, w, limits, b.tolerance);
            } else {
                hot = true; // an account-wide warning: every mark may move its value
            }
        }
        b.watched = watched.isEmpty() ? Map.of() : watched;
        b.hot = hot;

        double other = 0; // without equity, leverage has no finite value and the drawdown no meaning: always evaluated
        Double loss = band(limits, Condition.DAILY_LOSS);
        if (loss != null && !tripped(breakers, Condition.DAILY_LOSS)) {
            other = Math.max(other, transfers.doubleValue() + ledger.dayStartPnl().doubleValue() - loss);
        }
        b.otherFloor = other;
        Double drawdown = band(limits, Condition.MAX_DRAWDOWN);
        b.drawdownLimit = drawdown != null && !tripped(breakers, Condition.MAX_DRAWDOWN) ? drawdown : Double.NaN;
        setPeak(b, peak, ledger.maxDrawdown());
        // A tripped breaker's limit is no threshold (crossing it again changes nothing): its re-arm level is.
        b.exposureCap = b.exposureRearm != null ? Double.POSITIVE_INFINITY : orInfinity(band(limits, Condition.MAX_GROSS_EXPOSURE));
        Double leverage = band(limits, Condition.MAX_LEVERAGE);
        b.leverage = leverage == null || b.leverageRearm != null ? Double.NaN : leverage;
        b.notionalCap = orInfinity(band(limits, Condition.MAX_POSITION_NOTIONAL));
        b.moveCap = orInfinity(band(limits, Condition.VOLATILITY));
        for (Watch watch : watched.values()) {
            watch.notionalCap = Double.isNaN(watch.notionalCap) ? b.notionalCap : watch.notionalCap;
            watch.moveCap = Double.isNaN(watch.moveCap) ? b.moveCap : watch.moveCap;
        }
        // A mark checks the notional and move of its own instrument only: one of another instrument
        // already beyond its cap (not tripped: a reset left it there) trips at the account's next record.
        for (io.etrms.model.Position p : positions) {
            Watch watch = watched.get(instrumentOf(p));
            double notionalCap = watch == null ? b.notionalCap : watch.notionalCap;
            double moveCap = watch == null ? b.moveCap : watch.moveCap;
            if (!p.isFlat() && (p.notional().doubleValue() > notionalCap - b.tolerance
                    || (p.priceMovePct() != null && Math.abs(p.priceMovePct()) > moveCap * (1 - RELATIVE_TOLERANCE)))) {
                b.hot = true;
            }
        }

        Double stale = limits.limitOf(Condition.STALE_PRICE);
        long deadline = Long.MAX_VALUE;
        if (stale != null) {
            long staleMs = (long) Math.ceil(stale * 1000);
            for (String instrument : b.positions.keySet()) {
                Long seen = breakers.tickWall().get(instrument);
                long since = Math.max(seen == null ? staleFloor : seen, staleFloor);
                deadline = Math.min(deadline, since + staleMs);
            }
        }
        b.staleDeadline = deadline;
    }

    /**
     * The account's total equity and total PnL now, exact: Σ transfers + Σ realized (both as of its
     * last evaluation: only its own records change them) + each open position's unrealized PnL at
     * its instrument's current mark, as {@link io.etrms.streams.instrument.PositionMath#unrealized}
     * computes it for the published positions; and its closed-trade equity (Σ transfers + Σ realized).
     */
    BigDecimal[] equityAndPnl(String account) {
        Bands b = accounts.get(account);
        BigDecimal equity = b.cash;
        for (Map.Entry<String, Exact> e : b.positions.entrySet()) {
            BigDecimal price = instruments.get(e.getKey()).exactPrice;
            equity = equity.add(io.etrms.streams.instrument.PositionMath.unrealized(e.getValue().size(), e.getValue().entry(), price));
        }
        return new BigDecimal[] {equity, equity.subtract(b.transfers), b.cash};
    }

    /** Whether the account holds anything here. */
    boolean holdsAnything(String account) {
        return accounts.containsKey(account);
    }

    /** A breaker or warning of one instrument of one exchange, whose value only that instrument's records move. */
    private static boolean ofOneInstrument(Condition c, String exchange, String symbol) {
        return c.perInstrument() && !c.group() && !Alert.ANY.equals(exchange) && !Alert.ANY.equals(symbol);
    }

    /** Watches {@code instrument}, and the clock from which a cooldown ending at {@code due} may re-arm (MAX: only its value can). */
    private static Watch watch(Map<String, Watch> watched, String instrument, long due, boolean wallClock, Bands b) {
        if (wallClock) {
            b.watchedWallDue = Math.min(b.watchedWallDue, due);
        } else {
            b.watchedEventDue = Math.min(b.watchedEventDue, due);
        }
        return watched.computeIfAbsent(instrument, i -> new Watch());
    }

    /**
     * The level of a tripped breaker of one instrument: its re-arm level. Crossing the limit or the
     * warning level again changes nothing while it is tripped, and its warning's side of the
     * warning's re-arm level is measured again by the evaluation that re-arms it, before anything
     * reads it. False when the state is not one an evaluation leaves (the condition switched off):
     * the account must then be evaluated on every mark.
     */
    private static boolean watchTripped(Watch watch, Condition c, boolean inside, Limits limits, double tolerance) {
        boolean notional = c == Condition.MAX_POSITION_NOTIONAL;
        if (!notional && c != Condition.VOLATILITY) {
            watch.everyMark = true;
            return true;
        }
        Double limit = limits.limitOf(c);
        if (limit == null) {
            return false;
        }
        setCap(watch, notional, Double.POSITIVE_INFINITY);
        watch.levels.add(level(notional, limit * REARM, inside, tolerance));
        return true;
    }

    /**
     * The levels of a given warning of one instrument, its breaker not tripped: the warning's re-arm
     * level, and the limit as the cap (crossing the warning level again changes nothing). False when
     * the state is not one an evaluation leaves.
     */
    private static boolean watchWarned(Watch watch, Condition c, BreakerState.Warned warned, Limits limits, double tolerance) {
        boolean notional = c == Condition.MAX_POSITION_NOTIONAL;
        if (!notional && c != Condition.VOLATILITY) {
            watch.everyMark = true;
            return true;
        }
        Double limit = limits.limitOf(c);
        Double warning = limits.warningFraction();
        if (limit == null || warning == null) {
            return false;
        }
        setCap(watch, notional, limit);
        watch.levels.add(level(notional, limit * warning * REARM, warned.inside(), tolerance));
        return true;
    }

    private static void setCap(Watch watch, boolean notional, double cap) {
        if (notional) {
            watch.notionalCap = cap;
        } else {
            watch.moveCap = cap;
        }
    }

    /** A level with a tolerance above the doubles' rounding and the exact notional's (money, 8 decimals). */
    private static Level level(boolean notional, double level, boolean inside, double tolerance) {
        return new Level(notional, level, inside, tolerance + RELATIVE_TOLERANCE * (1 + Math.abs(level)));
    }

    /**
     * The re-arm band of a tripped account-wide {@code max_gross_exposure} or {@code max_leverage}
     * breaker with its limit on; null for every other breaker (one of a single instrument watches
     * that instrument, the others are evaluated on every mark until they re-arm).
     */
    private static Rearm rearm(BreakerState.Tripped t, Condition c, Limits limits) {
        if ((c != Condition.MAX_GROSS_EXPOSURE && c != Condition.MAX_LEVERAGE)
                || !Alert.ANY.equals(t.exchange()) || !Alert.ANY.equals(t.symbol())) {
            return null;
        }
        Double limit = limits.limitOf(c);
        if (limit == null) {
            return null; // switched off: the next evaluation re-arms it
        }
        return new Rearm(limit * REARM, t.inside(), t.since() + limits.cooldownMs(c));
    }

    private static boolean tripped(BreakerState state, Condition condition) {
        return state.tripped().containsKey(BreakerState.key(condition, Alert.ANY, Alert.ANY));
    }

    /**
     * The level at which a mark must be evaluated exactly: the warning level when warnings are on
     * (a share of the limit, below it: crossing the limit crosses it first), else the limit.
     */
    private static Double band(Limits limits, Condition condition) {
        Double limit = limits.limitOf(condition);
        Double warning = limits.warningFraction();
        if (limit == null || warning == null) {
            return limit;
        }
        return limit * warning;
    }

    private static double orInfinity(Double limit) {
        return limit == null ? Double.POSITIVE_INFINITY : limit;
    }

    /** For tests: the number of instruments and accounts indexed. */
    String describe() {
        return instruments.size() + " instruments, " + accounts.size() + " accounts";
    }

    static String instrumentOf(io.etrms.model.Position p) {
        return Keys.instrument(p.exchange(), p.symbol());
    }
}
