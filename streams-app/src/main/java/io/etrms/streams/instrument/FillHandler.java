package io.etrms.streams.instrument;

import io.etrms.model.Fill;
import io.etrms.model.Keys;
import io.etrms.model.Position;
import io.etrms.streams.common.DeadLetters;
import io.etrms.streams.common.Parsed;
import java.time.Duration;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The fills side of {@link InstrumentProcessor}: applies each valid, first-seen fill to its account's position and publishes the position.
 * Invalid fills go to dead-letters; a fill id already seen on the same exchange within the
 * retention is dropped and counted ({@code duplicate-fills-total}).
 */
final class FillHandler {

    private final Duration dedupRetention;
    private ProcessorContext<String, Object> context;
    private InstrumentBook book;
    private WindowStore<String, Long> fillIds;
    private DeadLetters deadLetters;
    private Sensor duplicates;

    FillHandler(Duration dedupRetention) {
        this.dedupRetention = dedupRetention;
    }

    void init(ProcessorContext<String, Object> context, InstrumentBook book) {
        this.context = context;
        this.book = book;
        this.fillIds = context.getStateStore(InstrumentTopology.FILL_IDS_STORE);
        this.deadLetters = new DeadLetters(context, InstrumentTopology.DEAD_LETTERS_SINK);
        this.duplicates = context.metrics().addRateTotalSensor("etrms", "fills", "duplicate-fills", Sensor.RecordingLevel.INFO);
    }

    void process(Record<String, byte[]> record) {
        deadLetters.guard(record, record.value(), () -> handle(record));
    }

    private void handle(Record<String, byte[]> record) {
        Parsed<Fill> parsed = Parsed.of(record.value(), Fill.class, Fill::problems);
        if (!parsed.ok()) {
            deadLetters.send(record, record.value(), parsed.error());
            return;
        }
        Fill fill = parsed.value();
        if (record.key() != null && !record.key().equals(fill.instrumentKey())) {
            deadLetters.send(record, record.value(), "key '" + record.key() + "' does not match exchange|symbol '" + fill.instrumentKey() + "'");
            return;
        }
        String fillKey = fill.exchange() + Keys.SEPARATOR + fill.fillId();
        if (seen(fillKey, fill.timestamp())) {
            duplicates.record();
            return;
        }
        fillIds.put(fillKey, fill.timestamp(), fill.timestamp());

        String instrument = fill.instrumentKey();
        InstrumentState state = book.instrument(instrument);
        if (!state.hasTick()) {
            // Before any tick the last fill price is the instrument's current price.
            state = state.withFillPrice(fill.price());
            book.putInstrument(instrument, state);
        }
        Position current = book.position(instrument, fill.account());
        if (current == null) {
            current = PositionMath.flat(fill.account(), fill.exchange(), fill.symbol());
        }
        Position updated = PositionMath.apply(current, fill, state.price(), state.priceTimestamp());
        if (state.hasTick()) {
            updated = withStats(updated, state);
        }
        book.putPosition(instrument, updated);
        context.forward(new Record<>(updated.key(), updated, record.timestamp()), InstrumentTopology.POSITIONS_SINK);

        if (!state.hasTick()) {
            remarkOthers(instrument, fill, state, record.timestamp());
        }
    }

    /** Before the first tick a fill moves the mark of every other open position in the instrument. */
    private void remarkOthers(String instrument, Fill fill, InstrumentState state, long timestamp) {
        for (Position other : book.openPositions(instrument)) {
            if (!other.account().equals(fill.account()) && other.currentPrice().compareTo(state.price()) != 0) {
                Position marked = PositionMath.mark(other, state.price());
                book.putPosition(instrument, marked);
                context.forward(new Record<>(marked.key(), marked, timestamp), InstrumentTopology.POSITIONS_SINK);
            }
        }
    }

    private static Position withStats(Position p, InstrumentState state) {
        return new Position(p.account(), p.exchange(), p.symbol(), p.size(), p.entryPrice(), p.currentPrice(),
                p.unrealizedPnl(), p.realizedPnl(), p.notional(), p.fees(), state.volatility(), state.priceMovePct(),
                p.priceTimestamp(), p.timestamp());
    }

    private boolean seen(String fillKey, long timestamp) {
        long from = Math.max(0, timestamp - dedupRetention.toMillis());
        try (WindowStoreIterator<Long> it = fillIds.fetch(fillKey, from, timestamp + dedupRetention.toMillis())) {
            return it.hasNext();
        }
    }
}
