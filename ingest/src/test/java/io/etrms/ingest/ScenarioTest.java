package io.etrms.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.etrms.model.Fill;
import io.etrms.model.PriceTick;
import io.etrms.model.Transfer;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each scenario, played alone from second 0 of the run, does to the account what its breaker
 * watches, by the arithmetic of docs/definitions.md (checked with {@link ReferenceLedger}).
 */
class ScenarioTest {

    private static final long START = 1_764_000_000_000L;
    private static final List<String> EXCHANGES = List.of("binance", "coinbase");
    private static final BigDecimal DEPOSITS = new BigDecimal("200000");

    private static SimulatorOptions only(Scenario scenario) {
        SimulatorOptions defaults = SimulatorOptions.defaults();
        return defaults.withScenarios(List.of(scenario))
                .withScenarioSettings(defaults.scenarioSettings().withTiming(Duration.ZERO, Duration.ofSeconds(10), null));
    }

    /** Plays the generator until {@code seconds} of event time and calls back after every record. */
    private static void play(SimulatorOptions options, int seconds, RecordVisitor visitor) {
        MarketEventGenerator generator = new MarketEventGenerator(options, START);
        ReferenceLedger ledger = new ReferenceLedger();
        InputRecord record = generator.next();
        while (record.timestamp() < START + seconds * 1000L) {
            ledger.apply(record);
            visitor.visit(record, ledger, (record.timestamp() - START) / 1000);
            record = generator.next();
        }
    }

    @FunctionalInterface
    private interface RecordVisitor {
        void visit(InputRecord record, ReferenceLedger ledger, long second);
    }

    @Test
    void shouldCrashDeepEnoughForDrawdownAndDailyLossAndRecover() {
        double[] peak = {0};
        double[] deepestDrawdownPct = {0};
        double[] lowestEquity = {Double.MAX_VALUE};
        BigDecimal[] grossBeforeCrash = {BigDecimal.ZERO};
        play(only(Scenario.CRASH), 260, (record, ledger, second) -> {
            if (second == 0) {
                return;
            }
            double equity = ledger.totalEquity("main", EXCHANGES).doubleValue();
            peak[0] = Math.max(peak[0], equity);
            deepestDrawdownPct[0] = Math.max(deepestDrawdownPct[0], (peak[0] - equity) / peak[0] * 100);
            lowestEquity[0] = Math.min(lowestEquity[0], equity);
            if (second == 4) {
                grossBeforeCrash[0] = ledger.grossExposure("main");
            }
        });

        // long 2 × 100 000 per exchange, −30 %: about 120 000 lost of 200 000 (60 % drawdown)
        assertThat(grossBeforeCrash[0].doubleValue()).isBetween(399_000.0, 401_000.0);
        assertThat(deepestDrawdownPct[0]).isBetween(55.0, 65.0);
        assertThat(DEPOSITS.doubleValue() - lowestEquity[0]).isBetween(110_000.0, 130_000.0);
        assertThat(lowestEquity[0]).isPositive();
    }

    @Test
    void shouldClosePositionsAfterTheCrashHasRecovered() {
        Map<String, BigDecimal> sizesAtEnd = new HashMap<>();
        BigDecimal[] equityAtEnd = {null};
        play(only(Scenario.CRASH).withRates(2.0, 0), 200, (record, ledger, second) -> {
            for (String exchange : EXCHANGES) {
                for (var symbol : SimulatorOptions.defaults().symbols()) {
                    sizesAtEnd.put(exchange + "|" + symbol.symbol(), ledger.size("main", exchange, symbol.symbol()));
                }
            }
            equityAtEnd[0] = ledger.totalEquity("main", EXCHANGES);
        });

        // only the opening fills are left (routine trading is off): every scenario position is closed exactly
        assertThat(sizesAtEnd).allSatisfy((instrument, size) -> {
            if (!instrument.equals("binance|BTC/USDT:USDT") && !instrument.equals("coinbase|ETH/USDT")) {
                assertThat(size).isEqualByComparingTo(BigDecimal.ZERO);
            }
        });
        // back from the trough: fees and noise only
        assertThat(equityAtEnd[0].doubleValue()).isBetween(195_000.0, 205_000.0);
    }

    @Test
    void shouldSpikeTheHeldSymbolForTheVolatilityBreaker() {
        BigDecimal[] priceBefore = {null};
        double[] largestMovePct = {0};
        BigDecimal[] notionalAtPeak = {BigDecimal.ZERO};
        play(only(Scenario.SPIKE), 90, (record, ledger, second) -> {
            if (record.value() instanceof PriceTick tick && tick.instrumentKey().equals("binance|BTC/USDT:USDT")) {
                if (second == 4) {
                    priceBefore[0] = tick.price();
                }
                if (second >= 5 && second < 60) {
                    double move = (tick.price().divide(priceBefore[0], MathContext.DECIMAL64).doubleValue() - 1) * 100;
                    if (move > largestMovePct[0]) {
                        largestMovePct[0] = move;
                        notionalAtPeak[0] = ledger.notional("main", "binance", "BTC/USDT:USDT");
                    }
                }
            }
        });

        assertThat(largestMovePct[0]).isBetween(14.0, 16.0);
        // 0.5 × 100 000 bought before the jump, worth 15 % more at its top
        assertThat(notionalAtPeak[0].doubleValue()).isBetween(56_000.0, 59_000.0);
    }

