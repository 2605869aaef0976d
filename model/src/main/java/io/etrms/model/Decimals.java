package io.etrms.model;

import java.math.BigDecimal;
import java.math.MathContext;

/** Exact-decimal helpers shared by every service. */
public final class Decimals {

    /** Division keeps 34 significant digits (IEEE 754 decimal128), as DESIGN.md requires. */
    public static final MathContext DIVISION = MathContext.DECIMAL128;

    private Decimals() {
    }

    /** Strips trailing zeros and turns every zero (0E-8, -0.00) into plain {@code 0}. */
    public static BigDecimal normalize(BigDecimal value) {
        if (value == null) {
            return null;
        }
        if (value.signum() == 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    public static BigDecimal orZero(BigDecimal value) {
        return value == null ? BigDecimal.ZERO : value;
    }
}
