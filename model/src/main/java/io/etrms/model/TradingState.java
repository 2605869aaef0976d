package io.etrms.model;

import java.util.List;

/**
 * The trading states of an account (and of one instrument of an account), from least to most
 * strict: {@code ACTIVE}, {@code REDUCE_ONLY} (only orders that shrink a position),
 * {@code HALTED} (no new orders). Where several apply, the strictest wins.
 */
public final class TradingState {

    public static final String ACTIVE = "ACTIVE";
    public static final String REDUCE_ONLY = "REDUCE_ONLY";
    public static final String HALTED = "HALTED";

    /** Every state, least strict first. */
    public static final List<String> ALL = List.of(ACTIVE, REDUCE_ONLY, HALTED);

    private TradingState() {
    }

    /** 0 for ACTIVE, 1 for REDUCE_ONLY, 2 for HALTED; -1 for anything else. */
    public static int strictness(String state) {
        return ALL.indexOf(state);
    }

    /** The stricter of two states (null counts as ACTIVE). */
    public static String strictest(String a, String b) {
        String x = a == null ? ACTIVE : a;
        String y = b == null ? ACTIVE : b;
        return strictness(y) > strictness(x) ? y : x;
    }

    public static boolean isValid(String state) {
        return state != null && ALL.contains(state);
    }
}
