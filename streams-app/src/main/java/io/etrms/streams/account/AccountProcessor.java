package io.etrms.streams.account;

import io.etrms.model.AccountGroup;
import io.etrms.model.GroupAction;
import io.etrms.model.InstrumentMark;
import io.etrms.model.Keys;
import io.etrms.model.Position;
import io.etrms.model.PositionChange;
import io.etrms.model.PositionSnapshot;
import io.etrms.model.RiskControl;
import io.etrms.model.Transfer;
import io.etrms.streams.breakers.BreakerState;
import io.etrms.streams.breakers.Limits;
import io.etrms.streams.breakers.Condition;
import io.etrms.streams.breakers.ExchangePosition;
import io.etrms.streams.metrics.StageMetrics;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Applies everything that reaches an account to it, in input order: position changes and
 * instrument marks from stage 1, transfers, position snapshots and risk-control records (valid,
 * first-seen: their own processors checked them). After each record it evaluates the account's circuit breakers
 * (every record that can change what they watch: no cache may hide a peak or a breach) and
 * publishes any alert and risk command at once, the changed position on {@code positions}, and the
 * account's snapshots through the {@link SnapshotPublisher}. It runs the breakers' wall-clock
 * punctuation.
 *
 * <p>A mark changes every holder of its instrument in this task. The {@link HolderIndex} tells
 * which of them it may have brought near a threshold; those are evaluated exactly, the others
 * only have new figures, which the stores already imply (a position's mark is applied when it is
 * read) and the next snapshot publishes. So a tick costs one store write plus a few nanoseconds
 * per holder, not a store read, a calculation and a breaker evaluation per holder.
 */
final class AccountProcessor implements Processor<String, Object, String, Object>, AccountBreakers.Listener {


    private final AccountSettings settings;
    private final AtomicLong limitsVersion;
    private final AtomicInteger groupsWithMemberRules;
    private ProcessorContext<String, Object> context;
    private AccountStores stores;
    private AccountBreakers breakers;
    private AccountGroups groups;
    private SnapshotPublisher snapshots;
    private HolderIndex index;
    private Sensor holderMarks;
    private Sensor evaluatedMarks;
    private Sensor staleSnapshots;
    /** Set at initialisation when snapshots may have been held: the first flush republishes every account. */
    private boolean republish;
    /** The figures the current record's evaluation left for its account (what a publication of it at once would recompute). */
    private String evaluatedAccount;
    private AccountBreakers.Current evaluatedCurrent;

    private final StageMetrics metrics;

    /**
     * @param limitsVersion         the count of changes of the global limits stores
     * @param groupsWithMemberRules how many {@code group-limits} records set a rule of their members' breakers
     */
    AccountProcessor(AccountSettings settings, AtomicLong limitsVersion, AtomicInteger groupsWithMemberRules, StageMetrics metrics) {
        this.settings = settings;
        this.limitsVersion = limitsVersion;
        this.groupsWithMemberRules = groupsWithMemberRules;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.stores = new AccountStores(context);
        this.index = new HolderIndex();
        this.groups = new AccountGroups(context);
        this.breakers = new AccountBreakers(context, stores, settings.defaultLimits(),
                new GroupRules(context, groups, limitsVersion, groupsWithMemberRules), this, metrics);
        this.snapshots = new SnapshotPublisher(settings.snapshotInterval().toMillis(), settings.markSnapshotInterval().toMillis(),
                context::currentSystemTimeMs, index::holders, this::send);
        this.holderMarks = sum(context, "holder-marks", "holders a mark moved");
        this.evaluatedMarks = sum(context, "evaluated-holder-marks", "holders evaluated exactly on a mark (the holder index let the others be)");
        this.staleSnapshots = context.metrics().addRateTotalSensor("etrms", "position-snapshots", "superseded-position-snapshots",
                Sensor.RecordingLevel.INFO);
        rebuildIndex();
        Map<String, Integer> byState = new HashMap<>();
        for (String account : stores.accounts()) {
            byState.merge(stores.breakers(account).tradingState(), 1, Integer::sum);
        }
        metrics.accountStates(context.taskId(), byState);
        context.schedule(settings.punctuation(), PunctuationType.WALL_CLOCK_TIME, breakers::punctuate);
        if (snapshots.conflates()) {
            republish = true;
            context.schedule(Duration.ofMillis(snapshots.flushIntervalMs()), PunctuationType.WALL_CLOCK_TIME, this::flushSnapshots);
        }
    }