    @Test
    void shouldHoldOneLargePosition() {
        BigDecimal[] largest = {BigDecimal.ZERO};
        BigDecimal[] atEnd = {null};
        play(only(Scenario.LARGE_POSITION), 75, (record, ledger, second) -> {
            largest[0] = largest[0].max(ledger.notional("main", "coinbase", "ETH/USDT"));
            if (second == 60 && record.value() instanceof Fill fill && fill.instrumentKey().equals("coinbase|ETH/USDT")) {
                atEnd[0] = ledger.size("main", "coinbase", "ETH/USDT"); // the closing fill, before routine trading resumes
            }
        });

        assertThat(largest[0].doubleValue()).isBetween(248_000.0, 253_000.0);
        assertThat(atEnd[0]).isEqualByComparingTo(BigDecimal.ZERO);
    }

    @Test
    void shouldLeverTheAccountEightTimes() {
        double[] largestLeverage = {0};
        double[] largestExchangeLeverage = {0};
        play(only(Scenario.OVER_LEVERAGE), 75, (record, ledger, second) -> {
            if (second == 0) {
                return;
            }
            double equity = ledger.totalEquity("main", EXCHANGES).doubleValue();
            largestLeverage[0] = Math.max(largestLeverage[0], ledger.grossExposure("main").doubleValue() / equity);
            double binanceNotional = 0;
            for (var symbol : SimulatorOptions.defaults().symbols()) {
                binanceNotional += ledger.notional("main", "binance", symbol.symbol()).doubleValue();
            }
            largestExchangeLeverage[0] = Math.max(largestExchangeLeverage[0], binanceNotional / ledger.equity("main", "binance").doubleValue());
        });

        assertThat(largestLeverage[0]).isBetween(7.5, 8.7);
        assertThat(largestExchangeLeverage[0]).isBetween(7.5, 8.7);
    }

    @Test
    void shouldStopTheFeedOfAHeldInstrumentForTheStaleSeconds() {
        Map<String, Long> lastTick = new HashMap<>();
        Map<String, Long> longestGap = new HashMap<>();
        BigDecimal[] heldDuringSilence = {null};
        play(only(Scenario.STALE_FEED), 120, (record, ledger, second) -> {
            if (record.value() instanceof PriceTick tick) {
                Long previous = lastTick.put(tick.instrumentKey(), tick.timestamp());
                if (previous != null) {
                    longestGap.merge(tick.instrumentKey(), tick.timestamp() - previous, Math::max);
                }
            }
            if (second == 50) {
                heldDuringSilence[0] = ledger.notional("main", "coinbase", "DOGE/USDT");
            }
            if (record.value() instanceof Fill fill && second > 5 && second < 95) {
                assertThat(fill.instrumentKey()).isNotEqualTo("coinbase|DOGE/USDT");
            }
        });

        assertThat(longestGap.get("coinbase|DOGE/USDT")).isEqualTo(90_500L);
        assertThat(longestGap).allSatisfy((instrument, gap) -> {
            if (!instrument.equals("coinbase|DOGE/USDT")) {
                assertThat(gap).isEqualTo(500L);
            }
        });
        assertThat(heldDuringSilence[0].doubleValue()).isBetween(19_000.0, 21_000.0);
    }

    @Test
    void shouldRefundWhatAScenarioCostAsATopUpDeposit() {
        BigDecimal[] balanceBeforeTopUp = {null};
        java.util.List<Transfer> topUps = new java.util.ArrayList<>();
        BigDecimal[] equityAfter = {null};
        // no routine trading: only the opening fills, the scenario's two legs and the top-up move the account
        play(only(Scenario.LARGE_POSITION).withRates(2.0, 0).withVolatilityPct(0), 70, (record, ledger, second) -> {
            if (record.value() instanceof Transfer t && second > 0) {
                topUps.add(t);
            }
            equityAfter[0] = ledger.equity("main", "coinbase");
        });

        // 250 000 bought and sold across a 2 bp half-spread with a 2 bp fee: about 4 bp of 500 000 = 200
        assertThat(topUps).hasSize(1);
        assertThat(topUps.get(0).exchange()).isEqualTo("coinbase");
        assertThat(topUps.get(0).amount().doubleValue()).isBetween(190.0, 210.0);
        assertThat(topUps.get(0).amount().scale()).isLessThanOrEqualTo(2);
        // without the random walk only the exchanges' 0.5 bp tick noise moves prices: on 250 000 that is
        // tens, not the 200 the legs cost, so the top-up brings the equity back to the deposit
        assertThat(equityAfter[0].doubleValue()).isBetween(99_900.0, 100_100.0);
    }

    @Test
    void shouldKeepEquityPositiveThroughTwoCyclesOfTheDefaultMix() {
        double[] lowest = {Double.MAX_VALUE};
        double[] last = {0};
        long[] firstSpikeSecond = {-1};
        play(SimulatorOptions.defaults(), 2 * 700, (record, ledger, second) -> {
            last[0] = ledger.totalEquity("main", EXCHANGES).doubleValue();
            for (String exchange : second == 0 ? List.<String>of() : EXCHANGES) {
                lowest[0] = Math.min(lowest[0], ledger.equity("main", exchange).doubleValue());
            }
            if (firstSpikeSecond[0] < 0 && record.value() instanceof PriceTick tick && tick.instrumentKey().equals("binance|BTC/USDT:USDT")
                    && ledger.notional("main", "binance", "BTC/USDT:USDT").doubleValue() > 55_000) {
                firstSpikeSecond[0] = second;
            }
        });

        assertThat(lowest[0]).isGreaterThan(25_000.0);
        // fees and spread are refunded, routine fills cost nothing on average: no bleeding over time
        assertThat(last[0]).isBetween(190_000.0, 210_000.0);
        // the first breaker-worthy move comes within the first half minute
        assertThat(firstSpikeSecond[0]).isBetween(25L, 30L);
    }
}
