package io.etrms.streams.breakers;

import io.etrms.model.Alert;
import io.etrms.model.Keys;
import io.etrms.model.RiskCommand;
import io.etrms.model.RiskControl;
import io.etrms.model.TradingState;
import io.etrms.streams.breakers.BreakerState.Tripped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The circuit breakers of DESIGN.md, as pure functions of an account's {@link BreakerState}: no
 * Kafka, no stores, no clock of their own. Each call returns the next state and the alerts and
 * risk commands to publish with it (in the same Streams transaction, so a restart can neither lose
 * nor repeat them).
 *
 * <ul>
 *   <li>A breaker trips when its value crosses its limit: one {@code circuit_breaker} alert, and a
 *       risk command if the trip changes its scope's state. While tripped it stays silent.</li>
 *   <li>A non-halting breaker re-arms (one {@code circuit_breaker_cleared} alert) when its value is
 *       at most 90 % of the limit and {@code cooldown_seconds} have passed since it tripped; a
 *       limit switched off re-arms it at once. Halting breakers latch until a reset.</li>
 *   <li>Trips are applied one by one, strictest condition first, so the first trip of a record
 *       publishes the command; re-arms are applied together and publish one command per scope,
 *       so a record never publishes resume-then-restrict.</li>
 * </ul>
 */
public final class CircuitBreakers {

    private CircuitBreakers() {
    }

    /** The next state and what to publish. */
    public record Outcome(BreakerState state, List<Alert> alerts, List<RiskCommand> commands) {
    }

    /**
     * Evaluates every condition after a record or on a punctuation.
     *
     * @param eventClock the account's event time (epoch ms) for trip times and cooldowns
     * @param wallNow    the wall clock (epoch ms), for stale_price
     * @param staleFloor the wall-clock time from which silence counts (when this task started)
     */
    public static Outcome evaluate(String account, BreakerState before, Limits limits, AccountView view,
                                   long eventClock, long wallNow, long staleFloor) {
        Run run = new Run(account, before);
        Map<String, Measurement> measured = new LinkedHashMap<>();
        for (Measurement m : Measurement.all(limits, view, before.tickWall(), wallNow, staleFloor)) {
            measured.put(m.key(), m);
        }
        for (Measurement m : measured.values()) {
            if (m.breached() && !run.tripped.containsKey(m.key())) {
                run.trip(m, m.condition().wallClock() ? wallNow : eventClock);
            }
        }
        for (Tripped t : run.sortedTripped()) {
            Condition c = Condition.byName(t.condition());
            if (c.latches()) {
                continue;
            }
            long at = c.wallClock() ? wallNow : eventClock;
            Measurement m = measured.get(BreakerState.key(c, t.exchange(), t.symbol()));
            if (limits.limitOf(c) == null) {
                run.clear(t, at, label(c, t) + ": condition switched off (limit 0 or less)", context(m, limits), "");
                continue;
            }
            boolean inside = m == null || m.inside();
            if (inside && at - t.since() >= limits.cooldownMs()) {
                String why = m == null
                        ? t.symbol() + " on " + t.exchange() + " is no longer held"
                        : m.label() + " back to " + Measurement.show(m.value()) + " (re-armed at or below "
                        + Measurement.show(m.context().get("rearm_threshold")) + ", limit " + Measurement.show(m.context().get("limit")) + ")";
                run.clear(t, at, why, context(m, limits), "");
            } else if (inside != t.inside()) {
                run.tripped.put(BreakerState.key(c, t.exchange(), t.symbol()), t.withInside(inside));
            }
        }
        run.finishClears();
        return run.outcome(limits);
    }

