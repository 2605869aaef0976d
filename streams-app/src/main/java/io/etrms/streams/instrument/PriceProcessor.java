package io.etrms.streams.instrument;

import io.etrms.model.AccountUpdate;
import io.etrms.model.DeadLetter;
import io.etrms.model.Decimals;
import io.etrms.model.InstrumentMark;
import io.etrms.model.Json;
import io.etrms.model.Keys;
import io.etrms.model.PriceTick;
import io.etrms.model.RiskLimits;
import io.etrms.streams.common.DeadLetterReason;
import io.etrms.streams.common.DeadLetters;
import io.etrms.streams.metrics.StageMetrics;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Moves an instrument's current price and volatility window on each in-order tick and sends the
 * new {@link InstrumentMark} to the partitions holding it: one record per such partition. A tick
 * older than the instrument's latest is dropped (it is neither the current price nor part of the
 * volatility window) and counted ({@code late-ticks-total}).
 *
 * <p>One bad tick must not trip a breaker: a tick further than the outlier limit from the last
 * tick (when that one is inside the volatility window) is held back ({@link HeldTick}). If the next
 * tick lies within the limit of it, the market really moved: both are applied, in order. Otherwise
 * it is discarded to dead-letters and counted ({@code outlier-ticks-total}), and the next tick is
 * judged on its own. A held tick that no tick follows within the hold time (wall clock) is used as
 * it is: a quiet instrument's genuine jump must not leave its price stale.
 */
final class PriceProcessor implements Processor<String, PriceTick, String, Object> {

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private final InstrumentSettings settings;
    private final StageMetrics metrics;
    private final BigDecimal outlierPct;
    private final long holdMs;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, InstrumentState> instruments;
    private KeyValueStore<String, HeldTick> held;
    private KeyValueStore<String, RiskLimits> limits;
    private VolatilityWindow window;
    private DeadLetters deadLetters;
    private Sensor lateTicks;
    private Sensor outlierTicks;

    PriceProcessor(InstrumentSettings settings, StageMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
        this.outlierPct = settings.outlierPct() > 0 ? Decimals.normalize(BigDecimal.valueOf(settings.outlierPct())) : null;
        this.holdMs = settings.outlierHold().toMillis();
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.instruments = context.getStateStore(InstrumentTopology.INSTRUMENT_STORE);
        this.held = context.getStateStore(InstrumentTopology.HELD_TICKS_STORE);
        this.limits = context.getStateStore(InstrumentTopology.LIMITS_STORE);
        this.window = new VolatilityWindow(context.getStateStore(InstrumentTopology.TICKS_STORE));
        this.deadLetters = new DeadLetters(context, InstrumentTopology.DEAD_LETTERS_SINK, metrics.deadLetters());
        this.lateTicks = context.metrics().addRateTotalSensor("etrms", "prices", "late-ticks", Sensor.RecordingLevel.INFO);
        this.outlierTicks = context.metrics().addRateTotalSensor("etrms", "prices", "outlier-ticks", Sensor.RecordingLevel.INFO);
        if (outlierPct != null) {
            context.schedule(Duration.ofMillis(Math.max(1, Math.min(1000, holdMs))), PunctuationType.WALL_CLOCK_TIME, this::releaseHeld);
        }
    }