    @Override
    public void process(Record<String, Object> record) {
        evaluatedAccount = null;
        Object value = record.value();
        long eventTime;
        if (value instanceof InstrumentMark mark) {
            Mark current = stores.mark(mark.instrumentKey());
            if (current == null || !current.identical(mark)) {
                applyMark(mark.instrumentKey(), mark, null);
            }
            eventTime = mark.timestamp();
        } else if (value instanceof PositionChange change) {
            positionChange(change.position());
            eventTime = change.position().timestamp();
        } else if (value instanceof Transfer transfer) {
            transfer(transfer);
            eventTime = transfer.timestamp();
        } else if (value instanceof PositionSnapshot snapshot) {
            positionSnapshot(snapshot);
            eventTime = snapshot.timestamp();
        } else if (value instanceof RiskControl control) {
            breakers.control(control);
            eventTime = control.timestamp() == null ? context.currentSystemTimeMs() : control.timestamp();
            groups.reset(control, eventTime);
        } else if (value instanceof AccountGroup membership) {
            eventTime = membership.timestamp() == null ? context.currentSystemTimeMs() : membership.timestamp();
            membership(membership, eventTime);
        } else if (value instanceof GroupAction action) {
            if (action.warning()) {
                breakers.groupWarning(action); // a warning changes no breaker: nothing for the membership to follow
            } else if (groups.follow(action)) {
                breakers.group(action);
            }
            eventTime = action.timestamp();
        } else {
            throw new IllegalArgumentException("not an input of the account stage: " + value);
        }
        metrics.published(eventTime, context.currentSystemTimeMs());
    }

    /** A fill changed this position: its carried mark first (for the other holders here), then the position. */
    private void positionChange(Position position) {
        String account = position.account();
        String instrument = Keys.instrument(position.exchange(), position.symbol());
        AccountState ledger = prepare(account, position.timestamp());
        StoredPosition old = stores.stored(position.key());
        Mark mark = stores.mark(instrument);
        Position before = old == null ? null : AccountStores.compose(old, mark);
        stores.settleSkippedMark(account, old, mark);
        InstrumentMark carried = Mark.carriedBy(position);
        if (mark == null || !mark.sameAs(carried)) {
            // Before the instrument's first tick a fill's price is everyone's mark; stage 1 sends it to
            // the other partitions holding the instrument, and it reaches this one's holders here.
            mark = applyMark(instrument, carried, account);
        }
        stores.putPosition(new StoredPosition(position, mark.sequence()));
        endDifference(position);
        index.setPosition(account, instrument, position.size(), position.entryPrice(), mark.price());
        evaluate(account, ledger, position.timestamp(), BigDecimal.ZERO, position, before);
        context.forward(new Record<>(position.key(), position, context.currentSystemTimeMs()), AccountTopology.POSITIONS_SINK);
        snapshots.changed(account, true, null);
    }

    private void transfer(Transfer transfer) {
        String account = transfer.account();
        AccountState before = prepare(account, transfer.timestamp());
        Map<String, BigDecimal> transfers = new TreeMap<>(before.transfers());
        transfers.merge(transfer.exchange(), transfer.amount(), BigDecimal::add);
        AccountState withTransfer = new AccountState(transfers, before.peakEquity(), before.maxDrawdown(), before.day(),
                before.dayStartPnl(), before.lastTotalPnl(), before.sessionEnd());
        evaluate(account, withTransfer, transfer.timestamp(), transfer.amount(), null, null);
        snapshots.changed(account, false, null);
    }

