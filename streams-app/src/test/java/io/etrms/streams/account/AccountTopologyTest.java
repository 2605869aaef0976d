package io.etrms.streams.account;

import static io.etrms.streams.TestRecords.T0;
import static io.etrms.streams.TestRecords.text;
import static io.etrms.streams.TestRecords.transfer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.etrms.model.AccountsSnapshot;
import io.etrms.model.DeadLetter;
import io.etrms.model.PortfolioSnapshot;
import io.etrms.model.Position;
import io.etrms.model.RiskMetricsSnapshot;
import io.etrms.model.RiskMetricsSnapshot.RiskMetrics;
import io.etrms.model.Topics;
import io.etrms.streams.TestRecords;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AccountTopologyTest {

    private static final long HOUR = 3_600_000L;
    private static final String BTC = "BTC/USDT:USDT";

    private final Topics topics = Topics.defaults();
    private TopologyTestDriver driver;
    private AccountInputs positions;
    private TestInputTopic<String, byte[]> transfers;
    private TestOutputTopic<String, PortfolioSnapshot> portfolio;
    private TestOutputTopic<String, AccountsSnapshot> accounts;
    private TestOutputTopic<String, RiskMetricsSnapshot> metrics;
    private TestOutputTopic<String, DeadLetter> deadLetters;

    @BeforeEach
    void setUp() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, TestRecords.uniqueId("account-test"));
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(new AccountTopology(topics, AccountStage.settings()).buildTopology(), AccountStage.properties(props));
        positions = new AccountInputs(driver, topics);
        transfers = driver.createInputTopic(topics.transfers.name(), new StringSerializer(), new ByteArraySerializer());
        portfolio = driver.createOutputTopic(topics.portfolio.name(), new StringDeserializer(), topics.portfolio.valueSerde());
        accounts = driver.createOutputTopic(topics.accounts.name(), new StringDeserializer(), topics.accounts.valueSerde());
        metrics = driver.createOutputTopic(topics.riskMetrics.name(), new StringDeserializer(), topics.riskMetrics.valueSerde());
        deadLetters = driver.createOutputTopic(topics.deadLetters.name(), new StringDeserializer(), topics.deadLetters.valueSerde());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    /**
     * A position as stage 1 leaves it after a record at {@code ts} (a fill if size, entry or realized
     * moved, else a tick); unrealized and notional are given as computed by hand.
     */
    private void position(String account, String exchange, String symbol, String size, String entry, String current,
                          String unrealized, String realized, String notional, Double volatility, Double move, long ts) {
        BigDecimal q = new BigDecimal(size);
        BigDecimal p = new BigDecimal(current);
        assertThat(new BigDecimal(unrealized)).as("hand-computed unrealized").isEqualByComparingTo(p.subtract(new BigDecimal(entry)).multiply(q));
        assertThat(new BigDecimal(notional)).as("hand-computed notional").isEqualByComparingTo(q.abs().multiply(p));
        positions.position(account, exchange, symbol, size, entry, current, realized, volatility, move, ts);
    }

    private void deposit(String id, String account, String exchange, String amount, long ts) {
        transfers.pipeInput(account, transfer(id, account, exchange, amount, ts), ts);
    }

    private RiskMetrics lastMetrics() {
        List<RiskMetricsSnapshot> all = metrics.readValuesToList();
        return all.get(all.size() - 1).riskMetrics();
    }

    @Test
    void shouldComputeBalanceEquityAndLeveragePerExchange() {
        deposit("d1", "main", "binance", "10000", T0);
        position("main", "binance", BTC, "2", "100", "110", "20", "-1", "220", null, null, T0 + 1);

        AccountsSnapshot snapshot = accounts.readValuesToList().get(1);
        AccountsSnapshot.ExchangeAccount binance = snapshot.accounts().get("binance");
        // balance = 10000 + (−1) = 9999; equity = 9999 + 20 = 10019; leverage = 220 / 10019
        assertThat(binance.balance()).isEqualByComparingTo("9999");
        assertThat(binance.equity()).isEqualByComparingTo("10019");
        assertThat(binance.positionValue()).isEqualByComparingTo("220");
        assertThat(binance.leverage()).isCloseTo(220.0 / 10019.0, within(1e-15));

        PortfolioSnapshot p = portfolio.readValuesToList().get(0);
        assertThat(p.type()).isEqualTo("positions");
        assertThat(p.totalPositionValue()).isEqualByComparingTo("220");
        assertThat(p.totalUnrealizedPnl()).isEqualByComparingTo("20");
        assertThat(p.exchanges().get("binance").positions()).singleElement().extracting(Position::symbol).isEqualTo(BTC);

        RiskMetrics m = lastMetrics();
        assertThat(m.totalEquity()).isEqualByComparingTo("10019");
        assertThat(m.totalExposure()).isEqualByComparingTo("220");
        assertThat(m.totalPnl()).isEqualByComparingTo("19");
    }

    @Test
    void shouldMoveThePeakWithTransfersSoAWithdrawalIsNotDrawdown() {
        deposit("d1", "main", "binance", "1000", T0);
        position("main", "binance", BTC, "1", "100", "100", "0", "0", "100", null, null, T0 + 1);
        position("main", "binance", BTC, "1", "100", "50", "-50", "0", "50", null, null, T0 + 2);
        RiskMetrics m = lastMetrics();
        // equity 950 against peak 1000: (1000 − 950) / 1000 × 100 = 5 %
        assertThat(m.peakEquity()).isEqualByComparingTo("1000");
        assertThat(m.currentDrawdown()).isCloseTo(5.0, within(1e-12));

        deposit("w1", "main", "binance", "-500", T0 + 3);
        m = lastMetrics();
        // the withdrawal moves the peak with it: peak 500, equity 450, still the same 50 lost: 50 / 500 = 10 %
        assertThat(m.peakEquity()).isEqualByComparingTo("500");
        assertThat(m.totalEquity()).isEqualByComparingTo("450");
        assertThat(m.currentDrawdown()).isCloseTo(10.0, within(1e-12));

        deposit("d2", "main", "binance", "1000", T0 + 4);
        m = lastMetrics();
        // peak 1500, equity 1450: 50 / 1500 × 100 = 3.333… %; max stays 10
        assertThat(m.peakEquity()).isEqualByComparingTo("1500");
        assertThat(m.currentDrawdown()).isCloseTo(100.0 / 30.0, within(1e-12));
        assertThat(m.maxDrawdown()).isCloseTo(10.0, within(1e-12));

        position("main", "binance", BTC, "1", "100", "200", "100", "0", "200", null, null, T0 + 5);
        m = lastMetrics();
        // equity 1600 > peak: a new peak, no drawdown
        assertThat(m.peakEquity()).isEqualByComparingTo("1600");
        assertThat(m.currentDrawdown()).isEqualTo(0.0);
        assertThat(m.maxDrawdown()).isCloseTo(10.0, within(1e-12));
    }

    @Test
    void shouldResetDailyPnlAtMidnightUtcOfEventTime() {
        deposit("d1", "main", "binance", "1000", T0 + HOUR);
        position("main", "binance", BTC, "1", "100", "110", "10", "0", "110", null, null, T0 + 2 * HOUR);
        assertThat(lastMetrics().dailyPnl()).isEqualByComparingTo("10"); // no record before today: baseline 0
        position("main", "binance", BTC, "1", "100", "130", "30", "0", "130", null, null, T0 + 23 * HOUR);
        assertThat(lastMetrics().dailyPnl()).isEqualByComparingTo("30");
        // next UTC day: baseline = total PnL at the last record before midnight = 30
        position("main", "binance", BTC, "1", "100", "135", "35", "0", "135", null, null, T0 + 25 * HOUR);
        assertThat(lastMetrics().dailyPnl()).isEqualByComparingTo("5");
        position("main", "binance", BTC, "1", "100", "120", "20", "0", "120", null, null, T0 + 26 * HOUR);
        RiskMetrics m = lastMetrics();
        assertThat(m.dailyPnl()).isEqualByComparingTo("-10");
        assertThat(m.totalPnl()).isEqualByComparingTo("20");
    }

    @Test
    void shouldKeepAccountsApartAndSumSymbolsAcrossExchanges() {
        deposit("a", "alice", "binance", "1000", T0);
        deposit("a", "alice", "coinbase", "2000", T0); // transfer ids are unique per exchange
        deposit("a", "bob", "binance", "500", T0); // and per account
        position("alice", "binance", BTC, "1", "100", "110", "10", "0", "110", 2.0, -1.0, T0 + 1);
        position("alice", "coinbase", BTC, "-2", "100", "105", "-10", "3", "210", 3.0, 0.5, T0 + 2);
        position("bob", "binance", BTC, "5", "100", "110", "50", "0", "550", 2.0, -1.0, T0 + 3);

        List<RiskMetricsSnapshot> all = metrics.readValuesToList();
        RiskMetricsSnapshot alice = all.get(4);
        RiskMetricsSnapshot bob = all.get(5);
        assertThat(alice.account()).isEqualTo("alice");
        assertThat(bob.account()).isEqualTo("bob");

        RiskMetrics a = alice.riskMetrics();
        // gross 110 + 210 = 320; net 110 − 210 = −100; equity (1000 + 0 + 10) + (2000 + 3 − 10) = 3003
        assertThat(a.totalExposure()).isEqualByComparingTo("320");
        assertThat(a.netExposure()).isEqualByComparingTo("-100");
        assertThat(a.totalEquity()).isEqualByComparingTo("3003");
        assertThat(a.totalPnl()).isEqualByComparingTo("3");
        var btc = a.symbolMetrics().get(BTC);
        assertThat(btc.exposure()).isEqualByComparingTo("320");
        assertThat(btc.netExposure()).isEqualByComparingTo("-100");
        assertThat(btc.unrealizedPnl()).isEqualByComparingTo("0");
        assertThat(btc.volatility()).isEqualTo(3.0);     // coinbase has the larger |volatility|
        assertThat(btc.priceMovePct()).isEqualTo(-1.0);  // binance has the larger |move|
        assertThat(a.exchangeMetrics()).containsOnlyKeys("binance", "coinbase");

        RiskMetrics b = bob.riskMetrics();
        assertThat(b.totalEquity()).isEqualByComparingTo("550"); // 500 + 50
        assertThat(b.totalExposure()).isEqualByComparingTo("550");
        assertThat(b.leverage()).isCloseTo(1.0, within(1e-15));
    }

    @Test
    void shouldLeaveFlatPositionsOutOfThePortfolioButKeepTheirRealizedPnl() {
        deposit("d1", "main", "binance", "1000", T0);
        position("main", "binance", "ETH/USDT", "0", "0", "2000", "0", "25.5", "0", null, null, T0 + 1);
        position("main", "binance", BTC, "1", "100", "100", "0", "0", "100", null, null, T0 + 2);

        PortfolioSnapshot p = portfolio.readValuesToList().get(1);
        assertThat(p.exchanges().get("binance").positions()).extracting(Position::symbol).containsExactly(BTC);
        assertThat(p.totalRealizedPnl()).isEqualByComparingTo("25.5");
        AccountsSnapshot.ExchangeAccount binance = accounts.readValuesToList().get(2).accounts().get("binance");
        assertThat(binance.balance()).isEqualByComparingTo("1025.5");
    }

    @Test
    void shouldApplyATransferOnceAndDeadLetterBadTransfers() {
        deposit("d1", "main", "binance", "1000", T0);
        deposit("d1", "main", "binance", "1000", T0);
        transfers.pipeInput("main", text("{\"transfer_id\":\"x\",\"account\":\"main\",\"exchange\":\"binance\",\"timestamp\":" + T0 + "}"), T0);
        transfers.pipeInput("main", transfer("z", "main", "binance", "0", T0), T0);
        transfers.pipeInput("bob", transfer("y", "main", "binance", "5", T0), T0);

        assertThat(accounts.readValuesToList()).singleElement()
                .satisfies(s -> assertThat(s.accounts().get("binance").balance()).isEqualByComparingTo("1000"));
        assertThat(deadLetters.readValuesToList()).extracting(DeadLetter::error).containsExactly(
                "missing field amount", "amount must not be 0", "key 'bob' does not match account 'main'");
    }
}
