package io.etrms.streams.instrument;

import io.etrms.model.AccountUpdate;
import io.etrms.model.Fill;
import io.etrms.model.InstrumentMark;
import io.etrms.model.Keys;
import io.etrms.model.Position;
import io.etrms.model.PositionChange;
import io.etrms.streams.common.AccountPartitioner;
import io.etrms.streams.common.DeadLetterReason;
import io.etrms.streams.common.DeadLetters;
import io.etrms.streams.metrics.StageMetrics;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Applies each valid, first-seen fill to its account's position and sends the
 * {@link PositionChange} to the account's partition. A fill that opens or closes a position moves
 * the instrument's holder count on that partition. Before the instrument's first tick the fill price
 * is its current price: the fill then also sends the new mark to the other partitions holding it.
 * A fill that breaks a rule goes to dead-letters; a fill id already seen on the same exchange within
 * the retention is dropped and counted ({@code duplicate-fills-total}).
 */
final class FillProcessor implements Processor<String, Fill, String, Object> {

    private final InstrumentSettings settings;
    private final StageMetrics metrics;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, Position> positions;
    private KeyValueStore<String, InstrumentState> instruments;
    private WindowStore<String, Long> fillIds;
    private DeadLetters deadLetters;
    private Sensor duplicates;

    FillProcessor(InstrumentSettings settings, StageMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.positions = context.getStateStore(InstrumentTopology.POSITIONS_STORE);
        this.instruments = context.getStateStore(InstrumentTopology.INSTRUMENT_STORE);
        this.fillIds = context.getStateStore(InstrumentTopology.FILL_IDS_STORE);
        this.deadLetters = new DeadLetters(context, InstrumentTopology.DEAD_LETTERS_SINK, metrics.deadLetters());
        this.duplicates = context.metrics().addRateTotalSensor("etrms", "fills", "duplicate-fills", Sensor.RecordingLevel.INFO);
    }

    @Override
    public void process(Record<String, Fill> record) {
        Fill fill = record.value();
        if (fill == null) {
            deadLetters.reject(record, null, DeadLetterReason.UNPARSABLE, "null value");
            return;
        }
        List<String> problems = fill.problems();
        if (!problems.isEmpty()) {
            deadLetters.reject(record, fill, DeadLetterReason.INVALID, String.join("; ", problems));
            return;
        }
        String instrument = fill.instrumentKey();
        if (record.key() != null && !record.key().equals(instrument)) {
            deadLetters.reject(record, fill, DeadLetterReason.KEY_MISMATCH,
                    "key '" + record.key() + "' does not match exchange|symbol '" + instrument + "'");
            return;
        }
        String fillKey = fill.exchange() + Keys.SEPARATOR + fill.fillId();
        if (seen(fillKey, fill.timestamp())) {
            duplicates.record();
            return;
        }
        fillIds.put(fillKey, fill.timestamp(), fill.timestamp());
        apply(fill);
    }

    private void apply(Fill fill) {
        String instrument = fill.instrumentKey();
        InstrumentState before = instruments.get(instrument);
        InstrumentState state = before == null ? InstrumentState.EMPTY : before;
        boolean markMoved = false;
        if (!state.hasTick()) {
            // Before any tick the last fill price is the instrument's current price.
            markMoved = state.price() == null || state.price().compareTo(fill.price()) != 0;
            state = state.withFillPrice(fill.price());
        }
        String positionKey = Keys.instrument(instrument, fill.account());
        Position current = positions.get(positionKey);
        if (current == null) {
            current = PositionMath.flat(fill.account(), fill.exchange(), fill.symbol());
        }
        Position updated = PositionMath.apply(current, fill, state.price(), state.priceTimestamp());
        if (state.hasTick()) {
            updated = PositionMath.withStats(updated, state.volatility(), state.priceMovePct());
        }
        positions.put(positionKey, updated);

        int partition = AccountPartitioner.partitionOf(fill.account(), settings.accountPartitions());
        if (current.isFlat() != updated.isFlat()) {
            state = state.withHolders(state.holders().plus(partition, updated.isFlat() ? -1 : 1, settings.accountPartitions()));
        }
        if (!state.equals(before)) {
            instruments.put(instrument, state);
        }
        // The Kafka timestamp of what we send is the processing time: an event time far ahead of the
        // broker's clock would be refused (the event time travels in the values).
        long now = context.currentSystemTimeMs();
        context.forward(new Record<String, AccountUpdate>(updated.key(), new PositionChange(updated), now),
                InstrumentTopology.ACCOUNT_UPDATES_SINK);
        metrics.published(fill.timestamp(), now);
        if (markMoved) {
            // The filled account's partition has the new mark in the position change.
            Set<Integer> others = state.holders().holding(partition);
            if (!others.isEmpty()) {
                InstrumentMark mark = new InstrumentMark(fill.exchange(), fill.symbol(), fill.price(), null, null, null,
                        fill.timestamp(), others);
                context.forward(new Record<String, AccountUpdate>(instrument, mark, now), InstrumentTopology.ACCOUNT_UPDATES_SINK);
            }
        }
    }

    private boolean seen(String fillKey, long timestamp) {
        long retention = settings.dedupRetention().toMillis();
        try (WindowStoreIterator<Long> it = fillIds.fetch(fillKey, Math.max(0, timestamp - retention), timestamp + retention)) {
            return it.hasNext();
        }
    }
}
