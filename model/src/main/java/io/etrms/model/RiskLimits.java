package io.etrms.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * Circuit-breaker limits: topic {@code risk-limits} (compacted), key account or {@code *} for the
 * default of every account. A null field takes the default; a value of 0 or less switches that
 * condition off. Each field is merged on its own: the account's record, else the {@code *}
 * record, else the service configuration ({@code etrms.limits.*}). See docs/circuit-breakers.md.
 *
 * <p>Bounds, checked while the record is read (a record that breaks one does not parse, so the
 * topology keeps the key's previous limits and counts it): each limit is written as a decimal
 * within the bounds of every input decimal ({@link Validation#boundsProblem}: at most 18 decimal
 * places and 38 significant digits, magnitude below 1e15, so {@code 1e-400} is refused instead of
 * turning into 0, which would switch the condition off); the window is at most
 * {@link #MAX_WINDOW_SECONDS} (its ticks are held in memory), the other times at most
 * {@link #MAX_SECONDS}.
 *
 * @param maxDrawdownPct          halt when current_drawdown (percent) is above it
 * @param dailyLossLimit          halt when daily_pnl is below its negative (quote currency)
 * @param maxLeverage             reduce-only when total leverage is above it
 * @param maxGrossExposure        reduce-only when total_exposure is above it (quote currency)
 * @param maxPositionNotional     reduce-only the instrument when its notional is above it
 * @param volatilityMovePct       reduce-only the instrument when abs(price_move_pct) is above it
 * @param volatilityWindowSeconds the window of price_move_pct; one per deployment, so only the
 *                                {@code *} record's value is used (0 or less: the configured one)
 * @param stalePriceSeconds       alert when a held instrument has had no tick for longer (wall clock)
 * @param cooldownSeconds         least time between a breaker's trip and its automatic re-arm (0 or less: none)
 * @param warningPct              the warning level of every limit, percent of the limit (above 0, below 100;
 *                                0 or less: no warnings)
 * @param sessionStart            local time {@code HH:mm} at which the daily session (daily_pnl, daily loss) starts
 * @param sessionTimeZone         the time zone of {@code sessionStart}, e.g. {@code America/New_York}
 * @param lockUntilNextSession    a tripped daily loss keeps the account HALTED until the next session
 *                                starts, then re-arms by itself (false: it latches until a reset)
 * @param drawdownBasis           what max_drawdown's high-water mark is measured on: {@code equity} (live
 *                                equity, the default) or {@code closed} (closed-trade equity: transfers + realized PnL)
 * @param reconciliationTolerance reduce-only the instrument when our size differs from the exchange's
 *                                {@link PositionSnapshot} by more (units of the instrument)
 * @param reconciliationGraceSeconds how long (event time) a difference must last before it trips
 *                                (0 or less: at once)
 */
public record RiskLimits(
        @JsonDeserialize(using = BoundedDecimal.class) Double maxDrawdownPct,
        @JsonDeserialize(using = BoundedDecimal.class) Double dailyLossLimit,
        @JsonDeserialize(using = BoundedDecimal.class) Double maxLeverage,
        @JsonDeserialize(using = BoundedDecimal.class) Double maxGrossExposure,
        @JsonDeserialize(using = BoundedDecimal.class) Double maxPositionNotional,
        @JsonDeserialize(using = BoundedDecimal.class) Double volatilityMovePct,
        Long volatilityWindowSeconds,
        Long stalePriceSeconds,
        Long cooldownSeconds,
        @JsonDeserialize(using = BoundedDecimal.class) Double warningPct,
        String sessionStart,
        String sessionTimeZone,
        Boolean lockUntilNextSession,
        String drawdownBasis,
        @JsonDeserialize(using = BoundedDecimal.class) Double reconciliationTolerance,
        Long reconciliationGraceSeconds) {

    /** Longest volatility window: one day. */
    public static final long MAX_WINDOW_SECONDS = 24L * 3600;
    /** Longest stale-price time and cooldown: 365 days. */
    public static final long MAX_SECONDS = 365L * 24 * 3600;

    @com.fasterxml.jackson.annotation.JsonCreator
    public RiskLimits {
        limit("max_drawdown_pct", maxDrawdownPct);
        limit("daily_loss_limit", dailyLossLimit);
        limit("max_leverage", maxLeverage);
        limit("max_gross_exposure", maxGrossExposure);
        limit("max_position_notional", maxPositionNotional);
        limit("volatility_move_pct", volatilityMovePct);
        seconds("volatility_window_seconds", volatilityWindowSeconds, MAX_WINDOW_SECONDS);
        seconds("stale_price_seconds", stalePriceSeconds, MAX_SECONDS);
        seconds("cooldown_seconds", cooldownSeconds, MAX_SECONDS);
        limit("reconciliation_tolerance", reconciliationTolerance);
        seconds("reconciliation_grace_seconds", reconciliationGraceSeconds, MAX_SECONDS);
        if (warningPct != null && warningPct >= 100) {
            throw new IllegalArgumentException("warning_pct must be below 100 (a warning comes before the breach), was " + warningPct);
        }
        if (drawdownBasis != null && !"equity".equals(drawdownBasis) && !"closed".equals(drawdownBasis)) {
            throw new IllegalArgumentException("drawdown_basis must be equity or closed, was '" + Validation.echo(drawdownBasis) + "'");
        }
        if (sessionStart != null) {
            try {
                java.time.LocalTime.parse(sessionStart, java.time.format.DateTimeFormatter.ofPattern("HH:mm"));
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException("session_start must be HH:mm (00:00 to 23:59), was '" + Validation.echo(sessionStart) + "'");
            }
        }
        if (sessionTimeZone != null) {
            try {
                java.time.ZoneId.of(sessionTimeZone);
            } catch (java.time.DateTimeException e) {
                throw new IllegalArgumentException("session_time_zone must be a time-zone id such as America/New_York, was '"
                        + Validation.echo(sessionTimeZone) + "'");
            }
        }
    }

    /** The nine limits of the first version, without warning level, session rules, drawdown basis and reconciliation (they take the next layer). */
    public RiskLimits(Double maxDrawdownPct, Double dailyLossLimit, Double maxLeverage, Double maxGrossExposure, Double maxPositionNotional,
                      Double volatilityMovePct, Long volatilityWindowSeconds, Long stalePriceSeconds, Long cooldownSeconds) {
        this(maxDrawdownPct, dailyLossLimit, maxLeverage, maxGrossExposure, maxPositionNotional, volatilityMovePct, volatilityWindowSeconds,
                stalePriceSeconds, cooldownSeconds, null, null, null, null, null, null, null);
    }

    private static void limit(String field, Double value) {
        if (value != null && !(Math.abs(value) < 1e15)) {
            throw new IllegalArgumentException(field + " out of range (magnitude below 1e15): " + value);
        }
    }

    private static void seconds(String field, Long value, long max) {
        if (value != null && value > max) {
            throw new IllegalArgumentException(field + " out of range (at most " + max + "): " + value);
        }
    }

    /**
     * Reads a limit as the decimal it is written as, checks the bounds of every input decimal
     * ({@link Validation#boundsProblem}), then converts it to a double. A JSON number or a numeric
     * string of at most 64 characters.
     */
    static final class BoundedDecimal extends StdDeserializer<Double> {

        private static final long serialVersionUID = 1L;

        BoundedDecimal() {
            super(Double.class);
        }

        @Override
        public Double deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            BigDecimal value;
            switch (p.currentToken()) {
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> value = p.getDecimalValue();
                case VALUE_STRING -> {
                    String text = p.getText().trim();
                    try {
                        value = text.length() > 64 ? null : new BigDecimal(text);
                    } catch (NumberFormatException e) {
                        value = null;
                    }
                    if (value == null) {
                        throw InvalidFormatException.from(p, p.currentName() + ": '" + Validation.echo(text) + "' is not a number",
                                Validation.echo(text), Double.class);
                    }
                }
                default -> {
                    return (Double) ctxt.handleUnexpectedToken(Double.class, p);
                }
            }
            String problem = Validation.boundsProblem(value);
            if (problem != null) {
                throw InvalidFormatException.from(p, p.currentName() + " " + problem, Validation.echo(value), Double.class);
            }
            return value.doubleValue();
        }
    }
}
