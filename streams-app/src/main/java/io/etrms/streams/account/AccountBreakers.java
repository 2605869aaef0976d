package io.etrms.streams.account;

import io.etrms.model.Alert;
import io.etrms.model.GroupAction;
import io.etrms.model.Keys;
import io.etrms.model.Position;
import io.etrms.model.RiskCommand;
import io.etrms.model.RiskControl;
import io.etrms.model.RiskLimits;
import io.etrms.model.RiskMetricsSnapshot;
import io.etrms.streams.breakers.AccountView;
import io.etrms.streams.breakers.BreakerState;
import io.etrms.streams.breakers.CircuitBreakers;
import io.etrms.streams.breakers.Condition;
import io.etrms.streams.breakers.LimitUses;
import io.etrms.streams.breakers.Limits;
import io.etrms.streams.metrics.StageMetrics;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Stage 2's side of the circuit breakers: reads an account's breaker state, limits, positions and
 * ledger from {@link AccountStores}, runs {@link CircuitBreakers}, stores the next state and
 * forwards its alerts and risk commands at once (in the task's transaction, so a restart can
 * neither lose nor repeat them). Every evaluation is reported to the {@link Listener}, which keeps
 * the holder index and the snapshots up to date.
 */
final class AccountBreakers {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(AccountBreakers.class);

    /** Told of every evaluation: the account's state before and after, and its figures now. */
    interface Listener {
        /** @param record the evaluation followed a record (whose caller publishes), not a reset or the punctuation */
        void evaluated(String account, BreakerState before, BreakerState after, Current current, boolean record);
    }

    /** An account's figures as of now: its positions (marked), the calculator's result, the metrics with trading states and its limits. */
    record Current(List<Position> positions, AccountCalculator.Result result, RiskMetricsSnapshot metrics, Limits limits) {

        AccountView view() {
            return result == null ? AccountView.EMPTY : new AccountView(metrics.riskMetrics(), open(positions), result.state().sessionEnd());
        }

        /** The metrics as published: with how much of each limit is used. */
        RiskMetricsSnapshot published() {
            return new RiskMetricsSnapshot(metrics.type(), metrics.account(), metrics.timestamp(),
                    LimitUses.of(metrics.riskMetrics(), limits, open(positions)));
        }
    }

    private final ProcessorContext<String, Object> context;
    private final AccountStores stores;
    private final KeyValueStore<String, RiskLimits> limitsStore;
    private final GroupRules groupRules;
    private final Limits defaults;
    private final Listener listener;
    /** Silence of a price feed counts from here at the earliest: no stale alerts for the time this task was down. */
    private final long startedAt;
    private final Sensor alertsSent;
    private final Sensor commandsSent;

    private final StageMetrics metrics;

    AccountBreakers(ProcessorContext<String, Object> context, AccountStores stores, Limits defaults, GroupRules groupRules,
                    Listener listener, StageMetrics metrics) {
        this.context = context;
        this.metrics = metrics;
        this.stores = stores;
        this.limitsStore = context.getStateStore(AccountTopology.LIMITS_STORE);
        this.groupRules = groupRules;
        this.defaults = defaults;
        this.listener = listener;
        this.startedAt = context.currentSystemTimeMs();
        this.alertsSent = context.metrics().addRateTotalSensor("etrms", "breakers", "alerts", Sensor.RecordingLevel.INFO);
        this.commandsSent = context.metrics().addRateTotalSensor("etrms", "breakers", "risk-commands", Sensor.RecordingLevel.INFO);
    }

    long startedAt() {
        return startedAt;
    }

    /**
     * The account's limits: its record over the {@code *} record over the configured defaults, field
     * by field; the session rules and drawdown basis also from its groups' records between the two.
     * Runs on every record: see {@link GroupRules} for what the groups cost.
     */
    Limits limits(String account) {
        return defaults.merge(limitsStore.get(account), groupRules.of(account), limitsStore.get(Keys.DEFAULT_LIMITS));
    }

    /**
     * Evaluates the breakers after a record whose figures {@code result} holds ({@code state}
     * already has the record's clock) and returns the state they leave.
     */
    BreakerState afterRecord(String account, BreakerState before, BreakerState state, List<Position> all,
                             AccountCalculator.Result result, Limits limits) {
        AccountView view = new AccountView(result.metrics().riskMetrics(), open(all), stores.exchangePositions().of(account),
                result.state().sessionEnd());
        CircuitBreakers.Outcome outcome = CircuitBreakers.evaluate(account, state, limits, view, state.lastEventTime(),
                context.currentSystemTimeMs(), startedAt);
        save(account, before, outcome);
        listener.evaluated(account, before, outcome.state(), new Current(all, result, withStates(result.metrics(), outcome.state()), limits),
                true);
        return outcome.state();
    }

    /** Applies a risk-control record. */
    void control(RiskControl control) {
        String account = control.account();
        AccountStores.Holdings holdings = stores.holdings(account);
        BreakerState before = stores.breakers(account, holdings);
        Current current = current(account, before, holdings.positions());
        CircuitBreakers.Outcome outcome = CircuitBreakers.control(account, before, control, current.limits(), view(account, current),
                context.currentSystemTimeMs(), startedAt);
        save(account, before, outcome);
        listener.evaluated(account, before, outcome.state(), current, false);
    }

