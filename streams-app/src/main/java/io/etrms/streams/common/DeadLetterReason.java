package io.etrms.streams.common;

/** Why a record went to {@code dead-letters}: the {@code reason} label of the dead-letter count. */
public enum DeadLetterReason {
    /** The value does not deserialize (bad JSON, a missing required value, null). */
    UNPARSABLE("unparsable"),
    /** It parses but breaks a rule of its topic (a price of 0, an unknown side, a timestamp out of range). */
    INVALID("invalid"),
    /** Its key is not the key its value implies. */
    KEY_MISMATCH("key_mismatch"),
    /** A price tick far from its neighbours that the next tick did not confirm. */
    OUTLIER("outlier"),
    /** Processing it failed unexpectedly (a bug): the record is set aside and the stage goes on. */
    PROCESSING_ERROR("processing_error"),
    /** An output it produced is larger than a record may be. */
    TOO_LARGE("too_large");

    private final String label;

    DeadLetterReason(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
