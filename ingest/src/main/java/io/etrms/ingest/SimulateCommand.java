package io.etrms.ingest;

import io.etrms.ingest.MarketSimulator.Pacing;
import io.etrms.ingest.SimulatorOptions.SymbolSpec;
import io.etrms.model.BuildInfo;
import io.etrms.model.EtrmsConfig;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code etrms-ingest simulate}: runs the {@link MarketSimulator} until Ctrl-C, a duration or a record count. */
@Command(name = "simulate", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class, sortOptions = false,
        description = {
                "Simulates exchanges: deposits, random-walk prices and fills around the mid, plus scenarios that trip each "
                        + "circuit breaker. Runs until Ctrl-C, --duration or --records.",
                "Scenarios: crash (max_drawdown, daily_loss), spike (volatility), stale-feed (stale_price), "
                        + "over-leverage (max_leverage, max_gross_exposure), large-position (max_position_notional)."},
        footer = {"", "Examples:",
                "  etrms-ingest simulate          (the local default: breakers trip within minutes)",
                "  etrms-ingest simulate --no-scenarios --accounts main,alt",
                "  etrms-ingest simulate --scenarios crash --scenario-start 5 --once",
                "  etrms-ingest simulate --no-scenarios --ticks-per-second 5000 \\",
                "      --as-fast-as-possible --records 1000000"})