    /**
     * Applies a {@code risk-control} record. {@code reset} re-arms the tripped breakers (all, or
     * those of {@code condition_name}) at once, whatever their value and cooldown: a breaker whose
     * value is still beyond its limit trips again at the account's next evaluation, which the
     * alert says. {@code set_state S} forces S: a {@code manual} breaker holds S (none for ACTIVE)
     * and every breaker stricter than S is re-armed, so the state right after it is exactly S.
     *
     * @param view the account's current figures (to tell whether a reset breaker is still beyond its limit)
     */
    public static Outcome control(String account, BreakerState before, RiskControl control, Limits limits, AccountView view,
                                  long wallNow, long staleFloor) {
        long at = control.timestamp() != null ? control.timestamp() : wallNow;
        String who = control.requestedBy() == null || control.requestedBy().isBlank() ? "risk-control" : control.requestedBy();
        String why = control.reason() == null || control.reason().isBlank() ? "" : ": " + control.reason();
        Map<String, Measurement> measured = new LinkedHashMap<>();
        for (Measurement m : Measurement.all(limits, view, before.tickWall(), wallNow, staleFloor)) {
            measured.put(m.key(), m);
        }
        Run run = new Run(account, before);
        String manualKey = BreakerState.key(Condition.MANUAL, Alert.ANY, Alert.ANY);
        String target = control.state();
        if (RiskControl.SET_STATE.equals(control.action()) && !TradingState.ACTIVE.equals(target)) {
            Tripped manual = run.tripped.get(manualKey);
            if (manual == null || !Condition.stateOf(manual.action()).equals(target)) {
                run.tripManual(target, at, "Trading state set to " + target + " by " + who + why, who, control.reason());
            }
        }
        for (Tripped t : run.sortedTripped()) {
            Condition c = Condition.byName(t.condition());
            boolean selected;
            if (RiskControl.RESET.equals(control.action())) {
                selected = control.conditionName() == null || control.conditionName().equals(t.condition());
            } else {
                selected = TradingState.strictness(Condition.stateOf(t.action())) > TradingState.strictness(target)
                        || (TradingState.ACTIVE.equals(target) && c == Condition.MANUAL);
            }
            if (!selected) {
                continue;
            }
            Measurement m = measured.get(BreakerState.key(c, t.exchange(), t.symbol()));
            String note = m != null && m.breached()
                    ? "; " + m.label() + " " + Measurement.show(m.value()) + " is still beyond the limit "
                    + Measurement.show(m.context().get("limit")) + ": it trips again at the next update unless the limit is raised"
                    : "";
            String verb = RiskControl.RESET.equals(control.action()) ? "reset" : "lifted by set_state " + target;
            Map<String, Object> context = context(m, limits);
            context.put("requested_by", who);
            if (control.reason() != null) {
                context.put("reason", control.reason());
            }
            run.clear(t, at, label(c, t) + " " + verb + " by " + who + why, context, note);
        }
        run.finishClears();
        return run.outcome(before.limits());
    }

    /**
     * Applies a breaker that another stage judged (a group's: stage 3 measures the group's figures
     * against its limits). A trip trips the account's breaker of that condition and scope, unless
     * it is tripped already (one alert per trip); a re-arm clears it if it is tripped. The alerts,
     * their ids, the risk commands and the strictest-wins state are the account's own, as for
     * every other breaker.
     *
     * @param at      the trip's or re-arm's event time (epoch ms); it does not move the account's clock
     * @param context the alert's context (the group's figures behind the value)
     */
    public static Outcome external(String account, BreakerState before, Condition condition, String exchange, String symbol,
                                   boolean trip, long at, String description, Map<String, Object> context) {
        Run run = new Run(account, before);
        Tripped current = run.tripped.get(BreakerState.key(condition, exchange, symbol));
        if (trip && current == null) {
            run.tripExternal(condition, exchange, symbol, at, description, new LinkedHashMap<>(context));
        } else if (!trip && current != null) {
            run.clear(current, at, description, new LinkedHashMap<>(context), "");
            run.finishClears();
        }
        return run.outcome(before.limits());
    }

