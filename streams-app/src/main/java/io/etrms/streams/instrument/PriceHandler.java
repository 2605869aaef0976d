package io.etrms.streams.instrument;

import io.etrms.model.DeadLetter;
import io.etrms.model.Json;
import io.etrms.model.Keys;
import io.etrms.model.Position;
import io.etrms.model.PriceTick;
import io.etrms.model.RiskLimits;
import io.etrms.streams.common.DeadLetters;
import io.etrms.streams.common.Parsed;
import java.math.BigDecimal;
import java.util.List;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The prices side of {@link InstrumentProcessor}: moves an instrument's current price and volatility window on each in-order tick and re-marks
 * every open position in it. A tick older than the instrument's latest is dropped (it is neither
 * the current price nor part of the volatility window) and counted ({@code late-ticks-total}).
 *
 * <p>One bad tick must not trip a breaker: a tick further than the outlier limit from the last
 * tick (when that one is inside the volatility window) is held back. If the next tick lies within
 * the limit of it, the market really moved: both are applied, in order. Otherwise it is discarded
 * to dead-letters and counted ({@code outlier-ticks-total}), and the next tick is judged on its own.
 * A held tick that no tick follows within the hold time (wall clock) is used as it is: a quiet
 * instrument's genuine jump must not leave its price stale.
 */
final class PriceHandler {

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private final long defaultWindowMs;
    private final BigDecimal outlierPct;
    private final long holdMs;
    /** Instruments of this task with a held tick (rebuilt from the store at init). */
    private final java.util.Set<String> held = new java.util.TreeSet<>();
    private ProcessorContext<String, Object> context;
    private InstrumentBook book;
    private VolatilityWindow window;
    private KeyValueStore<String, RiskLimits> limits;
    private DeadLetters deadLetters;
    private Sensor lateTicks;
    private Sensor outlierTicks;

    /**
     * @param defaultWindowMs the volatility window unless the {@code *} risk-limits record sets one
     * @param outlierPct      the outlier limit in percent; 0 or less switches the filter off
     * @param holdMs          how long a held tick waits for the next one before it is used as it is
     */
    PriceHandler(long defaultWindowMs, double outlierPct, long holdMs) {
        this.defaultWindowMs = defaultWindowMs;
        this.holdMs = holdMs;
        this.outlierPct = outlierPct > 0 ? io.etrms.model.Decimals.normalize(BigDecimal.valueOf(outlierPct)) : null;
    }

    void init(ProcessorContext<String, Object> context, InstrumentBook book) {
        this.context = context;
        this.book = book;
        this.window = new VolatilityWindow(context.getStateStore(InstrumentTopology.TICKS_STORE), defaultWindowMs);
        this.limits = context.getStateStore(InstrumentTopology.LIMITS_STORE);
        this.deadLetters = new DeadLetters(context, InstrumentTopology.DEAD_LETTERS_SINK);
        this.lateTicks = context.metrics().addRateTotalSensor("etrms", "prices", "late-ticks", Sensor.RecordingLevel.INFO);
        this.outlierTicks = context.metrics().addRateTotalSensor("etrms", "prices", "outlier-ticks", Sensor.RecordingLevel.INFO);
        held.clear(); // a revived task initialises the same handler again, on restored stores
        if (outlierPct != null) {
            KeyValueStore<String, InstrumentState> instruments = context.getStateStore(InstrumentTopology.INSTRUMENT_STORE);
            try (var it = instruments.all()) {
                it.forEachRemaining(kv -> {
                    if (kv.value.hasSuspect()) {
                        held.add(kv.key);
                    }
                });
            }
            context.schedule(java.time.Duration.ofMillis(Math.max(1, Math.min(1000, holdMs))),
                    org.apache.kafka.streams.processor.PunctuationType.WALL_CLOCK_TIME, this::releaseHeld);
        }
    }

