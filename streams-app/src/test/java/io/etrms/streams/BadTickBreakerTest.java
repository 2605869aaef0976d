package io.etrms.streams;

import static io.etrms.streams.TestRecords.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.etrms.model.Alert;
import io.etrms.model.EtrmsConfig;
import io.etrms.streams.account.AccountSettings;
import io.etrms.streams.breakers.Limits;
import io.etrms.streams.instrument.InstrumentSettings;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;



/**
 * Both stages chained (stage 1's account updates piped into stage 2): one bad tick must not trip the
 * volatility breaker, a real move confirmed by the next tick must.
 */
class BadTickBreakerTest {

    private static final String BTC = "BTC/USDT:USDT";
    private static final String KEY = "binance|" + BTC;
    /** Only the volatility condition, at 10 %. */
    private static final Limits VOLATILITY_ONLY = new Limits(0, 0, 0, 0, 0, 10, 60, 0, 60);

    private TwoStages stages;
    private TestOutputTopic<String, Alert> alerts;

    private void start(double outlierPct) {
        EtrmsConfig config = EtrmsConfig.of(Map.of());
        stages = new TwoStages(InstrumentSettings.from(config).withOutlierFilter(outlierPct, Duration.ofSeconds(5)),
                AccountSettings.from(config).withLimits(VOLATILITY_ONLY), Instant.now());
        alerts = stages.output(stages.topics.alerts);
        stages.transfer("main", TestRecords.transfer("d1", "main", "binance", "100000", T0), T0);
    }

    @AfterEach
    void tearDown() {
        stages.close();
    }

    private void tick(String price, long ts) {
        stages.tick(KEY, TestRecords.tick("binance", BTC, price, ts), ts);
    }

    private void holdOneBtc() {
        stages.fill(KEY, TestRecords.fill("f1", "main", "binance", BTC, "buy", "1", "100", "0", T0), T0);
        tick("100", T0 + 1000);
        tick("100.5", T0 + 2000);
    }

    @Test
    void shouldNotTripTheVolatilityBreakerOnOneBadTickButOnARealMoveConfirmedByTheNextTick() {
        start(10);
        holdOneBtc();
        tick("150", T0 + 3000);      // a bad tick: +49 %
        tick("100.6", T0 + 4000);    // the market was never there
        assertThat(alerts.isEmpty()).isTrue();

        tick("112", T0 + 5000);      // +11.3 % from 100.6: held back until the next tick
        assertThat(alerts.isEmpty()).isTrue();
        tick("112.5", T0 + 6000);    // confirms it: the mark of the 112 tick trips (move 112 / 100 − 1 = 12 %)
        List<Alert> all = alerts.readValuesToList();
        assertThat(all).singleElement().satisfies(a -> {
            assertThat(a.conditionName()).isEqualTo("volatility");
            assertThat(a.triggeredAt()).isEqualTo((T0 + 5000) / 1000);
            assertThat(new BigDecimal(a.context().get("value").toString()).doubleValue()).isCloseTo(12.0, within(1e-9));
        });
    }

    @Test
    void shouldTripOnTheBadTickWithTheOutlierFilterSwitchedOff() {
        start(0);
        holdOneBtc();
        tick("150", T0 + 3000);
        assertThat(alerts.readValuesToList()).singleElement().satisfies(a -> {
            assertThat(a.conditionName()).isEqualTo("volatility");
            assertThat(new BigDecimal(a.context().get("value").toString()).doubleValue()).isCloseTo(50.0, within(1e-9));
        });
    }
}