    /**
     * The exchange's latest size of one of the account's instruments: stored (an older snapshot than
     * the stored one is dropped and counted, {@code superseded-position-snapshots-total}), then the
     * account is evaluated like after any record. A snapshot beyond the tolerance from our size
     * starts a difference (its grace period counts from this snapshot's timestamp) or continues the
     * one an earlier snapshot started; one within it ends the difference.
     */
    private void positionSnapshot(PositionSnapshot snapshot) {
        String account = snapshot.account();
        String key = snapshot.positionKey();
        ExchangePositions exchange = stores.exchangePositions();
        ExchangePosition before = exchange.get(key);
        if (before != null && snapshot.timestamp() < before.timestamp()) {
            staleSnapshots.record();
            return;
        }
        Double tolerance = breakers.limits(account).limitOf(Condition.RECONCILIATION);
        ExchangePosition next = new ExchangePosition(snapshot.exchange(), snapshot.symbol(), snapshot.size(), snapshot.timestamp(), null);
        if (tolerance != null && ExchangePositions.differs(stores.size(key), next, tolerance)) {
            long since = before != null && before.differsSince() != null ? before.differsSince() : snapshot.timestamp();
            next = new ExchangePosition(next.exchange(), next.symbol(), next.size(), next.timestamp(), since);
        }
        exchange.put(key, next);
        if (evaluate(account, prepare(account, snapshot.timestamp()), snapshot.timestamp(), BigDecimal.ZERO, null, null)) {
            snapshots.changed(account, false, null);
        }
    }

    /**
     * A fill that brings our size back within the tolerance of the exchange's latest snapshot ends
     * the difference that snapshot showed. (A fill never starts one: until the exchange reports the
     * fill, our size is ahead of its snapshot, which is no difference yet; the next snapshot says.)
     */
    private void endDifference(Position position) {
        ExchangePositions exchange = stores.exchangePositions();
        ExchangePosition x = exchange.get(position.key());
        if (x == null || x.differsSince() == null) {
            return;
        }
        Double tolerance = breakers.limits(position.account()).limitOf(Condition.RECONCILIATION);
        if (tolerance != null && !ExchangePositions.differs(position.size(), x, tolerance)) {
            exchange.put(position.key(), x.agreed());
        }
    }

    /**
     * Makes {@code update} the instrument's mark in this task and evaluates the holders it may have
     * changed (all of them with {@link AccountSettings#everyMark()}), but {@code excluded}, whose own
     * record this is. A fill's price before the instrument's first tick is a mark like a tick's.
     */
    private Mark applyMark(String instrument, InstrumentMark update, String excluded) {
        long now = context.currentSystemTimeMs();
        List<String> holders = index.holders(instrument);
        holders.remove(excluded);
        Collections.sort(holders);
        // A mark of a new session starts its holders' session at their total PnL before it.
        Map<String, AccountState> ledgers = new HashMap<>();
        for (String account : holders) {
            if (update.timestamp() >= index.sessionEndOf(account)) {
                ledgers.put(account, prepare(account, update.timestamp()));
            }
        }
        Mark next = Mark.next(stores.mark(instrument), update, now);
        stores.putMark(instrument, next);
        HolderIndex.Near near = index.advance(instrument, update.price(), update.priceMovePct(), update.timestamp(), now,
                limitsVersion.get(), excluded);
        List<String> full = near.full();
        List<String> figures = near.figures();
        if (settings.everyMark()) {
            full = new ArrayList<>(holders);
            figures = List.of();
        }
        holderMarks.record(holders.size());
        evaluatedMarks.record(full.size() + figures.size());
        // In account order, as evaluating every holder would publish.
        List<String> evaluated = new ArrayList<>(full);
        evaluated.addAll(figures);
        Collections.sort(evaluated);
        Set<String> breakersToo = new java.util.HashSet<>(full);
        Set<String> restricted = new TreeSet<>();
        for (String account : evaluated) {
            AccountState ledger = ledgers.containsKey(account) ? ledgers.get(account) : prepare(account, update.timestamp());
            if (!breakersToo.contains(account)) {
                evaluateFigures(account, ledger, update.timestamp());
            } else if (evaluate(account, ledger, update.timestamp(), BigDecimal.ZERO, null, null)) {
                restricted.add(account);
            }
        }
        // A changed trading state goes out soon; the rest of the holders' new figures with the next mark publication.
        for (String account : restricted) {
            snapshots.changed(account, true, instrument);
        }
        if (!holders.isEmpty()) {
            holders.removeAll(restricted);
            snapshots.marked(instrument, holders);
        }
        return next;
    }

