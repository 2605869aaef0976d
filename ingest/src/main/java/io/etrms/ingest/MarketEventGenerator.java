package io.etrms.ingest;

import io.etrms.ingest.SimulatorOptions.SymbolSpec;
import io.etrms.model.Decimals;
import io.etrms.model.Fill;
import io.etrms.model.Keys;
import io.etrms.model.PriceTick;
import io.etrms.model.Transfer;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * The simulated market as a pure, endless sequence of input records in event-time order: no
 * Kafka, no clock, no threads. The same {@link SimulatorOptions} and start time always give the
 * same sequence ({@link java.util.Random} with the seed, {@link StrictMath} for the price model).
 *
 * <p>Order at the start: one deposit per account and exchange, then one price tick per instrument,
 * then one opening fill per account on every exchange (so every account holds positions on all
 * exchanges from its first second), then routine trading and the scenarios.
 *
 * <p>Prices: per symbol a random walk of the log price with {@code volatilityPct} per √second and a
 * weak pull back to the start price (half-life one hour), plus the price shocks of the scenarios;
 * per exchange a fixed premium of 2 bp × exchange index and 0.5 bp of noise. Routine fills: a random
 * instrument, 0.5–1.5 × {@code fillNotional}, filled passively (a buy at the last tick − half-spread,
 * a sell at + half-spread), leaning towards flat as the position nears {@code maxPositionNotional};
 * with the default 2 bp half-spread and 2 bp fee they cost nothing on average. Scenario trades cross
 * the spread (buy at + half-spread) and pay the fee; when a scenario ends, each account receives a
 * top-up deposit of exactly what its trades cost on each exchange, so a demo running for hours
 * does not bleed its equity away (a transfer moves the drawdown peak by the same amount, so it
 * neither causes nor hides a drawdown).
 */
public final class MarketEventGenerator implements Iterator<InputRecord> {

    private static final MathContext PRICE_DIGITS = new MathContext(8, RoundingMode.HALF_EVEN);
    private static final int QUANTITY_SCALE = 6;
    private static final int FEE_SCALE = 8;
    private static final double MEAN_REVERSION_PER_SECOND = StrictMath.log(2) / 3600;
    private static final double EXCHANGE_PREMIUM = 0.0002;
    private static final double EXCHANGE_NOISE = 0.00005;

    private final SimulatorOptions options;
    private final long startMillis;
    private final String runId;
    private final Random random;
    private final double stepMillis;
    private final double stepSeconds;
    private final Deque<InputRecord> buffer = new ArrayDeque<>();

    private final double[] walk;
    private final List<Shock> shocks = new ArrayList<>();
    /** Last published price per instrument key {@code exchange|symbol}. */
    private final Map<String, BigDecimal> lastPrice = new HashMap<>();
    /** Signed size per position key {@code account|exchange|symbol}. */
    private final Map<String, BigDecimal> positions = new HashMap<>();
    /** Instruments a scenario is using: routine trading leaves them alone. */
    private final Set<String> reserved = new HashSet<>();
    /** Fees and spread paid by scenario trades per {@code account|exchange}, refunded as a top-up when the scenario ends. */
    private final Map<String, BigDecimal> scenarioCosts = new HashMap<>();
    /** Instruments whose feed a scenario stopped. */
    private final Set<String> paused = new HashSet<>();
    private final PriorityQueue<Action> actions = new PriorityQueue<>(
            Comparator.comparingLong(Action::atMillis).thenComparingLong(Action::sequence));

    private long round;
    private long fillSequence;
    private long transferSequence;
    private long actionSequence;
    private double fillCredit;
    private int nextAccount;

    public MarketEventGenerator(SimulatorOptions options, long startMillis) {
        this.options = options;
        this.startMillis = startMillis;
        this.runId = Long.toString(startMillis, 36);
        this.random = new Random(options.seed());
        this.stepMillis = 1000.0 / options.ticksPerSecond();
        this.stepSeconds = 1.0 / options.ticksPerSecond();
        this.walk = new double[options.symbols().size()];
        if (!options.scenarios().isEmpty()) {
            scheduleScenarios(startMillis + options.scenarioSettings().firstAfter().toMillis());
        }
    }

    public long startMillis() {
        return startMillis;
    }

    /** Always true: the market never closes. */
    @Override
    public boolean hasNext() {
        return true;
    }

    @Override
    public InputRecord next() {
        while (buffer.isEmpty()) {
            generateRound();
        }
        return buffer.poll();
    }

