package io.etrms.streams.account;

import io.etrms.model.Position;

/**
 * A position as the last fill left it (store {@value AccountTopology#POSITIONS_STORE}, key
 * {@code account|exchange|symbol}), with the sequence number of its instrument's {@link Mark} at
 * that moment: a mark with a higher number came after the fill and re-marks the position.
 */
public record StoredPosition(Position position, long markSequence) {
}