    /** The account joins, leaves or changes its group: its groups learn its figures as of now. */
    private void membership(AccountGroup membership, long eventTime) {
        String account = membership.account();
        AccountStores.Holdings holdings = stores.holdings(account);
        AccountBreakers.Current current = breakers.current(account, stores.breakers(account, holdings), holdings.positions());
        groups.membership(account, membership.group(), current.result() == null ? AccountGroups.contribution(null, null)
                : AccountGroups.contribution(current.metrics().riskMetrics(), current.result().state()), eventTime);
    }

    /** The account's ledger before a record at {@code eventTime}; at a new session, with its total PnL before the record. */
    private AccountState prepare(String account, long eventTime) {
        AccountState ledger = stores.state(account);
        if (ledger == null) {
            return AccountState.empty();
        }
        if (ledger.newSessionAt(eventTime)) {
            return ledger.withLastTotalPnl(stores.totalPnl(account));
        }
        return ledger;
    }

    /**
     * Evaluates the account after one record exactly: its figures from the stores, its ledger and
     * breakers stored, alerts and risk commands forwarded.
     *
     * @param ledger   the ledger before the record (with any transfer of the record added)
     * @param changed  the position the record changed (null for a mark or a transfer)
     * @param before   that position before, as it stood (null if new)
     * @return whether a trading state of the account changed
     */
    private boolean evaluate(String account, AccountState ledger, long eventTime, BigDecimal transfer, Position changed, Position before) {
        AccountStores.Holdings holdings = stores.holdings(account);
        List<Position> all = holdings.positions();
        Limits limits = breakers.limits(account);
        AccountCalculator.Result result = AccountCalculator.compute(account, all, ledger, transfer, eventTime, limits.session(),
                limits.drawdownBasis());
        stores.putState(account, result.state());
        long now = context.currentSystemTimeMs();
        BreakerState prior = stores.breakers(account, holdings);
        BreakerState next = prior.withRecord(eventTime, now);
        if (changed != null) {
            next = next.withPosition(changed, before, now);
        }
        BreakerState after = breakers.afterRecord(account, prior, next, all, result, limits);
        return statesChanged(prior, after);
    }

    /**
     * A mark brought the account to a new peak or maximum drawdown but near no breaker's limit: its
     * ledger is evaluated exactly (equity from the holder index's exact sizes, entries and marks) and
     * stored; its breakers, which would find nothing to do, are not.
     */
    private void evaluateFigures(String account, AccountState ledger, long eventTime) {
        BigDecimal[] equityAndPnl = index.equityAndPnl(account);
        Limits limits = breakers.limits(account);
        AccountState next = AccountCalculator.ledger(ledger, equityAndPnl[0], equityAndPnl[2], equityAndPnl[1], BigDecimal.ZERO, eventTime,
                limits.session(), limits.drawdownBasis()).state();
        stores.putState(account, next);
        index.refreshFigures(account, equityAndPnl[0], next);
    }

    /** After every evaluation the holder index learns the account's new figures. */
    @Override
    public void evaluated(String account, BreakerState before, BreakerState after, AccountBreakers.Current current, boolean record) {
        if (current.metrics() != null) {
            groups.figures(account, current.metrics().riskMetrics(), current.result().state(), current.metrics().timestamp());
        }
        if (current.metrics() != null && index.holdsAnything(account)) {
            index.refresh(account, current.metrics().riskMetrics(), current.positions(), current.result().state(), current.limits(),
                    after, limitsVersion.get(), breakers.startedAt());
        }
        // After a record the figures carry the record's outcome; after a reset or the punctuation they
        // were measured before it, so a publication recomputes them. So it does after a record older
        // than the account's clock (a mark of an instrument whose ticks lag the others', or a held
        // outlier released): its figures are as of the record's time, a snapshot is as of the clock,
        // as it is for the holders that record did not evaluate.
        evaluatedAccount = record && (current.metrics() == null || Objects.equals(after.lastEventTime(), current.metrics().timestamp()))
                ? account : null;
        evaluatedCurrent = current;
        if (!record && current.metrics() != null && statesChanged(before, after)) {
            snapshots.changed(account, false, null); // a reset or a re-arm: the new state goes out soon
        }
    }

