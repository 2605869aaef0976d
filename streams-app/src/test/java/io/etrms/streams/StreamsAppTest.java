package io.etrms.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.etrms.model.EtrmsConfig;
import io.etrms.streams.breakers.Limits;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StreamsAppTest {

    @Test
    void shouldTakeTheDefaultLimitsFromConfigurationWithEnvironmentAndFlagsOnTop() {
        EtrmsConfig config = EtrmsConfig.load(StreamsApp.defaults(), null,
                Map.of("ETRMS_LIMITS_MAX_LEVERAGE", "3", "ETRMS_LIMITS_COOLDOWN_SECONDS", "0"),
                Map.of(StreamsApp.LIMIT_MAX_DRAWDOWN_PCT, "12.5", StreamsApp.VOLATILITY_WINDOW_SECONDS, "120"));
        assertThat(StreamsApp.limits(config)).isEqualTo(new Limits(12.5, 50_000, 3, 1_000_000, 200_000, 10, 120, 30, 0));
    }

    @Test
    void shouldDefaultToTheBuiltInLimits() {
        EtrmsConfig config = EtrmsConfig.load(StreamsApp.defaults(), null, Map.of(), Map.of());
        assertThat(StreamsApp.limits(config)).isEqualTo(Limits.DEFAULTS);
        assertThat(config.get(StreamsApp.PRICE_OUTLIER_PCT)).isEqualTo("10");
        assertThat(config.get(StreamsApp.LIMIT_MAX_GROSS_EXPOSURE)).isEqualTo("1000000");
    }
}
