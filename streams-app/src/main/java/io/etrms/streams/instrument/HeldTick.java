package io.etrms.streams.instrument;

import java.math.BigDecimal;

/**
 * A tick further from the current price than the outlier limit, waiting for the next tick to
 * confirm it (store {@value InstrumentTopology#HELD_TICKS_STORE}, key {@code exchange|symbol}).
 *
 * @param offset its offset on {@code prices} (to dead-letter it if it is not confirmed)
 * @param heldAt wall-clock time (epoch ms) at which it arrived: if no tick follows within the hold
 *               time it is used as it is
 */
public record HeldTick(BigDecimal price, long timestamp, String topic, Integer partition, Long offset, long heldAt) {
}