    private static boolean statesChanged(BreakerState before, BreakerState after) {
        return !before.tradingState().equals(after.tradingState())
                || !Objects.equals(before.instrumentStates(), after.instrumentStates());
    }

    /** Builds the account's current snapshots and forwards them, with its positions in {@code instruments}. */
    private void send(String account, boolean portfolio, Set<String> instruments) {
        AccountBreakers.Current current;
        if (account.equals(evaluatedAccount)) {
            current = evaluatedCurrent; // the figures this record's evaluation just computed
        } else {
            AccountStores.Holdings holdings = stores.holdings(account);
            current = breakers.current(account, stores.breakers(account, holdings), holdings.positions());
        }
        if (current.result() == null) {
            return;
        }
        // The marks that only gave their holders new figures reach the groups here, with the snapshot.
        groups.figures(account, current.metrics().riskMetrics(), current.result().state(), current.metrics().timestamp());
        long now = context.currentSystemTimeMs();
        if (portfolio && !current.positions().isEmpty()) {
            context.forward(new Record<>(account, current.result().portfolio(), now), AccountTopology.PORTFOLIO_SINK);
        }
        context.forward(new Record<>(account, current.result().accounts(), now), AccountTopology.ACCOUNTS_SINK);
        context.forward(new Record<>(account, current.published(), now), AccountTopology.RISK_METRICS_SINK);
        if (!instruments.isEmpty()) {
            for (Position p : current.positions()) {
                if (!p.isFlat() && instruments.contains(Keys.instrument(p.exchange(), p.symbol()))) {
                    context.forward(new Record<>(p.key(), p, now), AccountTopology.POSITIONS_SINK);
                }
            }
        }
    }

    private void flushSnapshots(long wallNow) {
        evaluatedAccount = null;
        if (republish) {
            republish = false;
            Map<String, Set<String>> all = new LinkedHashMap<>();
            for (String account : stores.accounts()) {
                Set<String> instruments = new TreeSet<>();
                for (StoredPosition p : stores.stored(account, true)) {
                    instruments.add(Keys.instrument(p.position().exchange(), p.position().symbol()));
                }
                all.put(account, instruments);
            }
            snapshots.republishAll(all);
        }
        snapshots.flushDue(wallNow);
    }

    @Override
    public void close() {
        metrics.accountStates(context.taskId(), null);
    }

    /** A sensor summing what it records, as {@code <name>-total} of group {@code stream-etrms-metrics}. */
    private static Sensor sum(ProcessorContext<?, ?> context, String name, String description) {
        Sensor sensor = context.metrics().addSensor("etrms-" + name + "-" + context.taskId(), Sensor.RecordingLevel.INFO);
        sensor.add(new MetricName(name + "-total", "stream-etrms-metrics", description,
                Map.of("thread-id", Thread.currentThread().getName(), "task-id", context.taskId().toString())), new CumulativeSum());
        return sensor;
    }

    /** The holder index of this task's open positions, and every holder's thresholds, from the stores. */
    private void rebuildIndex() {
        List<String> accounts = new ArrayList<>();
        stores.forEachPosition(stored -> {
            Position p = stored.position();
            if (!p.isFlat()) {
                String instrument = Keys.instrument(p.exchange(), p.symbol());
                Mark mark = stores.mark(instrument);
                index.setPosition(p.account(), instrument, p.size(), p.entryPrice(), AccountStores.compose(stored, mark).currentPrice());
                if (accounts.isEmpty() || !accounts.get(accounts.size() - 1).equals(p.account())) {
                    accounts.add(p.account());
                }
            }
        });
        for (String account : accounts) {
            AccountStores.Holdings holdings = stores.holdings(account);
            BreakerState state = stores.breakers(account, holdings);
            AccountBreakers.Current current = breakers.current(account, state, holdings.positions());
            if (current.metrics() != null) {
                index.refresh(account, current.metrics().riskMetrics(), current.positions(), current.result().state(), current.limits(),
                        state, limitsVersion.get(), breakers.startedAt());
            }
        }
    }
}
