package io.etrms.streams.breakers;

import java.util.Locale;

/**
 * What the high-water mark of {@code max_drawdown} is measured on (the drawdown itself is always
 * measured on live equity against it), as prop firms' evaluation rules choose:
 * {@link #EQUITY} the highest live equity seen (marks move it: a trailing drawdown that follows open
 * profits), {@link #CLOSED} the highest closed-trade equity (transfers + realized PnL: only closed
 * trades move it, so an open profit that is given back is not a drawdown from a peak it never set).
 */
public enum DrawdownBasis {
    EQUITY,
    CLOSED;

    /** As written in {@code risk-limits} and configuration: {@code equity} or {@code closed}. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DrawdownBasis parse(String text) {
        for (DrawdownBasis b : values()) {
            if (b.text().equals(text)) {
                return b;
            }
        }
        throw new IllegalArgumentException("drawdown_basis must be equity or closed, was '" + text + "'");
    }
}
