package io.etrms.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.etrms.model.Fill;
import io.etrms.model.Keys;
import io.etrms.model.PriceTick;
import io.etrms.model.Transfer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MarketEventGeneratorTest {

    private static final long START = 1_764_000_000_000L;

    @Test
    void shouldProduceTheSameRecordsForTheSameSeedAndStartTime() {
        List<InputRecord> first = new MarketEventGenerator(SimulatorOptions.defaults(), START).next(5_000);
        List<InputRecord> second = new MarketEventGenerator(SimulatorOptions.defaults(), START).next(5_000);
        List<InputRecord> otherSeed = new MarketEventGenerator(SimulatorOptions.defaults().withSeed(43), START).next(5_000);

        assertThat(second).isEqualTo(first);
        assertThat(otherSeed).isNotEqualTo(first);
        // the deposits do not depend on the seed, the prices do
        assertThat(otherSeed.subList(0, 2)).isEqualTo(first.subList(0, 2));
        assertThat(otherSeed.get(20)).isNotEqualTo(first.get(20));
    }

    @Test
    void shouldPublishDepositsThenTicksThenOneOpeningFillPerExchange() {
        List<InputRecord> records = new MarketEventGenerator(SimulatorOptions.defaults(), START).next(12);

        String run = Long.toString(START, 36);
        assertThat(records.subList(0, 2)).containsExactly(
                InputRecord.of(new Transfer("sim-" + run + "-t1", "main", "binance", new BigDecimal("100000"), START)),
                InputRecord.of(new Transfer("sim-" + run + "-t2", "main", "coinbase", new BigDecimal("100000"), START)));
        assertThat(records.subList(2, 10)).extracting(r -> r.kind() + " " + r.key()).containsExactly(
                "prices binance|BTC/USDT:USDT", "prices binance|ETH/USDT", "prices binance|SOL/USDT", "prices binance|DOGE/USDT",
                "prices coinbase|BTC/USDT:USDT", "prices coinbase|ETH/USDT", "prices coinbase|SOL/USDT", "prices coinbase|DOGE/USDT");
        Fill onBinance = (Fill) records.get(10).value();
        Fill onCoinbase = (Fill) records.get(11).value();
        assertThat(List.of(onBinance.account(), onBinance.exchange(), onBinance.symbol(), onBinance.side(), onBinance.fillId()))
                .containsExactly("main", "binance", "BTC/USDT:USDT", "buy", "sim-" + run + "-f1");
        assertThat(List.of(onCoinbase.account(), onCoinbase.exchange(), onCoinbase.symbol(), onCoinbase.side(), onCoinbase.fillId()))
                .containsExactly("main", "coinbase", "ETH/USDT", "buy", "sim-" + run + "-f2");
        // 2 000 of notional at the first tick, to 6 decimals, rounded down
        BigDecimal firstBtc = ((PriceTick) records.get(2).value()).price();
        assertThat(onBinance.quantity()).isEqualByComparingTo(new BigDecimal("2000").divide(firstBtc, 6, RoundingMode.DOWN));
        assertThat(records).allMatch(r -> r.timestamp() == START);
    }

    @Test
    void shouldProduceTicksAndFillsAtTheConfiguredRates() {
        MarketEventGenerator generator = new MarketEventGenerator(SimulatorOptions.defaults().withoutScenarios(), START);
        Map<InputKind, Integer> counts = new HashMap<>();
        InputRecord record = generator.next();
        while (record.timestamp() < START + 60_000) {
            counts.merge(record.kind(), 1, Integer::sum);
            record = generator.next();
        }

        // 120 rounds of 8 instruments; 0.5 fill per round after the opening round, plus 2 opening fills
        assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of(
                InputKind.TRANSFERS, 2, InputKind.PRICES, 960, InputKind.FILLS, 2 + 59));
    }

    @Test
    void shouldProduceOnlyValidPassiveFillsInEventTimeOrderWithExactFees() {
        SimulatorOptions options = SimulatorOptions.defaults().withoutScenarios();
        MarketEventGenerator generator = new MarketEventGenerator(options, System.currentTimeMillis() - 3_600_000);
        Map<String, BigDecimal> lastTick = new HashMap<>();
        long previous = 0;
        int fills = 0;
        for (int i = 0; i < 20_000; i++) {
            InputRecord record = generator.next();
            assertThat(record.problems()).as("record %d: %s", i, record).isEmpty();
            assertThat(record.timestamp()).isGreaterThanOrEqualTo(previous);
            previous = record.timestamp();
            if (record.value() instanceof PriceTick tick) {
                lastTick.put(tick.instrumentKey(), tick.price());
            } else if (record.value() instanceof Fill fill) {
                fills++;
                BigDecimal mid = lastTick.get(fill.instrumentKey());
                // routine fills are passive: buy 2 bp under the last tick, sell 2 bp over it
                assertThat(fill.price()).isEqualByComparingTo(fill.side().equals(Fill.BUY)
                        ? mid.multiply(new BigDecimal("0.9998")).round(new java.math.MathContext(8))
                        : mid.multiply(new BigDecimal("1.0002")).round(new java.math.MathContext(8)));
                assertThat(fill.fee()).isEqualByComparingTo(
                        fill.quantity().multiply(fill.price()).multiply(options.feeRate()).setScale(8, RoundingMode.HALF_UP));
            }
        }
        assertThat(fills).isGreaterThan(500);
    }

    @Test
    void shouldKeepRoutinePositionsModest() {
        SimulatorOptions options = SimulatorOptions.defaults().withoutScenarios();
        MarketEventGenerator generator = new MarketEventGenerator(options, START);
        Map<String, BigDecimal> lastTick = new HashMap<>();
        BigDecimal largest = BigDecimal.ZERO;
        for (int i = 0; i < 50_000; i++) {
            InputRecord record = generator.next();
            if (record.value() instanceof PriceTick tick) {
                lastTick.put(tick.instrumentKey(), tick.price());
            } else if (record.value() instanceof Fill fill) {
                BigDecimal notional = generator.position(fill.account(), fill.exchange(), fill.symbol())
                        .multiply(lastTick.get(Keys.instrument(fill.exchange(), fill.symbol()))).abs();
                largest = largest.max(notional);
            }
        }
        // the cap is 20 000; a fill lands within a price move of it
        assertThat(largest).isBetween(new BigDecimal("10000"), new BigDecimal("21000"));
    }
}