    /** Uses every held tick that has waited the hold time without a tick after it. */
    private void releaseHeld(long wallNow) {
        for (String instrument : List.copyOf(held)) {
            InstrumentState state = book.instrument(instrument);
            if (!state.hasSuspect()) {
                held.remove(instrument);
            } else if (state.suspectHeldAt() == null || wallNow - state.suspectHeldAt() >= holdMs) {
                int split = instrument.indexOf(Keys.SEPARATOR);
                PriceTick suspect = new PriceTick(instrument.substring(0, split), instrument.substring(split + 1),
                        state.suspectPrice(), state.suspectTimestamp());
                apply(instrument, state.withoutSuspect(false), suspect, windowMs(), wallNow);
                held.remove(instrument);
            }
        }
    }

    void process(Record<String, byte[]> record) {
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
        Long latest = state.latestTimestamp();
        if (latest != null && state.hasTick() && tick.timestamp() < latest) {
            lateTicks.record();
            book.putInstrument(instrument, state.withLateTick());
            return;
        }
        long windowMs = windowMs();
        if (state.hasSuspect()) {
            PriceTick suspect = new PriceTick(tick.exchange(), tick.symbol(), state.suspectPrice(), state.suspectTimestamp());
            held.remove(instrument);
            if (within(tick.price(), suspect.price())) {
                state = apply(instrument, state.withoutSuspect(false), suspect, windowMs, record.timestamp());
                apply(instrument, state, tick, windowMs, record.timestamp());
                return;
            }
            discard(instrument, state, suspect, tick);
            state = state.withoutSuspect(true);
        }
        if (outlierPct != null && state.hasTick() && tick.timestamp() - state.priceTimestamp() < windowMs
                && !within(tick.price(), state.price())) {
            Long offset = context.recordMetadata().map(RecordMetadata::offset).orElse(null);
            book.putInstrument(instrument, state.withSuspect(tick.price(), tick.timestamp(), offset, context.currentSystemTimeMs()));
            held.add(instrument);
            return;
        }
        apply(instrument, state, tick, windowMs, record.timestamp());
    }

    /** Adds the tick to the window, makes it the current price and re-marks the instrument's open positions. */
    private InstrumentState apply(String instrument, InstrumentState state, PriceTick tick, long windowMs, long recordTimestamp) {
        InstrumentState next = window.add(instrument, state, tick.price(), tick.timestamp(), windowMs);
        book.putInstrument(instrument, next);
        double volatility = next.volatility();
        double move = next.priceMovePct();
        for (Position open : book.openPositions(instrument)) {
            Position marked = PositionMath.onTick(open, tick.price(), tick.timestamp(), volatility, move);
            book.markPosition(instrument, marked);
            context.forward(new Record<>(marked.key(), marked, recordTimestamp), InstrumentTopology.POSITIONS_SINK);
        }
        return next;
    }

    private void discard(String instrument, InstrumentState state, PriceTick suspect, PriceTick next) {
        outlierTicks.record();
        RecordMetadata meta = context.recordMetadata().orElse(null);
        String reason = "price outlier: " + suspect.price().toPlainString() + " is more than " + outlierPct.toPlainString()
                + " % from the last price " + state.price().toPlainString() + " and the next tick " + next.price().toPlainString()
                + " did not confirm it";
        deadLetters.send(instrument, new DeadLetter(meta == null ? null : meta.topic(), meta == null ? null : meta.partition(),
                state.suspectOffset(), reason, Json.write(suspect), suspect.timestamp()));
    }

    /** |price − reference| ≤ outlier limit × reference, on exact decimals (always true with the filter off). */
    private boolean within(BigDecimal price, BigDecimal reference) {
        return outlierPct == null
                || price.subtract(reference).abs().multiply(HUNDRED).compareTo(outlierPct.multiply(reference)) <= 0;
    }

    /** The deployment's window: the {@code *} risk-limits record's volatility_window_seconds when positive. */
    private long windowMs() {
        RiskLimits defaults = limits.get(Keys.DEFAULT_LIMITS);
        if (defaults != null && defaults.volatilityWindowSeconds() != null && defaults.volatilityWindowSeconds() > 0) {
            return defaults.volatilityWindowSeconds() * 1000L;
        }
        return defaultWindowMs;
    }
}
