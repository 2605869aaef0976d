package io.etrms.streams.instrument;

import io.etrms.model.Position;
import io.etrms.model.PriceTick;
import io.etrms.streams.common.DeadLetters;
import io.etrms.streams.common.Parsed;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Moves an instrument's current price and volatility window on each in-order tick and re-marks
 * every open position in it. A tick older than the instrument's latest is dropped (it is neither
 * the current price nor part of the volatility window) and counted ({@code late-ticks-total}).
 */
final class PriceProcessor implements Processor<String, byte[], String, Object> {

    private final long windowMs;
    private ProcessorContext<String, Object> context;
    private InstrumentBook book;
    private VolatilityWindow window;
    private DeadLetters deadLetters;
    private Sensor lateTicks;

    PriceProcessor(long windowMs) {
        this.windowMs = windowMs;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.book = new InstrumentBook(context);
        this.window = new VolatilityWindow(context.getStateStore(InstrumentTopology.TICKS_STORE), windowMs);
        this.deadLetters = new DeadLetters(context, InstrumentTopology.DEAD_LETTERS_SINK);
        this.lateTicks = context.metrics().addRateTotalSensor("etrms", "prices", "late-ticks", Sensor.RecordingLevel.INFO);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        deadLetters.guard(record, record.value(), () -> handle(record));
    }

    private void handle(Record<String, byte[]> record) {
        Parsed<PriceTick> parsed = Parsed.of(record.value(), PriceTick.class, PriceTick::problems);
        if (!parsed.ok()) {
            deadLetters.send(record, record.value(), parsed.error());
            return;
        }
        PriceTick tick = parsed.value();
        String instrument = tick.instrumentKey();
        if (record.key() != null && !record.key().equals(instrument)) {
            deadLetters.send(record, record.value(), "key '" + record.key() + "' does not match exchange|symbol '" + instrument + "'");
            return;
        }
        InstrumentState state = book.instrument(instrument);
        if (state.hasTick() && tick.timestamp() < state.priceTimestamp()) {
            lateTicks.record();
            book.putInstrument(instrument, new InstrumentState(state.price(), state.priceTimestamp(), state.tickSequence(),
                    state.returns(), state.sumReturns(), state.sumSquares(), state.oldestPrice(), state.lateTicks() + 1));
            return;
        }
        InstrumentState next = window.add(instrument, state, tick.price(), tick.timestamp());
        book.putInstrument(instrument, next);
        double volatility = next.volatility();
        double move = next.priceMovePct();
        for (Position open : book.openPositions(instrument)) {
            Position marked = PositionMath.onTick(open, tick.price(), tick.timestamp(), volatility, move);
            book.putPosition(instrument, marked);
            context.forward(new Record<>(marked.key(), marked, record.timestamp()), InstrumentTopology.POSITIONS_SINK);
        }
    }
}
