package io.etrms.streams.instrument;

import java.math.BigDecimal;

/**
 * One tick inside an instrument's volatility window (store {@value InstrumentTopology#TICKS_STORE}).
 *
 * @param logReturn ln(price / previous tick's price); null for an instrument's first tick
 */
public record TickEntry(BigDecimal price, long timestamp, Double logReturn) {
}
