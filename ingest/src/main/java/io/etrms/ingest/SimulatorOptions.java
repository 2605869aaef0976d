package io.etrms.ingest;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;

/**
 * What the {@link MarketSimulator} simulates: accounts, exchanges, symbols, rates, price dynamics,
 * sizes and the breaker {@link Scenario}s. Deterministic: the same options (seed included) and the
 * same start time give the same records.
 *
 * @param accounts            accounts that trade; each gets {@code initialDeposit} on every exchange
 * @param exchanges           exchange ids; every symbol is listed on every exchange
 * @param symbols             symbols with their start price
 * @param ticksPerSecond      price ticks per second per instrument (exchange × symbol)
 * @param fillsPerSecond      routine fills per second per account
 * @param volatilityPct       standard deviation of a symbol's log return over one second, in percent
 * @param initialDeposit      deposit per account and exchange, published before any fill
 * @param fillNotional        average notional of a routine fill (each is 0.5–1.5 × this)
 * @param maxPositionNotional routine trading keeps each position's notional under about this
 * @param feeRate             fee = quantity × price × feeRate (0.0002 = 2 bp)
 * @param halfSpread          distance of fills from the last tick: routine (passive) fills buy at
 *                            mid × (1 − halfSpread) and sell at mid × (1 + halfSpread); scenario
 *                            (aggressive) fills the other way round
 * @param scenarios           scenarios to play, in order; empty plays none
 * @param scenarioSettings    sizes and timing of the scenarios
 * @param seed                seed of the one random generator
 */
