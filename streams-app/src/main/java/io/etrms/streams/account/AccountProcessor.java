package io.etrms.streams.account;

import io.etrms.model.Keys;
import io.etrms.model.Position;
import io.etrms.model.RiskControl;
import io.etrms.model.RiskMetricsSnapshot;
import io.etrms.model.Topics;
import io.etrms.model.Transfer;
import io.etrms.streams.breakers.BreakerState;
import io.etrms.streams.breakers.Limits;
import io.etrms.streams.common.DeadLetters;
import io.etrms.streams.common.Parsed;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The one processor of the account stage: applies each position update or transfer to its
 * account, evaluates the account's circuit breakers on it (every record: no cache may hide a peak
 * or a breach) and publishes any alert and risk command at once and the account's portfolio,
 * accounts and risk-metrics snapshots through the {@link SnapshotPublisher}; applies manual
 * {@link RiskControl} records; and runs the breakers' wall-clock punctuation. Positions, transfers
 * and risk-control records of a task share one {@link AccountBook}.
 */
final class AccountProcessor implements Processor<String, byte[], String, Object> {

    private final Topics topics;
    private final Duration dedupRetention;
    private final Limits defaultLimits;
    private final Duration punctuationInterval;
    private final long snapshotIntervalMs;
    private ProcessorContext<String, Object> context;
    private AccountBook book;
    private AccountBreakers breakers;
    private SnapshotPublisher snapshots;
    private WindowStore<String, Long> transferIds;
    private DeadLetters deadLetters;
    private Sensor duplicates;
    /** Set at initialisation when snapshots may have been held: the first punctuation republishes every account. */
    private boolean republish;

    AccountProcessor(Topics topics, Duration dedupRetention, Limits defaultLimits, Duration punctuationInterval, long snapshotIntervalMs) {
        this.topics = topics;
        this.dedupRetention = dedupRetention;
        this.defaultLimits = defaultLimits;
        this.punctuationInterval = punctuationInterval;
        this.snapshotIntervalMs = snapshotIntervalMs;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.book = new AccountBook(context);
        this.snapshots = new SnapshotPublisher(context, snapshotIntervalMs);
        this.breakers = new AccountBreakers(context, book, snapshots, defaultLimits);
        this.transferIds = context.getStateStore(AccountTopology.TRANSFER_IDS_STORE);
        this.duplicates = context.metrics().addRateTotalSensor("etrms", "transfers", "duplicate-transfers", Sensor.RecordingLevel.INFO);
        this.deadLetters = new DeadLetters(context, AccountTopology.DEAD_LETTERS_SINK);
        context.schedule(punctuationInterval, PunctuationType.WALL_CLOCK_TIME, breakers::punctuate);
        if (snapshots.conflates()) {
            republish = true;
            context.schedule(Duration.ofMillis(snapshotIntervalMs), PunctuationType.WALL_CLOCK_TIME, this::flushSnapshots);
        }
    }

    private void flushSnapshots(long wallNow) {
        if (republish) {
            republish = false;
            Map<String, SnapshotPublisher.Snapshots> current = new LinkedHashMap<>();
            for (String account : book.accounts()) {
                SnapshotPublisher.Snapshots s = breakers.currentSnapshots(account);
                if (s != null) {
                    current.put(account, s);
                }
            }
            snapshots.republish(current);
        }
        snapshots.flushDue(wallNow);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        deadLetters.guard(record, record.value(), () -> {
            String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("");
            if (topic.equals(topics.positions.name())) {
                position(record);
            } else if (topic.equals(topics.transfers.name())) {
                transfer(record);
            } else {
                control(record);
            }
        });
    }

    private void position(Record<String, byte[]> record) {
        Parsed<Position> parsed = Parsed.of(record.value(), Position.class, AccountProcessor::positionProblems);
        if (!parsed.ok()) {
            deadLetters.send(record, record.value(), parsed.error());
            return;
        }
        Position position = parsed.value();
        Position before = book.position(position.account(), position.key());
        book.putPosition(position);
        publish(position.account(), state(position.account()), BigDecimal.ZERO, timestampOf(position, record), position, before);
    }

