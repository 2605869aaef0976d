package io.etrms.model;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects the rule violations of one input record. Records call it from their own
 * {@code problems()} so the rules live next to the record they guard.
 */
public final class Validation {

    /** 2000-01-01T00:00:00Z: anything earlier is a unit mistake (seconds for millis) or garbage. */
    public static final long MIN_TIMESTAMP_MS = 946_684_800_000L;
    /** How far past the wall clock an event time may lie before it counts as absurd. */
    public static final long MAX_FUTURE_MS = 24L * 3600 * 1000;

    private final List<String> problems = new ArrayList<>();

    public Validation required(String field, Object value) {
        if (value == null) {
            problems.add("missing field " + field);
        }
        return this;
    }

    public Validation text(String field, String value) {
        if (value == null) {
            problems.add("missing field " + field);
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
        if (value != null && value.indexOf('|') >= 0) {
            problems.add(field + " must not contain '|'");
        }
        return this;
    }

    public Validation positive(String field, BigDecimal value) {
        if (value == null) {
            problems.add("missing field " + field);
        } else if (value.signum() <= 0) {
            problems.add(field + " must be > 0, was " + value.toPlainString());
        }
        return this;
    }

    public Validation nonNegative(String field, BigDecimal value) {
        if (value != null && value.signum() < 0) {
            problems.add(field + " must be >= 0, was " + value.toPlainString());
        }
        return this;
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
}