public record SimulatorOptions(
        List<String> accounts,
        List<String> exchanges,
        List<SymbolSpec> symbols,
        double ticksPerSecond,
        double fillsPerSecond,
        double volatilityPct,
        BigDecimal initialDeposit,
        BigDecimal fillNotional,
        BigDecimal maxPositionNotional,
        BigDecimal feeRate,
        BigDecimal halfSpread,
        List<Scenario> scenarios,
        ScenarioSettings scenarioSettings,
        long seed) {

    /** The default scenario mix: the first breaker trips about 25 s into the run, the crash at about 2 min. */
    public static final List<Scenario> DEFAULT_SCENARIOS = List.of(
            Scenario.SPIKE, Scenario.CRASH, Scenario.LARGE_POSITION, Scenario.OVER_LEVERAGE, Scenario.STALE_FEED);

    /**
     * A symbol and its price at the start of the run.
     *
     * @param symbol       e.g. {@code BTC/USDT:USDT}
     * @param initialPrice start price in quote currency, &gt; 0
     */
    public record SymbolSpec(String symbol, BigDecimal initialPrice) {
        public SymbolSpec {
            if (symbol == null || symbol.isBlank()) {
                throw new IllegalArgumentException("symbol must not be blank");
            }
            if (initialPrice == null || initialPrice.signum() <= 0) {
                throw new IllegalArgumentException("initial price of " + symbol + " must be > 0");
            }
        }
    }

    public SimulatorOptions {
        accounts = List.copyOf(accounts);
        exchanges = List.copyOf(exchanges);
        symbols = List.copyOf(symbols);
        scenarios = List.copyOf(scenarios);
        requireIds("account", accounts);
        requireIds("exchange", exchanges);
        if (symbols.isEmpty()) {
            throw new IllegalArgumentException("at least one symbol is needed");
        }
        if (new HashSet<>(symbols.stream().map(SymbolSpec::symbol).toList()).size() != symbols.size()) {
            throw new IllegalArgumentException("symbols must be distinct: " + symbols);
        }
        if (!(ticksPerSecond > 0) || Double.isInfinite(ticksPerSecond)) {
            throw new IllegalArgumentException("ticksPerSecond must be > 0, was " + ticksPerSecond);
        }
        if (!(fillsPerSecond >= 0) || Double.isInfinite(fillsPerSecond)) {
            throw new IllegalArgumentException("fillsPerSecond must be >= 0, was " + fillsPerSecond);
        }
        if (!(volatilityPct >= 0) || volatilityPct > 10) {
            throw new IllegalArgumentException("volatilityPct must be in [0, 10], was " + volatilityPct);
        }
        positive("initialDeposit", initialDeposit);
        positive("fillNotional", fillNotional);
        positive("maxPositionNotional", maxPositionNotional);
        if (feeRate == null || feeRate.signum() < 0) {
            throw new IllegalArgumentException("feeRate must be >= 0");
        }
        if (halfSpread == null || halfSpread.signum() < 0 || halfSpread.compareTo(new BigDecimal("0.1")) > 0) {
            throw new IllegalArgumentException("halfSpread must be in [0, 0.1]");
        }
        if (scenarioSettings == null) {
            throw new IllegalArgumentException("scenarioSettings must not be null");
        }
    }

    /**
     * The local default: account {@code main}; exchanges {@code binance} and {@code coinbase};
     * {@code BTC/USDT:USDT}, {@code ETH/USDT}, {@code SOL/USDT}, {@code DOGE/USDT}; 2 ticks/s per
     * instrument; 1 fill/s; 0.05 %/√s volatility; 100 000 deposited per exchange; fills of about
     * 2 000 with positions kept under 20 000; 2 bp fees, 2 bp half-spread; the
     * {@link #DEFAULT_SCENARIOS} mix, repeating; seed 42.
     */
    public static SimulatorOptions defaults() {
        return new SimulatorOptions(
                List.of("main"),
                List.of("binance", "coinbase"),
                List.of(new SymbolSpec("BTC/USDT:USDT", new BigDecimal("65000")),
                        new SymbolSpec("ETH/USDT", new BigDecimal("3200")),
                        new SymbolSpec("SOL/USDT", new BigDecimal("150")),
                        new SymbolSpec("DOGE/USDT", new BigDecimal("0.15"))),
                2.0,
                1.0,
                0.05,
                new BigDecimal("100000"),
                new BigDecimal("2000"),
                new BigDecimal("20000"),
                new BigDecimal("0.0002"),
                new BigDecimal("0.0002"),
                DEFAULT_SCENARIOS,
                ScenarioSettings.defaults(),
                42L);
    }

    public SimulatorOptions withAccounts(List<String> newAccounts) {
        return new SimulatorOptions(newAccounts, exchanges, symbols, ticksPerSecond, fillsPerSecond, volatilityPct,
                initialDeposit, fillNotional, maxPositionNotional, feeRate, halfSpread, scenarios, scenarioSettings, seed);
    }

    public SimulatorOptions withExchanges(List<String> newExchanges) {
        return new SimulatorOptions(accounts, newExchanges, symbols, ticksPerSecond, fillsPerSecond, volatilityPct,
                initialDeposit, fillNotional, maxPositionNotional, feeRate, halfSpread, scenarios, scenarioSettings, seed);
    }

    public SimulatorOptions withSymbols(List<SymbolSpec> newSymbols) {
        return new SimulatorOptions(accounts, exchanges, newSymbols, ticksPerSecond, fillsPerSecond, volatilityPct,
                initialDeposit, fillNotional, maxPositionNotional, feeRate, halfSpread, scenarios, scenarioSettings, seed);
    }

    public SimulatorOptions withRates(double newTicksPerSecond, double newFillsPerSecond) {
        return new SimulatorOptions(accounts, exchanges, symbols, newTicksPerSecond, newFillsPerSecond, volatilityPct,
                initialDeposit, fillNotional, maxPositionNotional, feeRate, halfSpread, scenarios, scenarioSettings, seed);
    }

    public SimulatorOptions withVolatilityPct(double newVolatilityPct) {
        return new SimulatorOptions(accounts, exchanges, symbols, ticksPerSecond, fillsPerSecond, newVolatilityPct,
                initialDeposit, fillNotional, maxPositionNotional, feeRate, halfSpread, scenarios, scenarioSettings, seed);
    }

    public SimulatorOptions withInitialDeposit(BigDecimal newInitialDeposit) {
        return new SimulatorOptions(accounts, exchanges, symbols, ticksPerSecond, fillsPerSecond, volatilityPct,
                newInitialDeposit, fillNotional, maxPositionNotional, feeRate, halfSpread, scenarios, scenarioSettings, seed);
    }

    public SimulatorOptions withSizes(BigDecimal newFillNotional, BigDecimal newMaxPositionNotional) {
        return new SimulatorOptions(accounts, exchanges, symbols, ticksPerSecond, fillsPerSecond, volatilityPct,
                initialDeposit, newFillNotional, newMaxPositionNotional, feeRate, halfSpread, scenarios, scenarioSettings, seed);
    }

    public SimulatorOptions withScenarios(List<Scenario> newScenarios) {
        return new SimulatorOptions(accounts, exchanges, symbols, ticksPerSecond, fillsPerSecond, volatilityPct,
                initialDeposit, fillNotional, maxPositionNotional, feeRate, halfSpread, newScenarios, scenarioSettings, seed);
    }

    public SimulatorOptions withScenarioSettings(ScenarioSettings newSettings) {
        return new SimulatorOptions(accounts, exchanges, symbols, ticksPerSecond, fillsPerSecond, volatilityPct,
                initialDeposit, fillNotional, maxPositionNotional, feeRate, halfSpread, scenarios, newSettings, seed);
    }

    public SimulatorOptions withSeed(long newSeed) {
        return new SimulatorOptions(accounts, exchanges, symbols, ticksPerSecond, fillsPerSecond, volatilityPct,
                initialDeposit, fillNotional, maxPositionNotional, feeRate, halfSpread, scenarios, scenarioSettings, newSeed);
    }

    /** The same options without any scenario: routine trading only. */
    public SimulatorOptions withoutScenarios() {
        return withScenarios(List.of());
    }

    private static void requireIds(String what, List<String> ids) {
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("at least one " + what + " is needed");
        }
        for (String id : ids) {
            if (id == null || id.isBlank() || id.indexOf('|') >= 0) {
                throw new IllegalArgumentException(what + " ids must be non-blank and free of '|': '" + id + "'");
            }
        }
        if (new HashSet<>(ids).size() != ids.size()) {
            throw new IllegalArgumentException(what + " ids must be distinct: " + ids);
        }
    }

    private static void positive(String name, BigDecimal value) {
        if (value == null || value.signum() <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, was " + value);
        }
    }
}