    /** The next {@code n} records. */
    public List<InputRecord> next(int n) {
        List<InputRecord> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(next());
        }
        return out;
    }

    /** Signed position size the generator believes an account holds (its own fills summed). */
    public BigDecimal position(String account, String exchange, String symbol) {
        return positions.getOrDefault(Keys.position(account, exchange, symbol), BigDecimal.ZERO);
    }

    // ---------------------------------------------------------------- one round of ticks and fills

    private void generateRound() {
        long now = startMillis + (long) StrictMath.floor(round * stepMillis);
        shocks.removeIf(shock -> shock.isOverAt(now));
        if (round == 0) {
            deposits(now);
        } else {
            stepWalk();
        }
        ticks(now);
        if (round == 0) {
            openingFills(now);
        }
        while (!actions.isEmpty() && actions.peek().atMillis() <= now) {
            actions.poll().body().accept(now);
        }
        if (round > 0) {
            fillCredit += options.fillsPerSecond() * options.accounts().size() * stepSeconds;
            while (fillCredit >= 1) {
                fillCredit -= 1;
                String account = options.accounts().get(nextAccount);
                nextAccount = (nextAccount + 1) % options.accounts().size();
                routineFill(account, now);
            }
        }
        round++;
    }

    private void deposits(long now) {
        for (String account : options.accounts()) {
            for (String exchange : options.exchanges()) {
                transfer(account, exchange, options.initialDeposit(), now);
            }
        }
    }

    private void stepWalk() {
        double sigma = options.volatilityPct() / 100 * StrictMath.sqrt(stepSeconds);
        for (int s = 0; s < walk.length; s++) {
            walk[s] += -MEAN_REVERSION_PER_SECOND * walk[s] * stepSeconds + sigma * random.nextGaussian();
        }
    }

    private void ticks(long now) {
        List<String> exchanges = options.exchanges();
        List<SymbolSpec> symbols = options.symbols();
        for (int e = 0; e < exchanges.size(); e++) {
            for (int s = 0; s < symbols.size(); s++) {
                double noise = EXCHANGE_NOISE * random.nextGaussian();
                String key = Keys.instrument(exchanges.get(e), symbols.get(s).symbol());
                if (paused.contains(key)) {
                    continue;
                }
                double logMove = walk[s] + shock(s, now) + EXCHANGE_PREMIUM * e + noise;
                BigDecimal price = price(symbols.get(s).initialPrice().doubleValue() * StrictMath.exp(logMove));
                lastPrice.put(key, price);
                buffer.add(InputRecord.of(new PriceTick(exchanges.get(e), symbols.get(s).symbol(), price, now)));
            }
        }
    }

    private void openingFills(long now) {
        int symbols = options.symbols().size();
        for (String account : options.accounts()) {
            for (int e = 0; e < options.exchanges().size(); e++) {
                String symbol = options.symbols().get(e % symbols).symbol();
                tradeQuantity(account, options.exchanges().get(e), symbol,
                        quantityFor(options.fillNotional(), lastPrice.get(Keys.instrument(options.exchanges().get(e), symbol))), true, now);
            }
        }
    }

    private void routineFill(String account, long now) {
        List<String> candidates = new ArrayList<>();
        for (String exchange : options.exchanges()) {
            for (SymbolSpec symbol : options.symbols()) {
                String key = Keys.instrument(exchange, symbol.symbol());
                if (!reserved.contains(key) && !paused.contains(key)) {
                    candidates.add(key);
                }
            }
        }
        // draw the same random numbers whether or not a candidate exists, to keep runs aligned
        double pick = random.nextDouble();
        double sideDraw = random.nextDouble();
        double sizeDraw = random.nextDouble();
        if (candidates.isEmpty()) {
            return;
        }
        String key = candidates.get((int) (pick * candidates.size()));
        int bar = key.indexOf('|');
        String exchange = key.substring(0, bar);
        String symbol = key.substring(bar + 1);
        BigDecimal mid = lastPrice.get(key);
        BigDecimal notional = options.fillNotional().multiply(BigDecimal.valueOf(0.5 + sizeDraw));
        BigDecimal quantity = quantityFor(notional, mid);
        if (quantity.signum() == 0) {
            return;
        }
        BigDecimal size = position(account, exchange, symbol);
        double exposure = size.multiply(mid).doubleValue() / options.maxPositionNotional().doubleValue();
        double buyProbability = 0.5 - 0.4 * Math.max(-1, Math.min(1, exposure));
        boolean buy = sideDraw < buyProbability;
        BigDecimal after = buy ? size.add(quantity) : size.subtract(quantity);
        if (after.multiply(mid).abs().compareTo(options.maxPositionNotional()) > 0) {
            buy = !buy;
        }
        tradeQuantity(account, exchange, symbol, buy ? quantity : quantity.negate(), true, now);
    }

    // ---------------------------------------------------------------- primitives

    /**
     * Emits one fill of signed {@code quantity} at the last price: passive fills earn the
     * half-spread, aggressive ones pay it (and their cost is recorded for the top-up); no fill for 0.
     */
    private void tradeQuantity(String account, String exchange, String symbol, BigDecimal quantity, boolean passive, long now) {
        if (quantity.signum() == 0) {
            return;
        }
        BigDecimal mid = lastPrice.get(Keys.instrument(exchange, symbol));
        boolean buy = quantity.signum() > 0;
        boolean above = buy != passive;
        BigDecimal price = Decimals.normalize((above ? BigDecimal.ONE.add(options.halfSpread()) : BigDecimal.ONE.subtract(options.halfSpread()))
                .multiply(mid).round(PRICE_DIGITS));
        BigDecimal qty = quantity.abs();
        BigDecimal fee = Decimals.normalize(qty.multiply(price).multiply(options.feeRate()).setScale(FEE_SCALE, RoundingMode.HALF_UP));
        if (!passive) {
            scenarioCosts.merge(account + "|" + exchange, fee.add(price.subtract(mid).abs().multiply(qty)), BigDecimal::add);
        }
        String fillId = "sim-" + runId + "-f" + (++fillSequence);
        positions.merge(Keys.position(account, exchange, symbol), quantity, BigDecimal::add);
        buffer.add(InputRecord.of(new Fill(fillId, account, exchange, symbol, buy ? Fill.BUY : Fill.SELL, qty, price, fee, now)));
    }

    /** Trades the account's position in one instrument to {@code targetNotional} at the last price; 0 closes it exactly. */
    private void tradeToNotional(String account, String exchange, String symbol, BigDecimal targetNotional, long now) {
        BigDecimal current = position(account, exchange, symbol);
        BigDecimal target = targetNotional.signum() == 0 ? BigDecimal.ZERO
                : quantityFor(targetNotional, lastPrice.get(Keys.instrument(exchange, symbol)));
        tradeQuantity(account, exchange, symbol, target.subtract(current), false, now);
    }

    private void transfer(String account, String exchange, BigDecimal amount, long now) {
        String transferId = "sim-" + runId + "-t" + (++transferSequence);
        buffer.add(InputRecord.of(new Transfer(transferId, account, exchange, amount, now)));
    }

    private static BigDecimal quantityFor(BigDecimal notional, BigDecimal price) {
        BigDecimal q = notional.divide(price, QUANTITY_SCALE, RoundingMode.DOWN);
        return Decimals.normalize(q);
    }

    private static BigDecimal price(double value) {
        return Decimals.normalize(new BigDecimal(value, PRICE_DIGITS));
    }

    private double shock(int symbol, long now) {
        double total = 0;
        for (Shock shock : shocks) {
            if (shock.symbol() == symbol) {
                total += shock.logMoveAt(now);
            }
        }
        return total;
    }

    // ---------------------------------------------------------------- scenarios

    private void scheduleScenarios(long cycleStart) {
        ScenarioSettings settings = options.scenarioSettings();
        long at = cycleStart;
        for (Scenario scenario : options.scenarios()) {
            schedule(scenario, at);
            at += scenario.durationSeconds(settings) * 1000 + settings.gap().toMillis();
        }
        if (settings.repeats()) {
            long next = at - settings.gap().toMillis() + settings.repeatAfter().toMillis();
            at(next, 0, now -> scheduleScenarios(next));
        }
    }

    private void schedule(Scenario scenario, long t0) {
        ScenarioSettings s = options.scenarioSettings();
        BigDecimal deposit = options.initialDeposit();
        List<String> exchanges = options.exchanges();
        List<SymbolSpec> symbols = options.symbols();
        String firstExchange = exchanges.get(0);
        String lastExchange = exchanges.get(exchanges.size() - 1);
        switch (scenario) {
            case SPIKE -> {
                String symbol = symbols.get(0).symbol();
                at(t0, 0, now -> holdEveryAccount(firstExchange, symbol, times(deposit, s.spikeExposure()), now));
                at(t0, 5, now -> shocks.add(new Shock(0, now, 3_000, 15_000, 40_000, s.spikePct())));
                at(t0, 75, now -> {
                    releaseEveryAccount(firstExchange, symbol, now);
                    topUp(now);
                });
            }
            case CRASH -> {
                BigDecimal perPosition = times(deposit, s.crashExposure()).divide(BigDecimal.valueOf(symbols.size()), 2, RoundingMode.DOWN);
                at(t0, 0, now -> holdEverywhere(perPosition, now));
                at(t0, 5, now -> {
                    for (int i = 0; i < symbols.size(); i++) {
                        shocks.add(new Shock(i, now, 20_000, 40_000, 120_000, -s.crashPct()));
                    }
                });
                at(t0, 190, now -> {
                    releaseEverywhere(now);
                    topUp(now);
                });
            }
            case LARGE_POSITION -> {
                String symbol = symbols.get(1 % symbols.size()).symbol();
                at(t0, 0, now -> holdEveryAccount(lastExchange, symbol, times(deposit, s.largePositionExposure()), now));
                at(t0, 60, now -> {
                    releaseEveryAccount(lastExchange, symbol, now);
                    topUp(now);
                });
            }
            case OVER_LEVERAGE -> {
                BigDecimal perPosition = times(deposit, s.leverage()).divide(BigDecimal.valueOf(symbols.size()), 2, RoundingMode.DOWN);
                at(t0, 0, now -> holdEverywhere(perPosition, now));
                at(t0, 60, now -> {
                    releaseEverywhere(now);
                    topUp(now);
                });
            }
            case STALE_FEED -> {
                String symbol = symbols.get(symbols.size() - 1).symbol();
                String key = Keys.instrument(lastExchange, symbol);
                long silent = s.staleFeedSeconds();
                at(t0, 0, now -> holdEveryAccount(lastExchange, symbol, times(deposit, s.staleExposure()), now));
                at(t0, 5, now -> paused.add(key));
                at(t0, 5 + silent, now -> paused.remove(key));
                at(t0, 5 + silent + 10, now -> {
                    releaseEveryAccount(lastExchange, symbol, now);
                    topUp(now);
                });
            }
            default -> throw new IllegalStateException("unknown scenario " + scenario);
        }
    }

    /** Deposits what the scenario's trades cost in fees and spread, per account and exchange, rounded up to cents. */
    private void topUp(long now) {
        for (String account : options.accounts()) {
            for (String exchange : options.exchanges()) {
                BigDecimal cost = scenarioCosts.remove(account + "|" + exchange);
                if (cost != null && cost.signum() > 0) {
                    transfer(account, exchange, Decimals.normalize(cost.setScale(2, RoundingMode.UP)), now);
                }
            }
        }
    }

    private void holdEveryAccount(String exchange, String symbol, BigDecimal notional, long now) {
        reserved.add(Keys.instrument(exchange, symbol));
        for (String account : options.accounts()) {
            tradeToNotional(account, exchange, symbol, notional, now);
        }
    }

    private void releaseEveryAccount(String exchange, String symbol, long now) {
        for (String account : options.accounts()) {
            tradeToNotional(account, exchange, symbol, BigDecimal.ZERO, now);
        }
        reserved.remove(Keys.instrument(exchange, symbol));
    }

    private void holdEverywhere(BigDecimal notionalPerPosition, long now) {
        for (String exchange : options.exchanges()) {
            for (SymbolSpec symbol : options.symbols()) {
                holdEveryAccount(exchange, symbol.symbol(), notionalPerPosition, now);
            }
        }
    }

    private void releaseEverywhere(long now) {
        for (String exchange : options.exchanges()) {
            for (SymbolSpec symbol : options.symbols()) {
                releaseEveryAccount(exchange, symbol.symbol(), now);
            }
        }
    }

    private void at(long t0, long offsetSeconds, LongConsumer body) {
        actions.add(new Action(t0 + offsetSeconds * 1000, ++actionSequence, body));
    }

    private static BigDecimal times(BigDecimal amount, double multiple) {
        return amount.multiply(BigDecimal.valueOf(multiple));
    }

    private record Action(long atMillis, long sequence, LongConsumer body) {
    }

    /** A temporary price move of one symbol on every exchange: ramp, hold, linear recovery. */
    private record Shock(int symbol, long startMillis, long rampMillis, long holdMillis, long recoverMillis, double pct) {

        boolean isOverAt(long now) {
            return now > startMillis + rampMillis + holdMillis + recoverMillis;
        }

        double logMoveAt(long now) {
            double full = StrictMath.log1p(pct / 100);
            long t = now - startMillis;
            if (t <= 0) {
                return 0;
            }
            if (t < rampMillis) {
                return full * t / rampMillis;
            }
            t -= rampMillis;
            if (t <= holdMillis) {
                return full;
            }
            t -= holdMillis;
            return t < recoverMillis ? full * (1 - (double) t / recoverMillis) : 0;
        }
    }
}
