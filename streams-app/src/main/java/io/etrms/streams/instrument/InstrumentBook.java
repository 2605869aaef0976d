package io.etrms.streams.instrument;

import io.etrms.model.Keys;
import io.etrms.model.Position;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/** The stores of the instrument stage as the fill and price processors use them. */
final class InstrumentBook {

    private final KeyValueStore<String, Position> positions;
    private final KeyValueStore<String, InstrumentState> instruments;

    InstrumentBook(ProcessorContext<?, ?> context) {
        this.positions = context.getStateStore(InstrumentTopology.POSITIONS_STORE);
        this.instruments = context.getStateStore(InstrumentTopology.INSTRUMENT_STORE);
    }

    InstrumentState instrument(String instrument) {
        InstrumentState state = instruments.get(instrument);
        return state == null ? InstrumentState.EMPTY : state;
    }

    void putInstrument(String instrument, InstrumentState state) {
        instruments.put(instrument, state);
    }

    Position position(String instrument, String account) {
        return positions.get(storeKey(instrument, account));
    }

    void putPosition(String instrument, Position position) {
        positions.put(storeKey(instrument, position.account()), position);
    }

    /**
     * Every open position in the instrument. The store key is {@code exchange|symbol|account}; a
     * symbol may itself contain '|', but an account never does, so a key whose remainder after the
     * prefix contains '|' belongs to a longer symbol and is skipped.
     */
    List<Position> openPositions(String instrument) {
        String prefix = instrument + Keys.SEPARATOR;
        List<Position> open = new ArrayList<>();
        try (KeyValueIterator<String, Position> it = positions.prefixScan(prefix, new StringSerializer())) {
            while (it.hasNext()) {
                KeyValue<String, Position> entry = it.next();
                if (entry.key.indexOf('|', prefix.length()) < 0 && !entry.value.isFlat()) {
                    open.add(entry.value);
                }
            }
        }
        return open;
    }

    static String storeKey(String instrument, String account) {
        return instrument + Keys.SEPARATOR + account;
    }

    static BigDecimal markPrice(InstrumentState state) {
        return state.price();
    }
}