    @Override
    public void process(Record<String, PriceTick> record) {
        PriceTick tick = record.value();
        if (tick == null) {
            deadLetters.reject(record, null, DeadLetterReason.UNPARSABLE, "null value");
            return;
        }
        List<String> problems = tick.problems();
        if (!problems.isEmpty()) {
            deadLetters.reject(record, tick, DeadLetterReason.INVALID, String.join("; ", problems));
            return;
        }
        String instrument = tick.instrumentKey();
        if (record.key() != null && !record.key().equals(instrument)) {
            deadLetters.reject(record, tick, DeadLetterReason.KEY_MISMATCH,
                    "key '" + record.key() + "' does not match exchange|symbol '" + instrument + "'");
            return;
        }
        InstrumentState stored = instruments.get(instrument);
        InstrumentState state = stored == null ? InstrumentState.EMPTY : stored;
        HeldTick suspect = state.holding() ? held.get(instrument) : null;
        long latest = suspect == null || !state.hasTick() ? (state.hasTick() ? state.priceTimestamp() : Long.MIN_VALUE)
                : Math.max(state.priceTimestamp(), suspect.timestamp());
        if (state.hasTick() && tick.timestamp() < latest) {
            lateTicks.record();
            instruments.put(instrument, state.withLateTick());
            return;
        }
        long windowMs = windowMs();
        if (suspect != null) {
            held.put(instrument, null);
            state = state.withHolding(false);
            if (within(tick.price(), suspect.price())) {
                state = apply(instrument, state, tick.exchange(), tick.symbol(), suspect.price(), suspect.timestamp(), windowMs);
                apply(instrument, state, tick.exchange(), tick.symbol(), tick.price(), tick.timestamp(), windowMs);
                return;
            }
            discard(instrument, state, tick, suspect);
            state = state.withOutlierTick();
        }
        if (outlierPct != null && state.hasTick() && tick.timestamp() - state.priceTimestamp() < windowMs
                && !within(tick.price(), state.price())) {
            RecordMetadata meta = context.recordMetadata().orElse(null);
            held.put(instrument, new HeldTick(tick.price(), tick.timestamp(), meta == null ? null : meta.topic(),
                    meta == null ? null : meta.partition(), meta == null ? null : meta.offset(), context.currentSystemTimeMs()));
            instruments.put(instrument, state.withHolding(true));
            return;
        }
        apply(instrument, state, tick.exchange(), tick.symbol(), tick.price(), tick.timestamp(), windowMs);
    }

    /** Uses every held tick that has waited the hold time without a tick after it. */
    private void releaseHeld(long wallNow) {
        List<KeyValue<String, HeldTick>> due = new ArrayList<>();
        try (KeyValueIterator<String, HeldTick> it = held.all()) {
            it.forEachRemaining(kv -> {
                if (wallNow - kv.value.heldAt() >= holdMs) {
                    due.add(kv);
                }
            });
        }
        for (KeyValue<String, HeldTick> kv : due) {
            held.put(kv.key, null);
            int split = kv.key.indexOf(Keys.SEPARATOR);
            InstrumentState state = instruments.get(kv.key);
            apply(kv.key, (state == null ? InstrumentState.EMPTY : state).withHolding(false), kv.key.substring(0, split),
                    kv.key.substring(split + 1), kv.value.price(), kv.value.timestamp(), windowMs());
        }
    }

    /** Adds the tick to the window, makes it the current price and sends the mark to the partitions holding the instrument. */
    private InstrumentState apply(String instrument, InstrumentState state, String exchange, String symbol, BigDecimal price,
                                  long timestamp, long windowMs) {
        InstrumentState next = window.add(instrument, state, price, timestamp, windowMs);
        instruments.put(instrument, next);
        Set<Integer> partitions = next.holders().holding(-1);
        if (!partitions.isEmpty()) {
            InstrumentMark mark = new InstrumentMark(exchange, symbol, price, timestamp, next.volatility(), next.priceMovePct(), timestamp,
                    partitions);
            long now = context.currentSystemTimeMs();
            context.forward(new Record<String, AccountUpdate>(instrument, mark, now), InstrumentTopology.ACCOUNT_UPDATES_SINK);
            metrics.published(timestamp, now);
        }
        return next;
    }

    private void discard(String instrument, InstrumentState state, PriceTick next, HeldTick suspect) {
        outlierTicks.record();
        String reason = "price outlier: " + suspect.price().toPlainString() + " is more than " + outlierPct.toPlainString()
                + " % from the last price " + state.price().toPlainString() + " and the next tick " + next.price().toPlainString()
                + " did not confirm it";
        PriceTick held = new PriceTick(next.exchange(), next.symbol(), suspect.price(), suspect.timestamp());
        deadLetters.send(instrument, new DeadLetter(suspect.topic(), suspect.partition(), suspect.offset(), reason, Json.write(held),
                suspect.timestamp()), DeadLetterReason.OUTLIER);
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
        return settings.volatilityWindow().toMillis();
    }
}
