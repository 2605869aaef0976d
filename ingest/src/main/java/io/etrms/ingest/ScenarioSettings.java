package io.etrms.ingest;

import java.time.Duration;

/**
 * Sizes and timing of the {@link Scenario}s. Exposures are multiples of the initial deposit per
 * account and exchange; percentages are price moves.
 *
 * @param crashPct              how far every symbol falls in a {@link Scenario#CRASH}, in percent (default 30)
 * @param crashExposure         long exposure per exchange before the crash, × deposit (default 2)
 * @param spikePct              how far the spiked symbol jumps in a {@link Scenario#SPIKE}, in percent (default 15)
 * @param spikeExposure         position held in the spiked symbol, × deposit (default 0.5)
 * @param largePositionExposure notional of the {@link Scenario#LARGE_POSITION}, × deposit (default 2.5)
 * @param leverage              notional per exchange in {@link Scenario#OVER_LEVERAGE}, × deposit (default 8)
 * @param staleExposure         position held in the instrument whose feed stops, × deposit (default 0.2)
 * @param staleFeedSeconds      how long the feed stays silent in {@link Scenario#STALE_FEED} (default 90)
 * @param firstAfter            event time from the start of the run to the first scenario (default 20 s)
 * @param gap                   pause between one scenario's end and the next one's start (default 10 s)
 * @param repeatAfter           pause after the last scenario before the list plays again; null or
 *                              negative plays it once (default 60 s)
 */
public record ScenarioSettings(
        double crashPct,
        double crashExposure,
        double spikePct,
        double spikeExposure,
        double largePositionExposure,
        double leverage,
        double staleExposure,
        long staleFeedSeconds,
        Duration firstAfter,
        Duration gap,
        Duration repeatAfter) {

    public ScenarioSettings {
        if (crashPct <= 0 || crashPct >= 100) {
            throw new IllegalArgumentException("crashPct must be in (0, 100), was " + crashPct);
        }
        if (spikePct <= 0) {
            throw new IllegalArgumentException("spikePct must be > 0, was " + spikePct);
        }
        if (crashExposure <= 0 || spikeExposure <= 0 || largePositionExposure <= 0 || leverage <= 0 || staleExposure <= 0) {
            throw new IllegalArgumentException("scenario exposures must be > 0");
        }
        if (staleFeedSeconds <= 0) {
            throw new IllegalArgumentException("staleFeedSeconds must be > 0, was " + staleFeedSeconds);
        }
        if (firstAfter == null || firstAfter.isNegative() || gap == null || gap.isNegative()) {
            throw new IllegalArgumentException("firstAfter and gap must be >= 0");
        }
    }

    public static ScenarioSettings defaults() {
        return new ScenarioSettings(30, 2, 15, 0.5, 2.5, 8, 0.2, 90,
                Duration.ofSeconds(20), Duration.ofSeconds(10), Duration.ofSeconds(60));
    }

    /** Whether the scenario list starts again after its last scenario. */
    public boolean repeats() {
        return repeatAfter != null && !repeatAfter.isNegative();
    }

    public ScenarioSettings withTiming(Duration newFirstAfter, Duration newGap, Duration newRepeatAfter) {
        return new ScenarioSettings(crashPct, crashExposure, spikePct, spikeExposure, largePositionExposure, leverage,
                staleExposure, staleFeedSeconds, newFirstAfter, newGap, newRepeatAfter);
    }
}
