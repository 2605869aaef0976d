package io.etrms.streams.account;

import io.etrms.model.Alert;
import io.etrms.model.Keys;
import io.etrms.model.Position;
import io.etrms.model.RiskCommand;
import io.etrms.model.RiskLimits;
import io.etrms.model.RiskMetricsSnapshot;
import io.etrms.streams.breakers.AccountView;
import io.etrms.streams.breakers.BreakerState;
import io.etrms.streams.breakers.CircuitBreakers;
import io.etrms.streams.breakers.Limits;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The account stage's side of the circuit breakers: reads an account's breaker state, limits,
 * positions and ledger from the task's {@link AccountBook}, runs {@link CircuitBreakers} and forwards
 * what it publishes to the alerts and risk-commands sinks, and risk-metrics through the
 * {@link SnapshotPublisher}. One per processor instance.
 */
final class AccountBreakers {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(AccountBreakers.class);

    private final ProcessorContext<String, Object> context;
    private final AccountBook book;
    private final SnapshotPublisher snapshots;
    private final KeyValueStore<String, RiskLimits> limitsStore;
    private final Limits defaults;
    /** Silence of a price feed counts from here at the earliest: no stale alerts for the time this task was down. */
    private final long startedAt;
    private final Sensor alertsSent;
    private final Sensor commandsSent;

    AccountBreakers(ProcessorContext<String, Object> context, AccountBook book, SnapshotPublisher snapshots, Limits defaults) {
        this.context = context;
        this.book = book;
        this.snapshots = snapshots;
        this.limitsStore = context.getStateStore(AccountTopology.LIMITS_STORE);
        this.defaults = defaults;
        this.startedAt = context.currentSystemTimeMs();
        this.alertsSent = context.metrics().addRateTotalSensor("etrms", "breakers", "alerts", Sensor.RecordingLevel.INFO);
        this.commandsSent = context.metrics().addRateTotalSensor("etrms", "breakers", "risk-commands", Sensor.RecordingLevel.INFO);
    }

    BreakerState state(String account) {
        return book.breakers(account);
    }

    /** The account's limits: its record over the {@code *} record over the configured defaults, field by field. */
    Limits limits(String account) {
        return defaults.merge(limitsStore.get(account), limitsStore.get(Keys.DEFAULT_LIMITS));
    }

    long now() {
        return context.currentSystemTimeMs();
    }

    /**
     * Evaluates the breakers after a position or transfer and returns the metrics snapshot to
     * publish, carrying the resulting trading states. {@code state} already has the record's clock.
     */
    RiskMetricsSnapshot afterRecord(String account, BreakerState state, List<Position> all, RiskMetricsSnapshot metrics) {
        Limits limits = limits(account);
        AccountView view = new AccountView(metrics.riskMetrics(), open(all));
        CircuitBreakers.Outcome outcome = CircuitBreakers.evaluate(account, state, limits, view, state.lastEventTime(), now(), startedAt);
        save(account, outcome);
        return withStates(metrics, outcome.state());
    }

    /** Applies a risk-control record. */
    void control(io.etrms.model.RiskControl control) {
        String account = control.account();
        BreakerState before = state(account);
        Current current = current(account, before);
        CircuitBreakers.Outcome outcome = CircuitBreakers.control(account, before, control, limits(account), current.view, now(), startedAt);
        save(account, outcome);
        republishIfChanged(account, before, outcome.state(), current);
    }

    /**
     * The wall-clock punctuation: every account with a changed limit, a due re-arm or a silent
     * price feed is evaluated again on its latest figures. Its event clock has moved on by the wall
     * time since its latest record, so an idle account re-arms too.
     */
    void punctuate(long wallNow) {
        List<String> due = new ArrayList<>();
        for (String account : book.accounts()) {
            BreakerState state = book.breakers(account);
            if (CircuitBreakers.due(state, limits(account), clock(state, wallNow), wallNow, startedAt)) {
                due.add(account);
            }
        }
        for (String account : due) {
            try {
                BreakerState before = state(account);
                Current current = current(account, before);
                CircuitBreakers.Outcome outcome = CircuitBreakers.evaluate(account, before, limits(account), current.view,
                        clock(before, wallNow), wallNow, startedAt);
                save(account, outcome);
                republishIfChanged(account, before, outcome.state(), current);
            } catch (org.apache.kafka.common.KafkaException e) {
                throw e;
            } catch (RuntimeException e) {
                // A bug for one account must not stop the punctuation of the others (nor the stream thread).
                log.error("breaker punctuation failed for account {}", account, e);
            }
        }
    }

    private static long clock(BreakerState state, long wallNow) {
        if (state.lastEventTime() == null) {
            return wallNow;
        }
        long idle = state.lastRecordWall() == null ? 0 : Math.max(0, wallNow - state.lastRecordWall());
        return state.lastEventTime() + idle;
    }

    /** Kafka record timestamps are the publish time (wall clock); the event time is in the payload. */
    private void save(String account, CircuitBreakers.Outcome outcome) {
        book.putBreakers(account, outcome.state());
        for (Alert alert : outcome.alerts()) {
            context.forward(new Record<>(account, alert, context.currentSystemTimeMs()), AccountTopology.ALERTS_SINK);
            alertsSent.record();
        }
        for (RiskCommand command : outcome.commands()) {
            context.forward(new Record<>(account, command, context.currentSystemTimeMs()), AccountTopology.RISK_COMMANDS_SINK);
            commandsSent.record();
        }
    }

    /** The account's figures as of its latest record (recomputing them changes nothing: same records, same time). */
    private Current current(String account, BreakerState state) {
        AccountState ledger = book.state(account);
        if (ledger == null || state.lastEventTime() == null) {
            return new Current(AccountView.EMPTY, null, null);
        }
        List<Position> all = book.positions(account);
        AccountCalculator.Result result = AccountCalculator.compute(account, all, ledger, BigDecimal.ZERO, state.lastEventTime());
        return new Current(new AccountView(result.metrics().riskMetrics(), open(all)), result.metrics(), result);
    }

    /**
     * The account's snapshots as of its latest record, as published then (the portfolio only once
     * it has had a position); null before its first record.
     */
    SnapshotPublisher.Snapshots currentSnapshots(String account) {
        BreakerState state = book.breakers(account);
        Current current = current(account, state);
        if (current.result == null) {
            return null;
        }
        boolean positions = !book.positions(account).isEmpty();
        RiskMetricsSnapshot metrics = withStates(current.metrics, state);
        return new SnapshotPublisher.Snapshots(positions ? current.result::portfolio : null, current.result::accounts, () -> metrics);
    }

    private void republishIfChanged(String account, BreakerState before, BreakerState after, Current current) {
        boolean changed = !before.tradingState().equals(after.tradingState())
                || !Objects.equals(before.instrumentStates(), after.instrumentStates());
        if (changed && current.metrics != null) {
            RiskMetricsSnapshot metrics = withStates(current.metrics, after);
            snapshots.publish(account, new SnapshotPublisher.Snapshots(null, null, () -> metrics));
        }
    }

    static RiskMetricsSnapshot withStates(RiskMetricsSnapshot metrics, BreakerState state) {
        return new RiskMetricsSnapshot(metrics.type(), metrics.account(), metrics.timestamp(),
                metrics.riskMetrics().withTradingStates(state.tradingState(), state.instrumentStates()));
    }

    private static List<Position> open(List<Position> all) {
        return all.stream().filter(p -> !p.isFlat()).toList();
    }

    private record Current(AccountView view, RiskMetricsSnapshot metrics, AccountCalculator.Result result) {
    }
}
