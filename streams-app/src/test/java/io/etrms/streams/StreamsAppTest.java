package io.etrms.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.etrms.model.EtrmsConfig;
import io.etrms.streams.account.AccountSettings;
import io.etrms.streams.breakers.Limits;
import io.etrms.streams.instrument.InstrumentSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StreamsAppTest {

    @Test
    void shouldTakeTheDefaultLimitsFromConfigurationWithEnvironmentAndFlagsOnTop() {
        EtrmsConfig config = EtrmsConfig.load(StreamsApp.defaults(), null,
                Map.of("ETRMS_LIMITS_MAX_LEVERAGE", "3", "ETRMS_LIMITS_COOLDOWN_SECONDS", "0"),
                Map.of(StreamsApp.LIMIT_MAX_DRAWDOWN_PCT, "12.5", StreamsApp.VOLATILITY_WINDOW_SECONDS, "120"));
        assertThat(AccountSettings.from(config).defaultLimits()).isEqualTo(new Limits(12.5, 50_000, 3, 1_000_000, 200_000, 10, 120, 30, 0));
        assertThat(InstrumentSettings.from(config).volatilityWindow()).isEqualTo(Duration.ofSeconds(120));
    }

    @Test
    void shouldDefaultToTheBuiltInSettings() {
        EtrmsConfig config = EtrmsConfig.load(StreamsApp.defaults(), null, Map.of(), Map.of());
        AccountSettings account = AccountSettings.from(config);
        assertThat(account.defaultLimits()).isEqualTo(Limits.DEFAULTS);
        assertThat(account.snapshotInterval()).isEqualTo(Duration.ofMillis(20));
        assertThat(account.markSnapshotInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(account.punctuation()).isEqualTo(Duration.ofSeconds(1));
        assertThat(account.everyMark()).isFalse();
        InstrumentSettings instrument = InstrumentSettings.from(config);
        assertThat(instrument).isEqualTo(new InstrumentSettings(Duration.ofSeconds(60), Duration.ofHours(168), 10, Duration.ofSeconds(5), 3));
        assertThat(config.get(StreamsApp.LIMIT_MAX_GROSS_EXPOSURE)).isEqualTo("1000000");
    }

    @Test
    void shouldBuildTheSameSettingsFromAnEmptyConfigurationAsFromTheServiceDefaults() {
        // the reference run and the tests build their settings from an empty configuration
        EtrmsConfig empty = EtrmsConfig.of(Map.of());
        EtrmsConfig service = EtrmsConfig.load(StreamsApp.defaults(), null, Map.of(), Map.of());
        assertThat(AccountSettings.from(empty)).isEqualTo(AccountSettings.from(service));
        assertThat(InstrumentSettings.from(empty)).isEqualTo(InstrumentSettings.from(service));
    }
}
