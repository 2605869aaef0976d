package io.etrms.streams.breakers;

import io.etrms.model.Alert;
import io.etrms.model.TradingState;

/**
 * The breaker conditions of docs/circuit-breakers.md ("The conditions", "Groups"), in the order
 * they are evaluated (the strictest actions first, so that one record's first trip is the one that
 * publishes the command).
 */
public enum Condition {

    MAX_DRAWDOWN(Alert.MAX_DRAWDOWN, Alert.ACTION_HALT, false),
    DAILY_LOSS(Alert.DAILY_LOSS, Alert.ACTION_HALT, false),
    MAX_LEVERAGE(Alert.MAX_LEVERAGE, Alert.ACTION_REDUCE_ONLY, false),
    MAX_GROSS_EXPOSURE(Alert.MAX_GROSS_EXPOSURE, Alert.ACTION_REDUCE_ONLY, false),
    MAX_POSITION_NOTIONAL(Alert.MAX_POSITION_NOTIONAL, Alert.ACTION_REDUCE_ONLY, true),
    VOLATILITY(Alert.VOLATILITY, Alert.ACTION_REDUCE_ONLY, true),
    /** Our size of an instrument differs from the exchange's latest position snapshot (see {@link Measurement#reconciliation}). */
    RECONCILIATION(Alert.RECONCILIATION, Alert.ACTION_REDUCE_ONLY, true),
    STALE_PRICE(Alert.STALE_PRICE, Alert.ACTION_ALERT_ONLY, true),
    /*
     * A group's limits (stage 3 judges them on the group's figures and tells each member, see
     * io.etrms.streams.group): in the account they trip and clear only when the group says so.
     * Concentration restricts one symbol on every exchange (scope exchange "*").
     */
    GROUP_MAX_DRAWDOWN(Alert.GROUP_MAX_DRAWDOWN, Alert.ACTION_HALT, false),
    GROUP_DAILY_LOSS(Alert.GROUP_DAILY_LOSS, Alert.ACTION_HALT, false),
    GROUP_MAX_GROSS_EXPOSURE(Alert.GROUP_MAX_GROSS_EXPOSURE, Alert.ACTION_REDUCE_ONLY, false),
    GROUP_MAX_NET_EXPOSURE(Alert.GROUP_MAX_NET_EXPOSURE, Alert.ACTION_REDUCE_ONLY, false),
    GROUP_CONCENTRATION(Alert.GROUP_CONCENTRATION, Alert.ACTION_REDUCE_ONLY, true),
    /** A state forced by {@code set_state}: trips and clears only through {@code risk-control}. */
    MANUAL(Alert.MANUAL, null, false);

    private final String conditionName;
    private final String action;
    private final boolean perInstrument;

    Condition(String conditionName, String action, boolean perInstrument) {
        this.conditionName = conditionName;
        this.action = action;
        this.perInstrument = perInstrument;
    }

    public String conditionName() {
        return conditionName;
    }

    /** {@code halt}, {@code reduce_only} or {@code alert_only}; null for {@link #MANUAL} (its state says). */
    public String action() {
        return action;
    }

    public boolean perInstrument() {
        return perInstrument;
    }

    /**
     * Halting breakers latch: once tripped they stay tripped, whatever the value does, until a
     * {@code risk-control} record resets them (docs/circuit-breakers.md, "One alert per trip,
     * hysteresis, cooldown": a HALTED account returns to ACTIVE only by a reset). Group conditions
     * latch in the account too (see {@link #group()}).
     */
    public boolean latches() {
        return Alert.ACTION_HALT.equals(action) || this == MANUAL || group();
    }

    /**
     * A group condition: judged by stage 3 on the group's figures, it trips and re-arms in the
     * account only when the group's breaker does (or by a {@code risk-control} reset), whatever the
     * account's own figures do; so to the account's evaluation it latches.
     */
    public boolean group() {
        return Alert.GROUP_CONDITIONS.contains(conditionName);
    }

    /**
     * Whether {@code cooldown_seconds} hold back its re-arm. A reconciliation breaker re-arms as soon
     * as the sizes agree again: the grace period already delayed its trip, and an instrument whose
     * books agree has nothing left to restrict.
     */
    public boolean coolsDown() {
        return this != RECONCILIATION;
    }

    /** Measured on the wall clock (trip time and cooldown); every other condition on event time. */
    public boolean wallClock() {
        return this == STALE_PRICE;
    }

    /** The state a tripped breaker of this condition imposes on its scope. */
    public static String stateOf(String action) {
        if (Alert.ACTION_HALT.equals(action)) {
            return TradingState.HALTED;
        }
        if (Alert.ACTION_REDUCE_ONLY.equals(action)) {
            return TradingState.REDUCE_ONLY;
        }
        return TradingState.ACTIVE;
    }

    public static Condition byName(String conditionName) {
        for (Condition c : values()) {
            if (c.conditionName.equals(conditionName)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown condition " + conditionName);
    }
}
