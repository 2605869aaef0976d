package io.etrms.streams.account;

import static io.etrms.streams.TestRecords.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.etrms.model.AccountsSnapshot;
import io.etrms.model.PortfolioSnapshot;
import io.etrms.model.Position;
import io.etrms.model.PositionChange;
import io.etrms.model.RiskMetricsSnapshot;
import io.etrms.model.Topics;
import io.etrms.model.Transfer;
import io.etrms.streams.breakers.Limits;
import io.etrms.streams.common.RiskLimitsStore;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * Snapshots held back by the snapshot interval live in memory only. A task that stops before they
 * go out (here: its processor is dropped, as a crash drops it) leaves the committed stores ahead of
 * the published snapshots; the next initialisation must publish every account's current snapshots.
 */
class SnapshotRepublishTest {

    private static final String BTC = "BTC/USDT:USDT";
    private static final long WALL0 = T0 + 86_400_000L;
    private static final Limits ALL_OFF = new Limits(0, 0, 0, 0, 0, 0, 60, 0, 60);

    private final Topics topics = Topics.defaults();
    private final List<StateStore> stores = List.of(
            Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(AccountTopology.POSITIONS_STORE), Serdes.String(),
                    AccountCodecs.POSITION).withLoggingDisabled().build(),
            Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(AccountTopology.MARKS_STORE), Serdes.String(),
                    AccountCodecs.MARK).withLoggingDisabled().build(),
            Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(AccountTopology.STATE_STORE), Serdes.String(),
                    AccountCodecs.STATE).withLoggingDisabled().build(),
            Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(AccountTopology.BREAKERS_STORE), Serdes.String(),
                    AccountCodecs.BREAKERS).withLoggingDisabled().build(),
            Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(AccountTopology.POSITION_SNAPSHOTS_STORE), Serdes.String(),
                    AccountCodecs.EXCHANGE_POSITION).withLoggingDisabled().build(),
            Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(AccountTopology.MEMBERSHIP_STORE), Serdes.String(),
                    AccountCodecs.MEMBERSHIP).withLoggingDisabled().build(),
            RiskLimitsStore.builder(AccountTopology.LIMITS_STORE).build(),
            io.etrms.streams.group.GroupLimitsStore.builder(AccountTopology.GROUP_LIMITS_STORE).build());

    private MockProcessorContext<String, Object> start(AccountProcessor processor, boolean initStores) {
        MockProcessorContext<String, Object> context = new MockProcessorContext<>();
        for (StateStore store : stores) {
            if (initStores) {
                store.init(context.getStateStoreContext(), store);
            }
            context.addStateStore(store);
        }
        context.setCurrentSystemTimeMs(WALL0);
        processor.init(context);
        return context;
    }

    private AccountProcessor processor() {
        return new AccountProcessor(AccountStage.settings(ALL_OFF).withSnapshotIntervals(Duration.ofMillis(20), Duration.ofSeconds(1)),
                new AtomicLong(), new java.util.concurrent.atomic.AtomicInteger(), io.etrms.streams.metrics.StageMetrics.unregistered("account"));
    }

    @Test
    void shouldPublishTheCurrentSnapshotsOfEveryAccountAfterARestartThatDroppedHeldOnes() {
        AccountProcessor first = processor();
        MockProcessorContext<String, Object> context = start(first, true);
        context.setRecordMetadata(topics.transfers.name(), 0, 0);
        first.process(new Record<>("main", new Transfer("d1", "main", "binance", new BigDecimal("1000"), T0), T0));
        // First record of the account: out at once (accounts and risk-metrics, no portfolio yet).
        assertThat(context.forwarded()).extracting(f -> f.childName().orElse(null))
                .containsExactly(AccountTopology.ACCOUNTS_SINK, AccountTopology.RISK_METRICS_SINK);
        context.resetForwards();

        // 0 ms later: the snapshots are held (the changed position itself goes out at once).
        // BTC bought at 100, marked at 110: unrealized (110 − 100) × 2 = 20, notional 220.
        Position btc = new Position("main", "binance", BTC, new BigDecimal("2"), new BigDecimal("100"), new BigDecimal("110"),
                new BigDecimal("20"), BigDecimal.ZERO, new BigDecimal("220"), BigDecimal.ZERO, 0.0, 0.0, T0 + 1000, T0 + 1000);
        context.setRecordMetadata(topics.accountUpdates.name(), 0, 0);
        first.process(new Record<>(btc.key(), new PositionChange(btc), T0 + 1000));
        assertThat(context.forwarded()).extracting(f -> f.childName().orElse(null)).containsExactly(AccountTopology.POSITIONS_SINK);

        // The task stops before its punctuation: the stores (committed) have the position, the topics do not.
        AccountProcessor restarted = processor();
        MockProcessorContext<String, Object> after = start(restarted, false);
        after.setCurrentSystemTimeMs(WALL0 + 5000);
        MockProcessorContext.CapturedPunctuator snapshotPunctuator = after.scheduledPunctuators().stream()
                .filter(p -> p.getType() == PunctuationType.WALL_CLOCK_TIME && p.getInterval().equals(Duration.ofMillis(20)))
                .findFirst().orElseThrow();
        snapshotPunctuator.getPunctuator().punctuate(WALL0 + 5000);

        List<Object> published = after.forwarded().stream().map(f -> f.record().value()).map(v -> (Object) v).toList();
        assertThat(published).hasSize(4);
        PortfolioSnapshot portfolio = (PortfolioSnapshot) published.get(0);
        assertThat(portfolio.totalPositionValue()).isEqualByComparingTo("220");
        assertThat(portfolio.totalUnrealizedPnl()).isEqualByComparingTo("20");
        assertThat(portfolio.timestamp()).isEqualTo(T0 + 1000);
        AccountsSnapshot accounts = (AccountsSnapshot) published.get(1);
        assertThat(accounts.accounts().get("binance").balance()).isEqualByComparingTo("1000");
        assertThat(accounts.accounts().get("binance").equity()).isEqualByComparingTo("1020");   // 1000 + 20
        RiskMetricsSnapshot metrics = (RiskMetricsSnapshot) published.get(2);
        assertThat(metrics.riskMetrics().totalEquity()).isEqualByComparingTo("1020");
        assertThat(metrics.riskMetrics().peakEquity()).isEqualByComparingTo("1020");
        assertThat(metrics.riskMetrics().tradingState()).isEqualTo("ACTIVE");
        assertThat(published.get(3)).isEqualTo(btc); // and the account's open positions

        // Only the first punctuation republishes: the next one has nothing to send.
        after.resetForwards();
        snapshotPunctuator.getPunctuator().punctuate(WALL0 + 5020);
        assertThat(after.forwarded()).isEmpty();
    }
}
