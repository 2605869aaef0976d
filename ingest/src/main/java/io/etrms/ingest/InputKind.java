package io.etrms.ingest;

import io.etrms.model.Fill;
import io.etrms.model.PositionSnapshot;
import io.etrms.model.PriceTick;
import io.etrms.model.Topic;
import io.etrms.model.Topics;
import io.etrms.model.Transfer;
import java.util.Locale;

/**
 * The input record types ingest accepts, each with its topic, record class and the name
 * users give it on the command line, in files and in HTTP paths ({@code fills}, {@code prices},
 * {@code transfers}, {@code position-snapshots}).
 */
public enum InputKind {

    FILLS("fills", Fill.class),
    PRICES("prices", PriceTick.class),
    TRANSFERS("transfers", Transfer.class),
    POSITION_SNAPSHOTS("position-snapshots", PositionSnapshot.class);

    private final String label;
    private final Class<?> type;

    InputKind(String label, Class<?> type) {
        this.label = label;
        this.type = type;
    }

    /** The lower-case name used in paths, files and flags. */
    public String label() {
        return label;
    }

    public Class<?> type() {
        return type;
    }

    public Topic<?> topic(Topics topics) {
        return switch (this) {
            case FILLS -> topics.fills;
            case PRICES -> topics.prices;
            case TRANSFERS -> topics.transfers;
            case POSITION_SNAPSHOTS -> topics.positionSnapshots;
        };
    }

    /** {@code fills}, {@code fill}, {@code prices}, {@code price}, {@code transfers}, {@code transfer}, {@code position-snapshots}, {@code position-snapshot}, any case. */
    public static InputKind fromLabel(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (InputKind kind : values()) {
            if (kind.label.equals(t) || kind.label.equals(t + "s")) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown record type '" + text + "' (fills, prices, transfers or position-snapshots)");
    }

    @Override
    public String toString() {
        return label;
    }
}
