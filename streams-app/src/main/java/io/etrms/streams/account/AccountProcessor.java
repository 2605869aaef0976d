package io.etrms.streams.account;

import io.etrms.model.Keys;
import io.etrms.model.Position;
import io.etrms.model.RiskMetricsSnapshot;
import io.etrms.model.Transfer;
import io.etrms.streams.breakers.BreakerState;
import io.etrms.streams.breakers.Limits;
import io.etrms.streams.common.DeadLetters;
import io.etrms.streams.common.Parsed;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Applies one position update or transfer to its account, evaluates the account's circuit breakers
 * and publishes the account's portfolio, accounts and risk-metrics snapshots, and any alert and
 * risk command, at once (no cache: every intermediate value is published and checked). The
 * position processor of each task also runs the wall-clock punctuation of the breakers.
 */
final class AccountProcessor implements Processor<String, byte[], String, Object> {

    enum Input { POSITION, TRANSFER }

    private final Input input;
    private final Duration dedupRetention;
    private final Limits defaultLimits;
    private final Duration punctuationInterval;
    private ProcessorContext<String, Object> context;
    private AccountBreakers breakers;
    private KeyValueStore<String, Position> positions;
    private KeyValueStore<String, AccountState> states;
    private WindowStore<String, Long> transferIds;
    private DeadLetters deadLetters;
    private Sensor duplicates;

    AccountProcessor(Input input, Duration dedupRetention, Limits defaultLimits, Duration punctuationInterval) {
        this.input = input;
        this.dedupRetention = dedupRetention;
        this.defaultLimits = defaultLimits;
        this.punctuationInterval = punctuationInterval;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.positions = context.getStateStore(AccountTopology.POSITIONS_STORE);
        this.states = context.getStateStore(AccountTopology.STATE_STORE);
        if (input == Input.TRANSFER) {
            this.transferIds = context.getStateStore(AccountTopology.TRANSFER_IDS_STORE);
            this.duplicates = context.metrics().addRateTotalSensor("etrms", "transfers", "duplicate-transfers", Sensor.RecordingLevel.INFO);
        }
        this.deadLetters = new DeadLetters(context, AccountTopology.DEAD_LETTERS_SINK);
        this.breakers = new AccountBreakers(context, defaultLimits);
        if (input == Input.POSITION) {
            context.schedule(punctuationInterval, PunctuationType.WALL_CLOCK_TIME, breakers::punctuate);
        }
    }

    @Override
    public void process(Record<String, byte[]> record) {
        deadLetters.guard(record, record.value(), () -> handle(record));
    }

    private void handle(Record<String, byte[]> record) {
        if (input == Input.POSITION) {
            Parsed<Position> parsed = Parsed.of(record.value(), Position.class, AccountProcessor::positionProblems);
            if (!parsed.ok()) {
                deadLetters.send(record, record.value(), parsed.error());
                return;
            }
            Position position = parsed.value();
            Position before = positions.get(position.key());
            positions.put(position.key(), position);
            publish(position.account(), state(position.account()), BigDecimal.ZERO, timestampOf(position, record), position, before);
        } else {
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
    }

    /**
     * @param position the position this record updated (null for a transfer)
     * @param before   that position before the update (null if new)
     */
    private void publish(String account, AccountState state, BigDecimal transfer, long timestamp, Position position, Position before) {
        List<Position> all = breakers.positions(account);
        AccountCalculator.Result result = AccountCalculator.compute(account, all, state, transfer, timestamp);
        states.put(account, result.state());
        long now = breakers.now();
        BreakerState breakerState = breakers.state(account).withRecord(timestamp, now);
        if (position != null) {
            breakerState = breakerState.withPosition(position, before, now);
        }
        RiskMetricsSnapshot metrics = breakers.afterRecord(account, breakerState, all, result.metrics());
        if (position != null) {
            context.forward(new Record<>(account, result.portfolio(), timestamp), AccountTopology.PORTFOLIO_SINK);
        }
        context.forward(new Record<>(account, result.accounts(), timestamp), AccountTopology.ACCOUNTS_SINK);
        context.forward(new Record<>(account, metrics, timestamp), AccountTopology.RISK_METRICS_SINK);
    }

    private AccountState state(String account) {
        AccountState state = states.get(account);
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
