package io.etrms.model;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects the rule violations of one input record. Records call it from their own
 * {@code problems()} so the rules live next to the record they guard, and every way a record
 * comes in (HTTP ingest, file replay, a producer writing straight to Kafka and read by the
 * topology) is judged by the same rules.
 *
 * <p>Every decimal is checked against {@link #MAX_SCALE}, {@link #MAX_PRECISION} and
 * {@link #MAX_INTEGER_DIGITS} before anything else looks at it, with int comparisons only
 * ({@link BigDecimal#scale()}, {@link BigDecimal#precision()}): a 14-byte JSON number such as
 * {@code -1e-999999999} is a valid {@code BigDecimal} whose plain form has a billion digits, so no
 * arithmetic, {@code toPlainString()} or {@code stripTrailingZeros()} may touch a value before it
 * passed. Values quoted in a message are cut to {@link #ECHO_LENGTH} characters.
 */
public final class Validation {

    /** 2000-01-01T00:00:00Z: anything earlier is a unit mistake (seconds for millis) or garbage. */
    public static final long MIN_TIMESTAMP_MS = 946_684_800_000L;
    /** How far past the wall clock an event time may lie before it counts as absurd. */
    public static final long MAX_FUTURE_MS = 24L * 3600 * 1000;

    /** Decimal places of an input decimal, as written ({@code 0.10} has 2). */
    public static final int MAX_SCALE = 18;
    /** Significant digits of an input decimal, as written. */
    public static final int MAX_PRECISION = 38;
    /** Digits before the decimal point: every input decimal is below 10^15 in magnitude. */
    public static final int MAX_INTEGER_DIGITS = 15;

    /** Longest id: fill_id, transfer_id, account, exchange, requested_by. */
    public static final int MAX_ID_LENGTH = 128;
    /** Longest symbol. */
    public static final int MAX_SYMBOL_LENGTH = 64;
    /** Longest free text (a risk-control reason). */
    public static final int MAX_REASON_LENGTH = 500;
    /** Longest quotation of a rejected value in a message. */
    public static final int ECHO_LENGTH = 40;

    private final List<String> problems = new ArrayList<>();

    public Validation required(String field, Object value) {
        if (value == null) {
            problems.add("missing field " + field);
        }
        return this;
    }

    /** Required text of at most {@link #MAX_ID_LENGTH} characters, not blank, no control characters. */
    public Validation text(String field, String value) {
        return text(field, value, MAX_ID_LENGTH);
    }

    /** Required text of at most {@code maxLength} characters, not blank, no control characters. */
    public Validation text(String field, String value, int maxLength) {
        if (value == null) {
            problems.add("missing field " + field);
        } else {
            optionalText(field, value, maxLength);
        }
        return this;
    }

    /** Text that may be absent (null); when present, the rules of {@link #text(String, String, int)}. */
    public Validation optionalText(String field, String value, int maxLength) {
        if (value == null) {
            return this;
        }
        if (value.length() > maxLength) {
            problems.add(field + " longer than " + maxLength + " characters (" + value.length() + ")");
        } else if (value.isBlank()) {
            problems.add(field + " must not be blank");
        } else if (value.chars().anyMatch(Character::isISOControl)) {
            problems.add(field + " must not contain control characters");
        }
        return this;
    }

    /** An id used inside composite keys: must not contain the key separator '|'. */
    public Validation id(String field, String value) {
        text(field, value);
        if (value != null && value.length() <= MAX_ID_LENGTH && value.indexOf('|') >= 0) {
            problems.add(field + " must not contain '|'");
        }
        return this;
    }

    public Validation positive(String field, BigDecimal value) {
        if (value == null) {
            problems.add("missing field " + field);
        } else if (bounded(field, value) && value.signum() <= 0) {
            problems.add(field + " must be > 0, was " + plain(value));
        }
        return this;
    }

    public Validation nonNegative(String field, BigDecimal value) {
        if (value != null && bounded(field, value) && value.signum() < 0) {
            problems.add(field + " must be >= 0, was " + plain(value));
        }
        return this;
    }

    /** A required decimal of any sign (0 included), within the bounds. */
    public Validation decimal(String field, BigDecimal value) {
        if (value == null) {
            problems.add("missing field " + field);
        } else {
            bounded(field, value);
        }
        return this;
    }

    /** A required decimal other than 0, within the bounds. */
    public Validation nonZero(String field, BigDecimal value) {
        if (value == null) {
            problems.add("missing field " + field);
        } else if (bounded(field, value) && value.signum() == 0) {
            problems.add(field + " must not be 0");
        }
        return this;
    }

    /**
     * Whether {@code value} is within the bounds of every input decimal, recording why not. Looks at
     * {@code scale()} and {@code precision()} only, so it costs the same for {@code 1e-999999999} as
     * for {@code 1}.
     */
    private boolean bounded(String field, BigDecimal value) {
        String problem = boundsProblem(value);
        if (problem != null) {
            problems.add(field + " " + problem);
            return false;
        }
        return true;
    }

    /**
     * Why {@code value} breaks the bounds of an input decimal, or null when it does not: at most
     * {@link #MAX_SCALE} decimal places, {@link #MAX_PRECISION} significant digits and
     * {@link #MAX_INTEGER_DIGITS} digits before the point. Only int comparisons.
     */
    public static String boundsProblem(BigDecimal value) {
        if (value.scale() > MAX_SCALE) {
            return "has more than " + MAX_SCALE + " decimal places: " + echo(value);
        }
        if (value.precision() > MAX_PRECISION) {
            return "has more than " + MAX_PRECISION + " significant digits: " + echo(value);
        }
        if (value.signum() != 0 && (long) value.precision() - value.scale() > MAX_INTEGER_DIGITS) {
            return "out of range (magnitude below 1e" + MAX_INTEGER_DIGITS + "): " + echo(value);
        }
        return null;
    }

    /** The plain form of a value that passed {@link #boundsProblem}, so it has at most 33 digits. */
    private static String plain(BigDecimal bounded) {
        return bounded.signum() == 0 ? "0" : bounded.toPlainString();
    }

    public Validation timestamp(String field, Long value) {
        if (value == null) {
            problems.add("missing field " + field);
        } else if (value < MIN_TIMESTAMP_MS || value > System.currentTimeMillis() + MAX_FUTURE_MS) {
            problems.add(field + " out of range (epoch millis between 2000-01-01 and now + 1 day): " + value);
        }
        return this;
    }

    public Validation check(boolean ok, String problem) {
        if (!ok) {
            problems.add(problem);
        }
        return this;
    }

    public List<String> problems() {
        return List.copyOf(problems);
    }

    /**
     * {@code value} as a message may quote it: its {@code toString()} (for a decimal the scientific
     * form, never the plain one) cut to {@link #ECHO_LENGTH} characters, with the full length said.
     */
    public static String echo(Object value) {
        if (value == null) {
            return "null";
        }
        String text = value.toString();
        if (text.length() <= ECHO_LENGTH) {
            return text;
        }
        return text.substring(0, ECHO_LENGTH) + "… (" + text.length() + " characters)";
    }
}
