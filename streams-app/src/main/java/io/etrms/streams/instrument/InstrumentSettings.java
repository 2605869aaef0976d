package io.etrms.streams.instrument;

import io.etrms.model.EtrmsConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The settings of stage 1, built once from {@link EtrmsConfig} and used alike by
 * {@code StreamsApp}, the reference run of the crash loop and the tests.
 *
 * @param volatilityWindow  event-time window of volatility and price move, unless the {@code *}
 *                          risk-limits record sets volatility_window_seconds
 * @param dedupRetention    how long a fill id is remembered to drop re-sent fills
 * @param outlierPct        a tick further than this (percent) from the last tick waits for the next
 *                          to confirm it; 0 or less: every in-order tick is used at once
 * @param outlierHold       how long (wall clock) a held tick waits before it is used as it is
 * @param accountPartitions partitions of the internal {@code account-updates} topic (those of every
 *                          account-keyed topic): stage 1 counts each instrument's holders per partition
 */
public record InstrumentSettings(
        Duration volatilityWindow,
        Duration dedupRetention,
        double outlierPct,
        Duration outlierHold,
        int accountPartitions) {

    public static final String VOLATILITY_WINDOW_SECONDS = "etrms.volatility.window.seconds";
    public static final String DEDUP_RETENTION_HOURS = "etrms.dedup.retention.hours";
    /** A tick further than this (percent) from the instrument's last tick is held until the next tick confirms it (0 or less: off). */
    public static final String PRICE_OUTLIER_PCT = "etrms.prices.outlier.pct";
    /** How long (wall clock) a held tick waits for the next one before it is used as it is. */
    public static final String PRICE_OUTLIER_HOLD_MS = "etrms.prices.outlier.hold.ms";

    public InstrumentSettings {
        if (accountPartitions < 1) {
            throw new IllegalArgumentException("account partitions must be at least 1, was " + accountPartitions);
        }
    }

    /** The defaults of every key above. */
    public static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(VOLATILITY_WINDOW_SECONDS, "60");
        d.put(DEDUP_RETENTION_HOURS, "168");
        d.put(PRICE_OUTLIER_PCT, "10");
        d.put(PRICE_OUTLIER_HOLD_MS, "5000");
        return d;
    }

    /** From configuration (unset keys take {@link #defaults()}), for {@code account-updates} with {@code accountPartitions} partitions. */
    public static InstrumentSettings from(EtrmsConfig settings, int accountPartitions) {
        EtrmsConfig config = settings.withDefaults(defaults());
        return new InstrumentSettings(Duration.ofSeconds(config.getLong(VOLATILITY_WINDOW_SECONDS)),
                Duration.ofHours(config.getLong(DEDUP_RETENTION_HOURS)), config.getDouble(PRICE_OUTLIER_PCT),
                Duration.ofMillis(config.getLong(PRICE_OUTLIER_HOLD_MS)), accountPartitions);
    }

    /** The defaults, for topics created with the configured partition count. */
    public static InstrumentSettings from(EtrmsConfig settings) {
        return from(settings, settings.getInt(EtrmsConfig.TOPIC_PARTITIONS));
    }

    /** The same with another outlier filter (tests). */
    public InstrumentSettings withOutlierFilter(double pct, Duration hold) {
        return new InstrumentSettings(volatilityWindow, dedupRetention, pct, hold, accountPartitions);
    }
}