    private void transfer(Record<String, byte[]> record) {
        Parsed<Transfer> parsed = Parsed.of(record.value(), Transfer.class, Transfer::problems);
        if (!parsed.ok()) {
            deadLetters.send(record, record.value(), parsed.error());
            return;
        }
        Transfer transfer = parsed.value();
        if (record.key() != null && !record.key().equals(transfer.account())) {
            deadLetters.send(record, record.value(), "key '" + record.key() + "' does not match account '" + transfer.account() + "'");
            return;
        }
        String id = transfer.account() + Keys.SEPARATOR + transfer.exchange() + Keys.SEPARATOR + transfer.transferId();
        if (seen(id, transfer.timestamp())) {
            duplicates.record();
            return;
        }
        transferIds.put(id, transfer.timestamp(), transfer.timestamp());
        AccountState before = state(transfer.account());
        Map<String, BigDecimal> transfers = new TreeMap<>(before.transfers());
        transfers.merge(transfer.exchange(), transfer.amount(), BigDecimal::add);
        AccountState withTransfer = new AccountState(transfers, before.peakEquity(), before.maxDrawdown(), before.day(),
                before.dayStartPnl(), before.lastTotalPnl());
        publish(transfer.account(), withTransfer, transfer.amount(), transfer.timestamp(), null, null);
    }

    /** A manual reset or state change: a record that does not parse, breaks a rule or whose key is not its account is dead-lettered. */
    private void control(Record<String, byte[]> record) {
        Parsed<RiskControl> parsed = Parsed.of(record.value(), RiskControl.class, RiskControl::problems);
        if (!parsed.ok()) {
            deadLetters.send(record, record.value(), parsed.error());
            return;
        }
        RiskControl control = parsed.value();
        if (record.key() != null && !record.key().equals(control.account())) {
            deadLetters.send(record, record.value(), "key '" + record.key() + "' does not match account '" + control.account() + "'");
            return;
        }
        breakers.control(control);
    }

    /**
     * @param position the position this record updated (null for a transfer)
     * @param before   that position before the update (null if new)
     */
    private void publish(String account, AccountState state, BigDecimal transfer, long timestamp, Position position, Position before) {
        List<Position> all = book.positions(account);
        AccountCalculator.Result result = AccountCalculator.compute(account, all, state, transfer, timestamp);
        book.putState(account, result.state());
        long now = breakers.now();
        BreakerState breakerState = breakers.state(account).withRecord(timestamp, now);
        if (position != null) {
            breakerState = breakerState.withPosition(position, before, now);
        }
        RiskMetricsSnapshot metrics = breakers.afterRecord(account, breakerState, all, result.metrics());
        snapshots.publish(account, new SnapshotPublisher.Snapshots(position != null ? result::portfolio : null, result::accounts, () -> metrics));
    }

    private AccountState state(String account) {
        AccountState state = book.state(account);
        return state == null ? AccountState.empty() : state;
    }

    private boolean seen(String id, long timestamp) {
        long from = Math.max(0, timestamp - dedupRetention.toMillis());
        try (WindowStoreIterator<Long> it = transferIds.fetch(id, from, timestamp + dedupRetention.toMillis())) {
            return it.hasNext();
        }
    }

    private static long timestampOf(Position position, Record<String, byte[]> record) {
        return position.timestamp() != null ? position.timestamp() : record.timestamp();
    }

    private static List<String> positionProblems(Position p) {
        List<String> problems = new ArrayList<>();
        if (p.account() == null || p.exchange() == null || p.symbol() == null || p.size() == null
                || p.entryPrice() == null || p.realizedPnl() == null || p.unrealizedPnl() == null || p.notional() == null) {
            problems.add("incomplete position");
        }
        return problems;
    }
}
