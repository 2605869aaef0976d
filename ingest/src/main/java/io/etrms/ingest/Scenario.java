package io.etrms.ingest;

import java.util.Locale;

/**
 * A market event the simulator plays on demand to trip a circuit breaker
 * (docs/circuit-breakers.md). Sizes are multiples of {@link SimulatorOptions#initialDeposit()}
 * and set in {@link ScenarioSettings}; every simulated account takes part. While a scenario runs, routine trading leaves its instruments alone;
 * at its end the scenario's positions are closed and what its trades cost in fees and spread is
 * deposited back (see {@link MarketEventGenerator}).
 */
public enum Scenario {

    /**
     * Volatility: each account buys {@code spikeExposure × deposit} of the first symbol on the first
     * exchange; 5 s later that symbol jumps {@code spikePct} % on every exchange within 3 s, holds
     * 15 s and falls back over 40 s; the position is closed at 75 s. Trips {@code volatility}.
     */
    SPIKE("spike", 90),

    /**
     * Drawdown and daily loss: each account goes long {@code crashExposure × deposit} on every
     * exchange (spread over all symbols); 5 s later every symbol falls {@code crashPct} % within
     * 20 s, stays down 40 s and recovers over 120 s; positions are closed at 190 s. With the
     * defaults (2 × 100 000 per exchange, −30 %) the loss at the bottom is 120 000 of 200 000
     * equity: trips {@code max_drawdown} (60 %) and {@code daily_loss}.
     */
    CRASH("crash", 200),

    /**
     * Large position: each account buys {@code largePositionExposure × deposit} notional of the
     * second symbol on the last exchange, held 60 s. Trips {@code max_position_notional}.
     */
    LARGE_POSITION("large-position", 75),

    /**
     * Over-leverage: each account buys {@code leverage × deposit} notional on every exchange,
     * spread over all symbols, held 60 s. Trips {@code max_leverage} (and, with the defaults,
     * {@code max_gross_exposure}).
     */
    OVER_LEVERAGE("over-leverage", 75),

    /**
     * Stopped feed: each account buys {@code staleExposure × deposit} of the last symbol on the last
     * exchange; 5 s later that instrument's price ticks stop for {@code staleFeedSeconds}, then
     * resume; the position is closed 10 s later. Trips {@code stale_price} (wall clock).
     */
    STALE_FEED("stale-feed", -1);

    private final String label;
    private final int fixedSeconds;

    Scenario(String label, int fixedSeconds) {
        this.label = label;
        this.fixedSeconds = fixedSeconds;
    }

    /** The name used on the command line and in the docs. */
    public String label() {
        return label;
    }

    /** How long the scenario runs, in event-time seconds. */
    public long durationSeconds(ScenarioSettings settings) {
        return fixedSeconds > 0 ? fixedSeconds : 5 + settings.staleFeedSeconds() + 15;
    }

    /** Accepts the label ({@code stale-feed}), the constant name ({@code STALE_FEED}) or a few aliases. */
    public static Scenario fromLabel(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (Scenario s : values()) {
            if (s.label.equals(t)) {
                return s;
            }
        }
        return switch (t) {
            case "drawdown", "daily-loss" -> CRASH;
            case "volatility" -> SPIKE;
            case "stale", "stale-price" -> STALE_FEED;
            case "leverage", "max-leverage" -> OVER_LEVERAGE;
            case "position", "max-position-notional" -> LARGE_POSITION;
            default -> throw new IllegalArgumentException("unknown scenario '" + text
                    + "' (crash, spike, stale-feed, over-leverage, large-position)");
        };
    }

    @Override
    public String toString() {
        return label;
    }
}