    /** Applies a group breaker's trip or re-arm (from stage 3) as the account's breaker of that group condition. */
    void group(GroupAction action) {
        String account = action.account();
        AccountStores.Holdings holdings = stores.holdings(account);
        BreakerState before = stores.breakers(account, holdings);
        Current current = current(account, before, holdings.positions());
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("group", action.group());
        context.putAll(action.figures());
        CircuitBreakers.Outcome outcome = CircuitBreakers.external(account, before, Condition.byName(action.conditionName()),
                action.exchange(), action.symbol(), action.tripped(), action.timestamp(), action.description(), context);
        save(account, before, outcome);
        listener.evaluated(account, before, outcome.state(), current, false);
    }

    /** Publishes a group's warning (from stage 3) as the account's {@code circuit_breaker_warning} alert: no breaker changes. */
    void groupWarning(GroupAction action) {
        String account = action.account();
        AccountStores.Holdings holdings = stores.holdings(account);
        BreakerState before = stores.breakers(account, holdings);
        Current current = current(account, before, holdings.positions());
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("group", action.group());
        context.putAll(action.figures());
        CircuitBreakers.Outcome outcome = CircuitBreakers.externalWarning(account, before, Condition.byName(action.conditionName()),
                action.exchange(), action.symbol(), action.timestamp(), action.description(), context);
        save(account, before, outcome);
        listener.evaluated(account, before, outcome.state(), current, false);
    }

    /**
     * The wall-clock punctuation: every account with a changed limit, a due re-arm or a silent
     * price feed is evaluated again on its latest figures. Its event clock has moved on by the wall
     * time since its latest record, so an idle account re-arms too.
     */
    void punctuate(long wallNow) {
        List<String> due = new ArrayList<>();
        for (String account : stores.accounts()) {
            BreakerState state = stores.breakers(account);
            Limits limits = limits(account);
            long clock = clock(state, wallNow);
            if (CircuitBreakers.due(state, limits, clock, wallNow, startedAt)
                    || stores.exchangePositions().due(account, state, limits, clock, stores::size)) {
                due.add(account);
            }
        }
        for (String account : due) {
            try {
                AccountStores.Holdings holdings = stores.holdings(account);
                BreakerState before = stores.breakers(account, holdings);
                Current current = current(account, before, holdings.positions());
                CircuitBreakers.Outcome outcome = CircuitBreakers.evaluate(account, before, current.limits(), view(account, current),
                        clock(before, wallNow), wallNow, startedAt);
                save(account, before, outcome);
                listener.evaluated(account, before, outcome.state(), current, false);
            } catch (org.apache.kafka.common.KafkaException e) {
                throw e;
            } catch (RuntimeException e) {
                // A bug for one account must not stop the punctuation of the others (nor the stream thread).
                log.error("breaker punctuation failed for account {}", account, e);
            }
        }
    }

    /** What the breakers look at for {@code current}: its figures and the exchanges' position snapshots of the account. */
    private AccountView view(String account, Current current) {
        return current.view().withExchange(stores.exchangePositions().of(account));
    }

    private static long clock(BreakerState state, long wallNow) {
        if (state.lastEventTime() == null) {
            return wallNow;
        }
        long idle = state.lastRecordWall() == null ? 0 : Math.max(0, wallNow - state.lastRecordWall());
        return state.lastEventTime() + idle;
    }

    /** Kafka record timestamps are the publish time (wall clock); the event time is in the payload. */
    private void save(String account, BreakerState before, CircuitBreakers.Outcome outcome) {
        String was = before.tradingState();
        if (!was.equals(outcome.state().tradingState())) {
            metrics.accountMoved(context.taskId(), was, outcome.state().tradingState());
        } else if (before.lastEventTime() == null && outcome.state().lastEventTime() != null) {
            metrics.accountMoved(context.taskId(), null, was); // its first record
        }
        stores.putBreakers(account, outcome.state());
        for (Alert alert : outcome.alerts()) {
            context.forward(new Record<>(account, alert, context.currentSystemTimeMs()), AccountTopology.ALERTS_SINK);
            alertsSent.record();
            metrics.alert(alert);
        }
        for (RiskCommand command : outcome.commands()) {
            context.forward(new Record<>(account, command, context.currentSystemTimeMs()), AccountTopology.RISK_COMMANDS_SINK);
            commandsSent.record();
        }
    }

    /** The account's figures as of its latest record (recomputing them changes nothing: same records, same time). */
    Current current(String account, BreakerState state) {
        return current(account, state, stores.positions(account));
    }

    /** The same with the account's positions already read. */
    Current current(String account, BreakerState state, List<Position> all) {
        AccountState ledger = stores.state(account);
        Limits limits = limits(account);
        if (ledger == null || state.lastEventTime() == null) {
            return new Current(all, null, null, limits);
        }
        AccountCalculator.Result result = AccountCalculator.compute(account, all, ledger, BigDecimal.ZERO, state.lastEventTime(),
                limits.session(), limits.drawdownBasis());
        return new Current(all, result, withStates(result.metrics(), state), limits);
    }

    static RiskMetricsSnapshot withStates(RiskMetricsSnapshot metrics, BreakerState state) {
        return new RiskMetricsSnapshot(metrics.type(), metrics.account(), metrics.timestamp(),
                metrics.riskMetrics().withTradingStates(state.tradingState(), state.instrumentStates()));
    }

    static List<Position> open(List<Position> all) {
        return all.stream().filter(p -> !p.isFlat()).toList();
    }
}
