package io.etrms.model;

/**
 * A position changed by a fill (key {@code account|exchange|symbol}, partitioned by account). The
 * position carries the instrument's mark at that moment ({@code current_price}, volatility, price
 * move, price time), which is the latest mark stage 1 has.
 */
public record PositionChange(Position position) implements AccountUpdate {
}