final class SimulateCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;

    @Spec
    CommandSpec spec;

    @Option(names = "--accounts", split = ",", paramLabel = "ID", description = "Accounts that trade (default: main).")
    List<String> accounts;

    @Option(names = "--exchanges", split = ",", paramLabel = "ID", description = "Exchanges (default: binance,coinbase).")
    List<String> exchanges;

    @Option(names = "--symbols", split = ",", paramLabel = "SYMBOL=PRICE",
            description = "Symbols with start prices (default: BTC/USDT:USDT=65000,ETH/USDT=3200,SOL/USDT=150,DOGE/USDT=0.15).")
    LinkedHashMap<String, BigDecimal> symbols;

    @Option(names = "--ticks-per-second", paramLabel = "N", description = "Price ticks per second per instrument (default: 2).")
    Double ticksPerSecond;

    @Option(names = "--fills-per-second", paramLabel = "N", description = "Routine fills per second per account (default: 1).")
    Double fillsPerSecond;

    @Option(names = "--volatility-pct", paramLabel = "PCT", description = "Std. dev. of the 1-second log return, %% (default: 0.05).")
    Double volatilityPct;

    @Option(names = "--deposit", paramLabel = "AMOUNT", description = "Deposit per account and exchange (default: 100000).")
    BigDecimal deposit;

    @Option(names = "--fill-notional", paramLabel = "AMOUNT", description = "Average routine fill notional (default: 2000).")
    BigDecimal fillNotional;

    @Option(names = "--max-position-notional", paramLabel = "AMOUNT",
            description = "Routine trading keeps each position under about this notional (default: 20000).")
    BigDecimal maxPositionNotional;

    @Option(names = "--seed", paramLabel = "N", description = "Random seed (default: 42).")
    Long seed;

    @Option(names = "--scenarios", split = ",", paramLabel = "NAME",
            description = "Scenarios to play, in order (default: spike,crash,large-position,over-leverage,stale-feed).")
    List<String> scenarios;

    @Option(names = "--no-scenarios", description = "Routine trading only: no scenario.")
    boolean noScenarios;

    @Option(names = "--scenario-start", paramLabel = "SECONDS", description = "Seconds before the first scenario (default: 20).")
    Long scenarioStart;

    @Option(names = "--scenario-gap", paramLabel = "SECONDS", description = "Seconds between scenarios (default: 10).")
    Long scenarioGap;

    @Option(names = "--scenario-repeat", paramLabel = "SECONDS",
            description = "Seconds after the last scenario before the list plays again (default: 60).")
    Long scenarioRepeat;

    @Option(names = "--once", description = "Play the scenario list once.")
    boolean once;

    @Option(names = "--crash-pct", paramLabel = "PCT", description = "How far the crash takes every symbol down, %% (default: 30).")
    Double crashPct;

    @Option(names = "--spike-pct", paramLabel = "PCT", description = "How far the spike takes one symbol up, %% (default: 15).")
    Double spikePct;

    @Option(names = "--leverage", paramLabel = "X", description = "Notional per exchange in over-leverage, x deposit (default: 8).")
    Double leverage;

    @Option(names = "--large-position", paramLabel = "X", description = "Notional of the large position, x deposit (default: 2.5).")
    Double largePosition;

    @Option(names = "--stale-seconds", paramLabel = "SECONDS", description = "How long the stopped feed stays silent (default: 90).")
    Long staleSeconds;

    @Option(names = "--demo-desk", description = "First put the accounts in group demo/desk-1 and limit the firm demo (gross exposure "
            + "400000, daily loss 60000, session from 17:00 America/New_York), as the local default does.")
    boolean demoDesk;

    @Option(names = "--as-fast-as-possible", description = "Do not pace event time to the wall clock (benchmarks).")
    boolean unpaced;

    @Option(names = "--records", paramLabel = "N", description = "Stop after N records.")
    long records;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "Stop after this many seconds.")
    Long durationSeconds;

    @Override
    public Integer call() throws Exception {
        SimulatorOptions options = options();
        EtrmsConfig config = kafka.connect(Map.of());
        PrintWriter err = spec.commandLine().getErr();
        CountDownLatch shutdown = new CountDownLatch(1);
        MarketSimulator simulator = MarketSimulator.start(config, options, demoDesk ? DeskSetup.local() : null,
                unpaced ? Pacing.AS_FAST_AS_POSSIBLE : Pacing.REAL_TIME, records);
        Thread hook = new Thread(() -> {
            shutdown.countDown();
            simulator.close();
        }, "etrms-simulate-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        long started = System.nanoTime();
        long deadline = durationSeconds == null ? Long.MAX_VALUE : started + TimeUnit.SECONDS.toNanos(durationSeconds);
        long lastSent = 0;
        while (!simulator.awaitCompletion(Duration.ofSeconds(5)) && System.nanoTime() < deadline && shutdown.getCount() > 0) {
            long sent = simulator.sent();
            err.printf("simulate: %,d records sent (%,d acknowledged, %,d refused), %,.0f records/s%n",
                    sent, simulator.acknowledged(), simulator.failed(), (sent - lastSent) / 5.0);
            err.flush();
            lastSent = sent;
        }
        if (shutdown.getCount() == 0) {
            return 0; // Ctrl-C: the hook closes the simulator
        }
        Runtime.getRuntime().removeShutdownHook(hook);
        simulator.close();
        double seconds = (System.nanoTime() - started) / 1e9;
        err.printf("simulate: done, %,d records sent, %,d acknowledged, %,d refused in %.1f s (%,.0f records/s)%n",
                simulator.sent(), simulator.acknowledged(), simulator.failed(), seconds, simulator.sent() / seconds);
        err.flush();
        return simulator.failed() == 0 ? 0 : 1;
    }

    SimulatorOptions options() {
        SimulatorOptions o = SimulatorOptions.defaults();
        if (accounts != null) {
            o = o.withAccounts(accounts);
        }
        if (exchanges != null) {
            o = o.withExchanges(exchanges);
        }
        if (symbols != null) {
            List<SymbolSpec> specs = new ArrayList<>();
            symbols.forEach((symbol, price) -> specs.add(new SymbolSpec(symbol, price)));
            o = o.withSymbols(specs);
        }
        o = o.withRates(ticksPerSecond != null ? ticksPerSecond : o.ticksPerSecond(),
                fillsPerSecond != null ? fillsPerSecond : o.fillsPerSecond());
        if (volatilityPct != null) {
            o = o.withVolatilityPct(volatilityPct);
        }
        if (deposit != null) {
            o = o.withInitialDeposit(deposit);
        }
        o = o.withSizes(fillNotional != null ? fillNotional : o.fillNotional(),
                maxPositionNotional != null ? maxPositionNotional : o.maxPositionNotional());
        if (seed != null) {
            o = o.withSeed(seed);
        }
        if (noScenarios) {
            o = o.withoutScenarios();
        } else if (scenarios != null) {
            o = o.withScenarios(scenarios.stream().map(Scenario::fromLabel).toList());
        }
        ScenarioSettings s = o.scenarioSettings();
        s = new ScenarioSettings(
                crashPct != null ? crashPct : s.crashPct(), s.crashExposure(),
                spikePct != null ? spikePct : s.spikePct(), s.spikeExposure(),
                largePosition != null ? largePosition : s.largePositionExposure(),
                leverage != null ? leverage : s.leverage(), s.staleExposure(),
                staleSeconds != null ? staleSeconds : s.staleFeedSeconds(),
                scenarioStart != null ? Duration.ofSeconds(scenarioStart) : s.firstAfter(),
                scenarioGap != null ? Duration.ofSeconds(scenarioGap) : s.gap(),
                once ? null : scenarioRepeat != null ? Duration.ofSeconds(scenarioRepeat) : s.repeatAfter());
        return o.withScenarioSettings(s);
    }
}
