package io.etrms.streams.group;

import io.etrms.model.EtrmsConfig;
import io.etrms.streams.account.AccountSettings;
import java.time.Duration;

/**
 * The settings of stage 3, built once from {@link EtrmsConfig}. It shares its keys with stage 2:
 * a group breaker re-arms on the same punctuation and with the same default cooldown, and warns at
 * the same default warning level, as an account's.
 *
 * @param punctuation     interval of the wall-clock checks (re-arms after a cooldown, limit changes)
 * @param cooldownSeconds the cooldown of a group whose {@code group-limits} record sets none
 * @param warningPct      the warning level (percent of each limit) of a group whose record sets none; 0 or less: no warnings
 */
public record GroupSettings(Duration punctuation, long cooldownSeconds, double warningPct) {

    /** From configuration; unset keys take {@link AccountSettings#defaults()}. */
    public static GroupSettings from(EtrmsConfig settings) {
        EtrmsConfig config = settings.withDefaults(AccountSettings.defaults());
        return new GroupSettings(Duration.ofMillis(config.getLong(AccountSettings.BREAKER_PUNCTUATION_MS)),
                config.getLong(AccountSettings.LIMIT_COOLDOWN_SECONDS), config.getDouble(AccountSettings.LIMIT_WARNING_PCT));
    }
}
