package io.etrms.model;

/**
 * Kafka keys of the topics (each topic's key is in docs/api/asyncapi.yaml). Account and exchange
 * ids never contain '|', symbols may contain ':' or '/', so the parts of a key split
 * unambiguously from the left.
 */
public final class Keys {

    public static final String SEPARATOR = "|";
    /** Key of the default record on {@code risk-limits}. */
    public static final String DEFAULT_LIMITS = "*";

    private Keys() {
    }

    public static String instrument(String exchange, String symbol) {
        return exchange + SEPARATOR + symbol;
    }

    public static String position(String account, String exchange, String symbol) {
        return account + SEPARATOR + exchange + SEPARATOR + symbol;
    }

    /** The account part of a position key. */
    public static String accountOf(String positionKey) {
        int i = positionKey.indexOf('|');
        return i < 0 ? positionKey : positionKey.substring(0, i);
    }
}
