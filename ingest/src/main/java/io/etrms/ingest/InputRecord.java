package io.etrms.ingest;

import io.etrms.model.Fill;
import io.etrms.model.Keys;
import io.etrms.model.PositionSnapshot;
import io.etrms.model.PriceTick;
import io.etrms.model.Transfer;
import java.util.List;
import java.util.Objects;

/**
 * One input record bound for Kafka with its kind, so the simulator, the file replay and the HTTP
 * endpoint share one key rule (each topic's key is in docs/api/asyncapi.yaml) and one validation
 * (the record's own {@code problems()}).
 *
 * @param kind  which input topic the record belongs to
 * @param value a {@link Fill}, {@link PriceTick}, {@link Transfer} or {@link PositionSnapshot} matching {@code kind}
 */
public record InputRecord(InputKind kind, Object value) {

    public InputRecord {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
        if (!kind.type().isInstance(value)) {
            throw new IllegalArgumentException(kind + " needs a " + kind.type().getSimpleName() + ", got " + value.getClass().getSimpleName());
        }
    }

    public static InputRecord of(Fill fill) {
        return new InputRecord(InputKind.FILLS, fill);
    }

    public static InputRecord of(PriceTick tick) {
        return new InputRecord(InputKind.PRICES, tick);
    }

    public static InputRecord of(Transfer transfer) {
        return new InputRecord(InputKind.TRANSFERS, transfer);
    }

    public static InputRecord of(PositionSnapshot snapshot) {
        return new InputRecord(InputKind.POSITION_SNAPSHOTS, snapshot);
    }

    /** The Kafka key: {@code exchange|symbol} for fills and prices, the account for transfers and position snapshots. */
    public String key() {
        return keyOf(value);
    }

    /** Event time in epoch milliseconds, or null when the record has none. */
    public Long timestamp() {
        if (value instanceof Fill f) {
            return f.timestamp();
        }
        if (value instanceof PriceTick p) {
            return p.timestamp();
        }
        if (value instanceof PositionSnapshot s) {
            return s.timestamp();
        }
        return ((Transfer) value).timestamp();
    }

    /** Every input rule (docs/design-decisions.md, "Inputs") the record breaks; empty when valid. */
    public List<String> problems() {
        if (value instanceof Fill f) {
            return f.problems();
        }
        if (value instanceof PriceTick p) {
            return p.problems();
        }
        if (value instanceof PositionSnapshot s) {
            return s.problems();
        }
        return ((Transfer) value).problems();
    }

    /** The record's key on its topic (docs/api/asyncapi.yaml), or null when the fields it needs are missing. */
    static String keyOf(Object value) {
        if (value instanceof Fill f) {
            return f.exchange() == null || f.symbol() == null ? null : Keys.instrument(f.exchange(), f.symbol());
        }
        if (value instanceof PriceTick p) {
            return p.exchange() == null || p.symbol() == null ? null : Keys.instrument(p.exchange(), p.symbol());
        }
        if (value instanceof Transfer t) {
            return t.account();
        }
        if (value instanceof PositionSnapshot s) {
            return s.account();
        }
        throw new IllegalArgumentException("not an input record: " + value.getClass().getName());
    }
}
