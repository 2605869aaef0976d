package io.etrms.model;

/**
 * What stage 1 (partitioned by instrument) sends stage 2 (partitioned by account) on the internal
 * topic {@code account-updates}: a {@link PositionChange} when a fill changes a position, and an
 * {@link InstrumentMark} when an instrument's price moves, sent once to each partition whose
 * accounts hold the instrument. Binary ({@link InternalCodecs#ACCOUNT_UPDATE}); not a public contract.
 */
public sealed interface AccountUpdate permits PositionChange, InstrumentMark {
}