    /** Whether a punctuation has work for this account: a limit change, a due re-arm or a newly stale instrument. */
    public static boolean due(BreakerState state, Limits limits, long eventClock, long wallNow, long staleFloor) {
        if (!limits.equals(state.limits())) {
            return true;
        }
        for (Tripped t : state.tripped().values()) {
            Condition c = Condition.byName(t.condition());
            long at = c.wallClock() ? wallNow : eventClock;
            if (!c.latches() && t.inside() && at - t.since() >= limits.cooldownMs()) {
                return true;
            }
            if (c == Condition.STALE_PRICE && !t.inside()) {
                return true; // its silence may have ended without a record saying so (re-measured)
            }
        }
        Double stale = limits.limitOf(Condition.STALE_PRICE);
        if (stale != null) {
            for (Map.Entry<String, Long> e : state.tickWall().entrySet()) {
                boolean tripped = state.tripped().containsKey(Condition.STALE_PRICE.conditionName() + Keys.SEPARATOR + e.getKey());
                if (!tripped && wallNow - Math.max(e.getValue(), staleFloor) > stale * 1000) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String label(Condition c, Tripped t) {
        return c.perInstrument() ? c.conditionName() + " of " + t.symbol() + " on " + t.exchange() : c.conditionName();
    }

    private static Map<String, Object> context(Measurement m, Limits limits) {
        Map<String, Object> context = m == null ? new LinkedHashMap<>() : new LinkedHashMap<>(m.context());
        context.put("cooldown_seconds", Math.max(0, limits.cooldownSeconds()));
        return context;
    }

    /** One evaluation: the state being changed and what it publishes. */
    private static final class Run {
        final String account;
        final BreakerState before;
        final TreeMap<String, Tripped> tripped;
        final TreeMap<String, String> published;
        long nextAlertId;
        long nextCommandId;
        final List<Alert> alerts = new ArrayList<>();
        final List<RiskCommand> commands = new ArrayList<>();
        final List<Clear> clears = new ArrayList<>();

        Run(String account, BreakerState before) {
            this.account = account;
            this.before = before;
            this.tripped = new TreeMap<>(before.tripped());
            this.published = new TreeMap<>(before.published());
            this.nextAlertId = before.nextAlertId();
            this.nextCommandId = before.nextCommandId();
        }

        /** Tripped breakers in evaluation order: by condition, then scope. */
        List<Tripped> sortedTripped() {
            List<Tripped> list = new ArrayList<>(tripped.values());
            list.sort(Comparator.comparing((Tripped t) -> Condition.byName(t.condition()).ordinal())
                    .thenComparing(Tripped::exchange).thenComparing(Tripped::symbol));
            return list;
        }

        void trip(Measurement m, long at) {
            Condition c = m.condition();
            long alertId = nextAlertId++;
            tripped.put(m.key(), new Tripped(c.conditionName(), m.exchange(), m.symbol(), alertId, at, m.inside(), c.action()));
            String description = m.label() + " " + Measurement.show(m.value())
                    + (c == Condition.DAILY_LOSS ? " is below " + Measurement.show(m.context().get("threshold"))
                    : " exceeds the limit of " + Measurement.show(m.context().get("limit")));
            Map<String, Object> context = new LinkedHashMap<>(m.context());
            publishTrip(c, c.action(), m.exchange(), m.symbol(), alertId, at, description, context);
        }

        void tripExternal(Condition c, String exchange, String symbol, long at, String description, Map<String, Object> context) {
            long alertId = nextAlertId++;
            tripped.put(BreakerState.key(c, exchange, symbol), new Tripped(c.conditionName(), exchange, symbol, alertId, at, false, c.action()));
            publishTrip(c, c.action(), exchange, symbol, alertId, at, description, context);
        }

        void tripManual(String state, long at, String description, String who, String reason) {
            String action = TradingState.HALTED.equals(state) ? Alert.ACTION_HALT : Alert.ACTION_REDUCE_ONLY;
            long alertId = nextAlertId++;
            tripped.put(BreakerState.key(Condition.MANUAL, Alert.ANY, Alert.ANY),
                    new Tripped(Condition.MANUAL.conditionName(), Alert.ANY, Alert.ANY, alertId, at, false, action));
            Map<String, Object> context = new LinkedHashMap<>();
            context.put("state", state);
            context.put("requested_by", who);
            if (reason != null) {
                context.put("reason", reason);
            }
            publishTrip(Condition.MANUAL, action, Alert.ANY, Alert.ANY, alertId, at, description, context);
        }

        private void publishTrip(Condition c, String action, String exchange, String symbol, long alertId, long at,
                                 String description, Map<String, Object> context) {
            String result;
            if (Alert.ACTION_ALERT_ONLY.equals(action)) {
                result = "alert only: no risk command";
            } else {
                String scope = Keys.instrument(exchange, symbol);
                String state = scopeState(scope);
                String old = published.getOrDefault(scope, TradingState.ACTIVE);
                if (!state.equals(old)) {
                    RiskCommand command = command(scope, state, alertId, at, description);
                    context.put("command_id", command.commandId());
                    result = "published risk command " + command.commandId() + ": " + command.action() + " " + scopeText(scope);
                } else {
                    result = "no risk command: " + scopeText(scope) + " already " + old;
                }
            }
            String severity = Alert.ACTION_HALT.equals(action) ? Alert.CRITICAL : Alert.WARNING;
            alerts.add(new Alert(Alert.TRIPPED, alertId, account, c.conditionName(), description, exchange, symbol, severity,
                    Math.floorDiv(at, 1000L), context, action, result, at));
        }

        void clear(Tripped t, long at, String description, Map<String, Object> context, String note) {
            tripped.remove(BreakerState.key(Condition.byName(t.condition()), t.exchange(), t.symbol()));
            context.put("tripped_alert_id", t.alertId());
            clears.add(new Clear(t, nextAlertId++, at, description, context, note));
        }

        /** Publishes the re-arms of this run: one command per scope whose state changed, on its last alert. */
        void finishClears() {
            Map<String, Clear> lastPerScope = new LinkedHashMap<>();
            for (Clear c : clears) {
                if (!Alert.ACTION_ALERT_ONLY.equals(c.tripped.action())) {
                    lastPerScope.put(c.tripped.scope(), c);
                }
            }
            for (Clear c : clears) {
                String scope = c.tripped.scope();
                String action = Alert.ACTION_NONE;
                String result;
                if (Alert.ACTION_ALERT_ONLY.equals(c.tripped.action())) {
                    result = "alert only: no risk command";
                } else {
                    String state = scopeState(scope);
                    String old = published.getOrDefault(scope, TradingState.ACTIVE);
                    if (lastPerScope.get(scope) == c && !state.equals(old)) {
                        RiskCommand command = command(scope, state, c.alertId, c.at, c.description);
                        c.context.put("command_id", command.commandId());
                        action = command.action();
                        result = "published risk command " + command.commandId() + ": " + command.action() + " " + scopeText(scope)
                                + " (" + state + ")";
                    } else if (lastPerScope.get(scope) != c && !state.equals(old)) {
                        result = "risk command with alert " + lastPerScope.get(scope).alertId;
                    } else {
                        result = "no risk command: " + scopeText(scope) + " stays " + state + holders(scope);
                    }
                }
                alerts.add(new Alert(Alert.CLEARED, c.alertId, account, c.tripped.condition(), c.description, c.tripped.exchange(),
                        c.tripped.symbol(), Alert.INFO, Math.floorDiv(c.at, 1000L), c.context, action, result + c.note, c.at));
            }
            clears.clear();
        }

        private String holders(String scope) {
            List<String> names = new ArrayList<>();
            for (Tripped t : tripped.values()) {
                if (t.scope().equals(scope) && !Alert.ACTION_ALERT_ONLY.equals(t.action())) {
                    names.add(t.condition());
                }
            }
            return names.isEmpty() ? "" : " (" + String.join(", ", names) + " tripped)";
        }

        private String scopeState(String scope) {
            return state().scopeState(scope);
        }

        private RiskCommand command(String scope, String state, long alertId, long at, String reason) {
            String action = switch (state) {
                case TradingState.HALTED -> RiskCommand.HALT;
                case TradingState.REDUCE_ONLY -> RiskCommand.REDUCE_ONLY;
                default -> RiskCommand.RESUME;
            };
            String[] parts = scope.split("\\|", 2);
            RiskCommand command = new RiskCommand(account + Keys.SEPARATOR + nextCommandId++, account, action, parts[0], parts[1],
                    reason, alertId, at);
            commands.add(command);
            if (TradingState.ACTIVE.equals(state)) {
                published.remove(scope);
            } else {
                published.put(scope, state);
            }
            return command;
        }

        private String scopeText(String scope) {
            if (BreakerState.ACCOUNT_SCOPE.equals(scope)) {
                return "account " + account;
            }
            String[] parts = scope.split("\\|", 2);
            return parts[1] + " on " + parts[0] + " for " + account;
        }

        BreakerState state() {
            return new BreakerState(nextAlertId, nextCommandId, before.lastEventTime(), before.lastRecordWall(), tripped, published,
                    before.tickWall(), before.limits());
        }

        Outcome outcome(Limits limits) {
            BreakerState s = state();
            return new Outcome(new BreakerState(s.nextAlertId(), s.nextCommandId(), s.lastEventTime(), s.lastRecordWall(),
                    s.tripped(), s.published(), s.tickWall(), limits), List.copyOf(alerts), List.copyOf(commands));
        }
    }

    private record Clear(Tripped tripped, long alertId, long at, String description, Map<String, Object> context, String note) {
    }
}
