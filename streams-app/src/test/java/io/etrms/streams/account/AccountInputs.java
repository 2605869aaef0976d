package io.etrms.streams.account;

import io.etrms.model.AccountUpdate;
import io.etrms.model.InstrumentMark;
import io.etrms.model.Keys;
import io.etrms.model.Position;
import io.etrms.model.PositionChange;
import io.etrms.model.Topics;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * Stage 1's output, as a test of stage 2 states it: "this account holds this position, marked at
 * this price, after a record at this time". A change of size, entry or realized PnL is what a fill
 * does: a {@link PositionChange}. A change of the price alone is what a tick does: an
 * {@link InstrumentMark} of the instrument (which re-marks every account holding it, as a tick does).
 */
final class AccountInputs {

    private final TestInputTopic<String, AccountUpdate> updates;
    private final Map<String, Position> last = new HashMap<>();
    /** Per instrument, the latest mark sent (as a mark, or carried by a position change). */
    private final Map<String, InstrumentMark> marks = new HashMap<>();

    AccountInputs(TopologyTestDriver driver, Topics topics) {
        this.updates = driver.createInputTopic(topics.accountUpdates.name(), new StringSerializer(), topics.accountUpdates.valueSerde().serializer());
    }

    /** The position after a record at {@code ts}: unrealized = (price − entry) × size, notional = |size| × price. */
    void position(String account, String exchange, String symbol, String size, String entry, String price, String realized,
                  Double volatility, Double move, long ts) {
        BigDecimal q = new BigDecimal(size);
        BigDecimal p = new BigDecimal(price);
        BigDecimal e = new BigDecimal(entry);
        // A fill carries the instrument's latest mark, as stage 1 sends it; at another price, a new one.
        InstrumentMark current = marks.get(Keys.instrument(exchange, symbol));
        long priceTime = current != null && current.price().compareTo(p) == 0 && java.util.Objects.equals(current.volatility(), volatility)
                && java.util.Objects.equals(current.priceMovePct(), move) ? current.priceTimestamp() : ts;
        Position position = new Position(account, exchange, symbol, q, e, p, q.signum() == 0 ? BigDecimal.ZERO : p.subtract(e).multiply(q),
                new BigDecimal(realized), q.abs().multiply(p), BigDecimal.ZERO, volatility, move, priceTime, ts);
        Position before = last.put(position.key(), position);
        if (before != null && before.size().compareTo(q) == 0 && before.entryPrice().compareTo(e) == 0
                && before.realizedPnl().compareTo(position.realizedPnl()) == 0) {
            mark(exchange, symbol, price, volatility, move, ts);
        } else {
            fill(position);
        }
    }

    /** A position change exactly as given. */
    void fill(Position position) {
        last.put(position.key(), position);
        marks.put(Keys.instrument(position.exchange(), position.symbol()), new InstrumentMark(position.exchange(), position.symbol(),
                position.currentPrice(), position.priceTimestamp(), position.volatility(), position.priceMovePct(), position.timestamp(), Set.of(0)));
        updates.pipeInput(position.key(), new PositionChange(position), position.timestamp());
    }

    /** A tick of the instrument at {@code ts}. */
    void mark(String exchange, String symbol, String price, Double volatility, Double move, long ts) {
        InstrumentMark mark = new InstrumentMark(exchange, symbol, new BigDecimal(price), ts, volatility, move, ts, Set.of(0));
        marks.put(mark.instrumentKey(), mark);
        updates.pipeInput(mark.instrumentKey(), mark, ts);
    }
}
