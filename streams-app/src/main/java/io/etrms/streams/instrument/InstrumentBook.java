package io.etrms.streams.instrument;

import io.etrms.model.Keys;
import io.etrms.model.Position;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The stores of the instrument stage as the fill and price handlers of one task use them, with the
 * task's instruments and positions also held as objects so that a tick costs no store read and no
 * JSON parse. The stores stay the truth: this book is created empty at every (re)initialisation of
 * the task and loads an instrument from the stores on first use.
 *
 * <p>What the stores hold: the instrument state after every tick and fill; a position after every
 * fill. A tick's re-mark of a position is not written: it is a function of the position as of its
 * last fill and the instrument's latest tick, both stored, and the next tick replaces every field
 * it sets. So a position read back after a restart carries the mark of its last fill until the
 * next tick, which is the only time it is used: a fill re-marks it anyway.
 */
final class InstrumentBook {

    private final KeyValueStore<String, Position> positions;
    private final KeyValueStore<String, InstrumentState> instruments;
    private final Map<String, InstrumentState> instrumentCache = new HashMap<>();
    /** instrument → account → latest position (sorted by account, as the store's prefix scan is). */
    private final Map<String, TreeMap<String, Position>> positionCache = new HashMap<>();

    InstrumentBook(ProcessorContext<?, ?> context) {
        this.positions = context.getStateStore(InstrumentTopology.POSITIONS_STORE);
        this.instruments = context.getStateStore(InstrumentTopology.INSTRUMENT_STORE);
    }

    InstrumentState instrument(String instrument) {
        return instrumentCache.computeIfAbsent(instrument, i -> {
            InstrumentState stored = instruments.get(i);
            return stored == null ? InstrumentState.EMPTY : stored;
        });
    }

    void putInstrument(String instrument, InstrumentState state) {
        instruments.put(instrument, state);
        instrumentCache.put(instrument, state);
    }

    Position position(String instrument, String account) {
        return positionsOf(instrument).get(account);
    }

    /** Stores a position changed by a fill. */
    void putPosition(String instrument, Position position) {
        positions.put(storeKey(instrument, position.account()), position);
        positionsOf(instrument).put(position.account(), position);
    }

    /** Keeps a position re-marked by a tick (not stored: see the class comment). */
    void markPosition(String instrument, Position position) {
        positionsOf(instrument).put(position.account(), position);
    }

    /** Every open position in the instrument, by account. */
    List<Position> openPositions(String instrument) {
        List<Position> open = new ArrayList<>();
        for (Position p : positionsOf(instrument).values()) {
            if (!p.isFlat()) {
                open.add(p);
            }
        }
        return open;
    }

    /**
     * The instrument's positions, loaded from the store on first use. The store key is
     * {@code exchange|symbol|account}; a symbol may itself contain '|', but an account never does,
     * so a key whose remainder after the prefix contains '|' belongs to a longer symbol and is skipped.
     */
    private TreeMap<String, Position> positionsOf(String instrument) {
        TreeMap<String, Position> cached = positionCache.get(instrument);
        if (cached != null) {
            return cached;
        }
        String prefix = instrument + Keys.SEPARATOR;
        TreeMap<String, Position> loaded = new TreeMap<>();
        try (KeyValueIterator<String, Position> it = positions.prefixScan(prefix, new StringSerializer())) {
            while (it.hasNext()) {
                KeyValue<String, Position> entry = it.next();
                if (entry.key.indexOf('|', prefix.length()) < 0) {
                    loaded.put(entry.value.account(), entry.value);
                }
            }
        }
        positionCache.put(instrument, loaded);
        return loaded;
    }

    static String storeKey(String instrument, String account) {
        return instrument + Keys.SEPARATOR + account;
    }
}
