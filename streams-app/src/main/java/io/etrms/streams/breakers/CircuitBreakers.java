package io.etrms.streams.breakers;

import io.etrms.model.Alert;
import io.etrms.model.Decimals;
import io.etrms.model.Keys;
import io.etrms.model.RiskCommand;
import io.etrms.model.RiskControl;
import io.etrms.model.TradingState;
import io.etrms.streams.breakers.BreakerState.Tripped;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The circuit breakers of docs/circuit-breakers.md, as pure functions of an account's
 * {@link BreakerState}: no Kafka, no stores, no clock of their own. Each call returns the next
 * state and the alerts and risk commands to publish with it (in the same Streams transaction, so a
 * restart can neither lose nor repeat them).
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
        for (Measurement m : Measurement.all(limits, view, before.tickWall(), eventClock, wallNow, staleFloor)) {
            measured.put(m.key(), m);
        }
        for (Measurement m : Measurement.reconciliation(limits, view, eventClock)) {
            measured.put(m.key(), m);
        }
        for (Measurement m : measured.values()) {
            if (m.breached() && !run.tripped.containsKey(m.key())) {
                run.trip(m, m.condition().wallClock() ? wallNow : eventClock);
            }
        }
        for (Tripped t : run.sortedTripped()) {
            Condition c = Condition.byName(t.condition());
            if (lockEnded(c, t, limits, eventClock)) {
                SessionCalendar sessions = limits.session();
                Measurement m = measured.get(BreakerState.key(c, t.exchange(), t.symbol()));
                run.clear(t, eventClock, "daily_loss lock ended: the session of " + LocalDate.ofEpochDay(sessions.sessionOf(eventClock))
                        + " began at " + sessions.startText() + " " + sessions.zone().getId(), context(c, m, limits), "");
                continue;
            }
            if (c.latches()) {
                continue;
            }
            long at = c.wallClock() ? wallNow : eventClock;
            Measurement m = measured.get(BreakerState.key(c, t.exchange(), t.symbol()));
            if (limits.limitOf(c) == null) {
                run.clear(t, at, label(c, t) + ": condition switched off (limit 0 or less)", context(c, m, limits), "");
                continue;
            }
            boolean inside = m == null || m.inside();
            if (inside && at - t.since() >= limits.cooldownMs(c)) {
                String why = m == null
                        ? t.symbol() + " on " + t.exchange() + " is no longer held"
                        : m.label() + " back to " + Measurement.show(m.value()) + " (re-armed at or below "
                        + Measurement.show(m.context().get("rearm_threshold")) + ", limit " + Measurement.show(m.context().get("limit")) + ")";
                run.clear(t, at, why, context(c, m, limits), "");
            } else if (inside != t.inside()) {
                run.tripped.put(BreakerState.key(c, t.exchange(), t.symbol()), t.withInside(inside));
            }
        }
        run.finishClears();
        // After the re-arms: a record that clears a breaker with its value already below the
        // warning's re-arm level re-arms the warning too, so the next crossing warns again.
        run.warnings(measured, limits, eventClock);
        return run.outcome(limits);
    }

    /**
     * Applies a {@code risk-control} record. {@code reset} re-arms the tripped breakers (all, or
     * those of {@code condition_name}) at once, whatever their value and cooldown: a breaker whose
     * value is still beyond its limit trips again at the account's next evaluation, which the
     * alert says. {@code set_state S} forces S: a {@code manual} breaker holds S (none for ACTIVE)
     * and every breaker stricter than S is re-armed, so the state right after it is exactly S.
     * {@code halt} (the kill switch) is {@code set_state HALTED}, described as the kill switch.
     *
     * @param view the account's current figures (to tell whether a reset breaker is still beyond its limit)
     */
    public static Outcome control(String account, BreakerState before, RiskControl control, Limits limits, AccountView view,
                                  long wallNow, long staleFloor) {
        long at = control.timestamp() != null ? control.timestamp() : wallNow;
        String who = control.requestedBy() == null || control.requestedBy().isBlank() ? "risk-control" : control.requestedBy();
        String why = control.reason() == null || control.reason().isBlank() ? "" : ": " + control.reason();
        Map<String, Measurement> measured = new LinkedHashMap<>();
        for (Measurement m : Measurement.all(limits, view, before.tickWall(), at, wallNow, staleFloor)) {
            measured.put(m.key(), m);
        }
        for (Measurement m : Measurement.reconciliation(limits, view, before.lastEventTime() == null ? at : before.lastEventTime())) {
            measured.put(m.key(), m);
        }
        Run run = new Run(account, before);
        String manualKey = BreakerState.key(Condition.MANUAL, Alert.ANY, Alert.ANY);
        // the kill switch is set_state HALTED under its own name
        boolean killSwitch = RiskControl.HALT.equals(control.action());
        String target = killSwitch ? TradingState.HALTED : control.state();
        if ((killSwitch || RiskControl.SET_STATE.equals(control.action())) && !TradingState.ACTIVE.equals(target)) {
            Tripped manual = run.tripped.get(manualKey);
            if (manual == null || !Condition.stateOf(manual.action()).equals(target)) {
                String description = killSwitch ? "Kill switch: account halted by " + who + why : "Trading state set to " + target + " by " + who + why;
                run.tripManual(target, at, description, who, control.reason());
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
            Map<String, Object> context = context(c, m, limits);
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
     * A daily loss tripped under {@code lock_until_next_session}: its lock ends, and it re-arms by
     * itself, when the account's clock reaches the start of the session after the one it tripped in.
     */
    private static boolean lockEnded(Condition c, Tripped t, Limits limits, long eventClock) {
        return c == Condition.DAILY_LOSS && limits.session().lockUntilNextSession()
                && eventClock >= limits.session().nextStart(t.since());
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

    /**
     * Publishes a warning that another stage judged (a group's value crossed its warning level):
     * one {@code circuit_breaker_warning} alert with the account's next {@code alert_id}, no risk
     * command, no change of breakers or trading state. Nothing while the account's breaker of that
     * condition and scope is tripped (by another of its groups): a warning comes before a breach,
     * and this one is already restricting.
     *
     * @param at      the warning's event time (epoch ms); it does not move the account's clock
     * @param context the alert's context (the group's figures, {@code threshold} the warning level)
     */
    public static Outcome externalWarning(String account, BreakerState before, Condition condition, String exchange, String symbol,
                                          long at, String description, Map<String, Object> context) {
        Run run = new Run(account, before);
        if (!run.tripped.containsKey(BreakerState.key(condition, exchange, symbol))) {
            run.alerts.add(new Alert(Alert.WARNED, run.nextAlertId++, account, condition.conditionName(), description, exchange, symbol,
                    Alert.WARNING, Math.floorDiv(at, 1000L), new LinkedHashMap<>(context), Alert.ACTION_ALERT_ONLY,
                    "warning only: no risk command", at));
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
            if (!c.latches() && t.inside() && at - t.since() >= limits.cooldownMs(c)) {
                return true;
            }
            if (lockEnded(c, t, limits, eventClock)) {
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

    private static Map<String, Object> context(Condition c, Measurement m, Limits limits) {
        Map<String, Object> context = m == null ? new LinkedHashMap<>() : new LinkedHashMap<>(m.context());
        context.put("cooldown_seconds", limits.cooldownMs(c) / 1000);
        return context;
    }

    /** One evaluation: the state being changed and what it publishes. */
    private static final class Run {
        final String account;
        final BreakerState before;
        final TreeMap<String, Tripped> tripped;
        final TreeMap<String, String> published;
        final TreeMap<String, BreakerState.Warned> warned;
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
            this.warned = new TreeMap<>(before.warned());
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

        /**
         * Early warnings, after this run's trips and re-arms: a breaker whose value crosses its warning level (and
         * is not tripped) gives one {@code circuit_breaker_warning} alert. A value that goes straight
         * past the limit gives the trip alone. The warning re-arms silently once the value is at or
         * below 90 % of the warning level and the cooldown has passed, like a breaker; while tripped it
         * stays given, so a breaker re-armed into the warning band does not warn again.
         */
        void warnings(Map<String, Measurement> measured, Limits limits, long at) {
            for (Measurement m : measured.values()) {
                if (m.warningLevel() == null) {
                    continue;
                }
                String key = m.key();
                BreakerState.Warned w = warned.get(key);
                Tripped t = tripped.get(key);
                if (w == null) {
                    if (t != null) {
                        warned.put(key, new BreakerState.Warned(t.alertId(), at, m.warningInside()));
                    } else if (m.warning()) {
                        warn(m, limits, at);
                    }
                } else if (t == null && m.warningInside() && at - w.since() >= limits.cooldownMs()) {
                    warned.remove(key);
                } else if (m.warningInside() != w.inside()) {
                    warned.put(key, new BreakerState.Warned(w.alertId(), w.since(), m.warningInside()));
                }
            }
            // A condition no longer measured (switched off, warnings off, the position closed) has no warning to keep.
            warned.keySet().removeIf(key -> !tripped.containsKey(key)
                    && (!measured.containsKey(key) || measured.get(key).warningLevel() == null));
        }

        private void warn(Measurement m, Limits limits, long at) {
            Condition c = m.condition();
            long alertId = nextAlertId++;
            warned.put(m.key(), new BreakerState.Warned(alertId, at, m.warningInside()));
            Map<String, Object> context = new LinkedHashMap<>(m.context());
            Object trips = context.get("threshold"); // where the breaker trips: the limit, or −limit for daily loss
            BigDecimal level = m.warningLevel();
            context.put("threshold", Decimals.normalize(level));
            context.put("rearm_threshold", Decimals.normalize(level.multiply(Measurement.REARM)));
            context.put("warning_pct", limits.warningPct());
            context.put("trip_threshold", trips);
            String description = m.label() + " " + Measurement.show(m.value())
                    + (c == Condition.DAILY_LOSS ? " is below" : " is above") + " the warning level " + Measurement.show(level)
                    + " (" + Measurement.show(limits.warningPct()) + " % of the limit; " + c.conditionName() + " trips "
                    + (c == Condition.DAILY_LOSS ? "below " : "above ") + Measurement.show(trips) + ")";
            alerts.add(new Alert(Alert.WARNED, alertId, account, c.conditionName(), description, m.exchange(), m.symbol(), Alert.WARNING,
                    Math.floorDiv(at, 1000L), context, Alert.ACTION_ALERT_ONLY, "warning only: no risk command", at));
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
                    before.tickWall(), before.limits(), warned);
        }

        Outcome outcome(Limits limits) {
            BreakerState s = state();
            return new Outcome(new BreakerState(s.nextAlertId(), s.nextCommandId(), s.lastEventTime(), s.lastRecordWall(),
                    s.tripped(), s.published(), s.tickWall(), limits, s.warned()), List.copyOf(alerts), List.copyOf(commands));
        }
    }

    private record Clear(Tripped tripped, long alertId, long at, String description, Map<String, Object> context, String note) {
    }
}
