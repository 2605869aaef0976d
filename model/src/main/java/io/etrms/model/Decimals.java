package io.etrms.model;

import java.math.BigDecimal;
import java.math.MathContext;

/** Exact-decimal helpers shared by every service. */
public final class Decimals {

    /** Division keeps 34 significant digits (IEEE 754 decimal128), as docs/definitions.md states. */
    public static final MathContext DIVISION = MathContext.DECIMAL128;

    /**
     * Decimal places of money (PnL, notional, balances): products of an average entry price (34
     * significant digits) would otherwise print thirty-odd digits of rounding residue.
     */
    public static final int MONEY_SCALE = 18;

    private Decimals() {
    }

    /** A money amount rounded half-even to {@link #MONEY_SCALE} places, trailing zeros stripped. */
    public static BigDecimal money(BigDecimal value) {
        return normalize(value.scale() <= MONEY_SCALE ? value : value.setScale(MONEY_SCALE, java.math.RoundingMode.HALF_EVEN));
    }

    /** Strips trailing zeros and turns every zero (0E-8, -0.00) into plain {@code 0}. */
    public static BigDecimal normalize(BigDecimal value) {
        if (value == null) {
            return null;
        }
        if (value.signum() == 0) {
            return BigDecimal.ZERO;
        }
        if (value.scale() > 0 && value.unscaledValue().testBit(0)) {
            return value; // an odd unscaled value has no trailing zero: skip the divisions by ten
        }
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    /** 17 significant digits: enough to name every double. */
    private static final MathContext DOUBLE = new MathContext(17, java.math.RoundingMode.HALF_EVEN);

    /**
     * numerator / denominator as a double (a ratio or percentage that is published as a JSON
     * double): the quotient rounded to 17 significant digits, then to the nearest double. The
     * 17-digit quotient fits in a long, so the conversion avoids the BigInteger-to-text path of a
     * 34-digit quotient; the result is at most one unit in the last place from the exact
     * quotient's nearest double.
     */
    public static double ratio(BigDecimal numerator, BigDecimal denominator) {
        return numerator.divide(denominator, DOUBLE).doubleValue();
    }

    public static BigDecimal orZero(BigDecimal value) {
        return value == null ? BigDecimal.ZERO : value;
    }
}
