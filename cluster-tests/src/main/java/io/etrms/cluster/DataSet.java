package io.etrms.cluster;

import io.etrms.model.Fill;
import io.etrms.model.Json;
import io.etrms.model.Keys;
import io.etrms.model.PriceTick;
import io.etrms.model.RiskLimits;
import io.etrms.model.Transfer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.utils.Utils;

/**
 * A fixed market data set: the same {@link Spec} (seed included) always gives the same records,
 * byte for byte. Deposits for every account on every exchange, then fills and price ticks on a
 * seeded random walk, transfers in between, and re-sent fills (exchanges re-send; each must count
 * once). Ends with one closing tick per instrument, kept apart in {@link #closingTicks()}: sent
 * after every fill has been processed, they fix the final mark of every position, so that the
 * final positions do not depend on how a live run happened to interleave fills and ticks.
 *
 * <p>No position ends flat: a flat position is not re-marked by ticks, so its last published
 * price would depend on that interleaving. Where the random walk leaves one at exactly 0, one more
 * small buy is added.
 *
 * <p>With {@link Breaches}, the data set also trips circuit breakers, and only where planned (see
 * there): {@link #limits()} are the {@code risk-limits} records to publish before the data.
 */
public final class DataSet {

    /**
     * 2025-11-03T00:00:00Z: the default event-time origin, in the past. Event times may lie any time
     * in the past, but not more than a day past the wall clock when stage 1 reads them
     * ({@code Validation.MAX_FUTURE_MS}: such a fill is dead-lettered), so a long data set must end
     * before that (see {@link Spec#startingAt} and {@link #lastEventTime}).
     */
    public static final long T0 = 1_762_128_000_000L;
    /** Event time between two records. */
    public static final long STEP_MS = 100;

    private static final BigDecimal DEPOSIT = new BigDecimal("1000000");
    private static final BigDecimal FEE_RATE = new BigDecimal("0.0004");

    /**
     * What to generate.
     *
     * @param accounts      account ids
     * @param exchanges     exchange ids
     * @param symbols       symbols with their start price; every symbol trades on every exchange
     * @param fills         number of distinct fills
     * @param ticksPerFill  price ticks per fill on average
     * @param duplicateRate share of fills sent a second time, later (0–1)
     * @param transfers     deposits and withdrawals spread over the run, besides the initial deposits
     * @param seed          seed of the one random generator
     * @param startMillis   event time of the first record; each record is {@link #STEP_MS} after the one before
     */
    public record Spec(List<String> accounts, List<String> exchanges, Map<String, BigDecimal> symbols, int fills,
                       double ticksPerFill, double duplicateRate, int transfers, long seed, long startMillis) {
        public Spec {
            accounts = List.copyOf(accounts);
            exchanges = List.copyOf(exchanges);
            symbols = new LinkedHashMap<>(symbols);
        }

        /** The same data set shifted in event time: only {@code startMillis} differs (the generator never reads the time). */
        public Spec startingAt(long millis) {
            return new Spec(accounts, exchanges, symbols, fills, ticksPerFill, duplicateRate, transfers, seed, millis);
        }
    }

    /**
     * Circuit-breaker trips planted in the data set, so that which alerts a run publishes, and in
     * which order, follow from the data alone, whatever a live run's timing:
     * <ul>
     *   <li>the {@code *} risk-limits record switches every condition and every early warning off
     *       for every account (the wall-clock {@code stale_price} included), so the random walk
     *       trips and warns nothing;</li>
     *   <li>each account of {@code accounts} gets {@code max_position_notional} = {@code limit}
     *       (above any notional the random walk reaches) and {@code cooldown_seconds} =
     *       {@code cooldownSeconds};</li>
     *   <li>for each {@link Episode}, that account buys {@code quantity} of one instrument
     *       ({@code exchange}, {@code symbol}) once {@code tripAt} of the fills are generated, far
     *       beyond the limit, and sells the same quantity back once {@code clearAt} of them are:
     *       its notional falls far below 90 % of the limit. Each episode so publishes exactly one
     *       {@code circuit_breaker} and one {@code circuit_breaker_cleared} alert of
     *       {@code max_position_notional} for that instrument, and the alerts of an account all
     *       come from one position, whose fills stage 1 applies in order.</li>
     * </ul>
     * The margins (how far the planted fills are from the limit and from 90 % of it) make the trips
     * independent of how ticks and fills interleave; {@code ClusterFailoverTest} checks against the
     * reference run that they hold for its data set. For a live run to publish the clean run's
     * alerts, {@code cooldownSeconds} must be 0: a cooldown runs on the account's event clock (the
     * largest timestamp it has seen), and in a live run with a failover stage 1 can apply an
     * instrument's ticks well ahead of its fills, so that clock runs ahead, a re-arm comes later than
     * in the clean run, and the next trip of the still-tripped breaker is silent.
     */
    public record Breaches(List<String> accounts, String exchange, String symbol, BigDecimal quantity, BigDecimal limit,
                           long cooldownSeconds, List<Episode> episodes) {
        public Breaches {
            accounts = List.copyOf(accounts);
            episodes = List.copyOf(episodes);
            for (int i = 1; i < episodes.size(); i++) {
                if (episodes.get(i).tripAt() <= episodes.get(i - 1).clearAt()) {
                    throw new IllegalArgumentException("episodes must follow one another: " + episodes);
                }
            }
        }

        /** Alerts each account of {@link #accounts()} must publish: a trip and a clearing per episode. */
        public int alertsPerAccount() {
            return 2 * episodes.size();
        }
    }

    /** One trip and its clearing, as shares (0–1) of the fills generated before each. */
    public record Episode(double tripAt, double clearAt) {
        public Episode {
            if (!(0 < tripAt && tripAt < clearAt && clearAt < 1)) {
                throw new IllegalArgumentException("need 0 < tripAt < clearAt < 1");
            }
        }
    }

    /**
     * One input record as a producer sends it.
     *
     * @param topic suffix of the topic name: {@code fills}, {@code prices}, {@code transfers} or {@code risk-limits}
     * @param key   Kafka key ({@code exchange|symbol} or account)
     * @param json  the value
     */
    public record Input(String topic, String key, String json) {
        public byte[] value() {
            return json.getBytes(StandardCharsets.UTF_8);
        }
    }

    private final Spec spec;
    private final List<Input> limits;
    private final List<Input> records;
    private final List<Input> closingTicks;
    private final int fills;
    private final int duplicates;
    private final int ticks;
    private final int transfers;
    private final long lastEventTime;

    private DataSet(Spec spec, List<Input> limits, List<Input> records, List<Input> closingTicks, int fills, int duplicates, int ticks,
                    int transfers, long lastEventTime) {
        this.spec = spec;
        this.lastEventTime = lastEventTime;
        this.limits = List.copyOf(limits);
        this.records = List.copyOf(records);
        this.closingTicks = List.copyOf(closingTicks);
        this.fills = fills;
        this.duplicates = duplicates;
        this.ticks = ticks;
        this.transfers = transfers;
    }

    /**
     * The test default: 4 accounts (at least one per partition), 2 exchanges, 3 symbols, a tick per
     * fill on average, 2 % of the fills re-sent, 8 transfers besides the deposits.
     */
    public static Spec spec(int partitions, int fills, long seed, long startMillis) {
        Map<String, BigDecimal> symbols = new LinkedHashMap<>();
        symbols.put("BTC/USDT:USDT", new BigDecimal("65000"));
        symbols.put("ETH/USDT", new BigDecimal("3200"));
        symbols.put("SOL/USDT", new BigDecimal("150"));
        return new Spec(accountsCovering(partitions, Math.max(partitions, 4)), List.of("binance", "coinbase"), symbols,
                fills, 1.0, 0.02, 8, seed, startMillis);
    }

    /**
     * {@code count} account ids ({@code acct-NN}) such that together they hash to every one of
     * {@code partitions} partitions (Kafka's default partitioner, which ETRMS' account partitioning
     * follows), as far as {@code count} allows: a test then has an account on every task.
     */
    public static List<String> accountsCovering(int partitions, int count) {
        List<String> chosen = new ArrayList<>();
        BitSet covered = new BitSet(partitions);
        for (int i = 1; chosen.size() < count && i < 10_000; i++) {
            String account = String.format("acct-%02d", i);
            int partition = Utils.toPositive(Utils.murmur2(account.getBytes(StandardCharsets.UTF_8))) % partitions;
            if (!covered.get(partition) || covered.cardinality() == partitions) {
                covered.set(partition);
                chosen.add(account);
            }
        }
        return chosen;
    }

    public static DataSet generate(Spec spec) {
        return generate(spec, null);
    }

    /** As {@link #generate(Spec)}, with the planned trips of {@code breaches} (null: none; the same records as without). */
    public static DataSet generate(Spec spec, Breaches breaches) {
        Random random = new Random(spec.seed());
        List<Input> limits = new ArrayList<>();
        List<long[]> planted = new ArrayList<>();
        if (breaches != null) {
            if (!spec.accounts().containsAll(breaches.accounts()) || !spec.exchanges().contains(breaches.exchange())
                    || !spec.symbols().containsKey(breaches.symbol())) {
                throw new IllegalArgumentException("breaches must use the spec's accounts and instruments");
            }
            // Every condition and every warning off for every account (a random walk near 80 % of the
            // notional limit would warn at an order-dependent record); the planted accounts get their notional limit back.
            limits.add(limits(Keys.DEFAULT_LIMITS, new RiskLimits(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, null, 0L, null, 0.0, null, null, null, null, null, null)));
            for (String account : breaches.accounts()) {
                limits.add(limits(account, new RiskLimits(null, null, null, null, breaches.limit().doubleValue(), null, null, null,
                        breaches.cooldownSeconds())));
            }
            // {fill count at which it is sent, +1 buy / -1 sell}, in order
            for (Episode e : breaches.episodes()) {
                planted.add(new long[] {(long) (e.tripAt() * spec.fills()), 1});
                planted.add(new long[] {(long) (e.clearAt() * spec.fills()), -1});
            }
            planted.sort(java.util.Comparator.comparingLong(p -> p[0]));
        }
        int plantedSent = 0;
        int plantedFills = 0;
        List<Input> out = new ArrayList<>();
        long t = spec.startMillis();

        for (String account : spec.accounts()) {
            for (String exchange : spec.exchanges()) {
                out.add(transfer(new Transfer("deposit-" + account + "-" + exchange, account, exchange, DEPOSIT, t += STEP_MS)));
            }
        }

        List<String[]> instruments = new ArrayList<>();
        Map<String, BigDecimal> prices = new LinkedHashMap<>();
        for (String exchange : spec.exchanges()) {
            spec.symbols().forEach((symbol, price) -> {
                instruments.add(new String[] {exchange, symbol});
                prices.put(Keys.instrument(exchange, symbol), price);
            });
        }
        Map<String, BigDecimal> sizes = new LinkedHashMap<>();
        List<Input> sentFills = new ArrayList<>();
        int fillCount = 0;
        int tickCount = 0;
        int duplicateCount = 0;
        int transferCount = spec.accounts().size() * spec.exchanges().size();
        int transfersLeft = spec.transfers();
        int transferEvery = spec.transfers() == 0 ? Integer.MAX_VALUE : Math.max(1, spec.fills() / (spec.transfers() + 1));
        double tickShare = spec.ticksPerFill() / (1 + spec.ticksPerFill());

        while (fillCount < spec.fills()) {
            while (plantedSent < planted.size() && planted.get(plantedSent)[0] <= fillCount) {
                boolean buy = planted.get(plantedSent++)[1] > 0;
                String key = Keys.instrument(breaches.exchange(), breaches.symbol());
                BigDecimal price = prices.get(key).multiply(buy ? new BigDecimal("1.0002") : new BigDecimal("0.9998"))
                        .setScale(2, RoundingMode.HALF_EVEN);
                BigDecimal quantity = breaches.quantity();
                t += STEP_MS;
                for (String account : breaches.accounts()) {
                    out.add(fill(new Fill("breach-" + plantedFills++, account, breaches.exchange(), breaches.symbol(),
                            buy ? Fill.BUY : Fill.SELL, quantity, price, fee(quantity, price), t)));
                    sizes.merge(Keys.position(account, breaches.exchange(), breaches.symbol()), buy ? quantity : quantity.negate(),
                            BigDecimal::add);
                }
            }
            String[] instrument = instruments.get(random.nextInt(instruments.size()));
            String exchange = instrument[0];
            String symbol = instrument[1];
            String key = Keys.instrument(exchange, symbol);
            BigDecimal mid = prices.get(key);
            t += STEP_MS;
            if (random.nextDouble() < tickShare) {
                // Log-normal step of about 0.1 %, two decimals, never below a cent.
                double factor = Math.exp(random.nextGaussian() * 0.001);
                BigDecimal next = mid.multiply(BigDecimal.valueOf(factor)).setScale(2, RoundingMode.HALF_EVEN).max(new BigDecimal("0.01"));
                prices.put(key, next);
                out.add(tick(new PriceTick(exchange, symbol, next, t)));
                tickCount++;
                continue;
            }
            if (!sentFills.isEmpty() && random.nextDouble() < spec.duplicateRate()) {
                // An exchange re-sends a fill it already sent, as is.
                out.add(sentFills.get(sentFills.size() - 1 - random.nextInt(Math.min(50, sentFills.size()))));
                duplicateCount++;
                continue;
            }
            String account = spec.accounts().get(random.nextInt(spec.accounts().size()));
            boolean buy = random.nextBoolean();
            BigDecimal quantity = BigDecimal.valueOf(1 + random.nextInt(500), 3);
            BigDecimal price = mid.multiply(buy ? new BigDecimal("1.0002") : new BigDecimal("0.9998")).setScale(2, RoundingMode.HALF_EVEN);
            Input fill = fill(new Fill("f-" + fillCount, account, exchange, symbol, buy ? Fill.BUY : Fill.SELL, quantity, price,
                    fee(quantity, price), t));
            out.add(fill);
            sentFills.add(fill);
            sizes.merge(Keys.position(account, exchange, symbol), buy ? quantity : quantity.negate(), BigDecimal::add);
            fillCount++;

            if (transfersLeft > 0 && fillCount % transferEvery == 0) {
                String who = spec.accounts().get(random.nextInt(spec.accounts().size()));
                String where = spec.exchanges().get(random.nextInt(spec.exchanges().size()));
                BigDecimal amount = BigDecimal.valueOf(random.nextInt(20_001) - 10_000).add(new BigDecimal("0.5"));
                out.add(transfer(new Transfer("transfer-" + transferCount, who, where, amount, t += STEP_MS)));
                transferCount++;
                transfersLeft--;
            }
        }

        // No position may end flat (see the class comment).
        for (Map.Entry<String, BigDecimal> size : sizes.entrySet()) {
            if (size.getValue().signum() == 0) {
                String[] parts = size.getKey().split("\\|", 3);
                BigDecimal price = prices.get(Keys.instrument(parts[1], parts[2]));
                BigDecimal quantity = new BigDecimal("0.001");
                out.add(fill(new Fill("f-" + fillCount++, parts[0], parts[1], parts[2], Fill.BUY, quantity, price, fee(quantity, price), t += STEP_MS)));
            }
        }

        List<Input> closing = new ArrayList<>();
        for (String[] instrument : instruments) {
            String key = Keys.instrument(instrument[0], instrument[1]);
            BigDecimal close = prices.get(key).multiply(new BigDecimal("1.001")).setScale(2, RoundingMode.HALF_EVEN);
            closing.add(tick(new PriceTick(instrument[0], instrument[1], close, t += STEP_MS)));
            tickCount++;
        }
        return new DataSet(spec, limits, out, closing, fillCount + plantedFills, duplicateCount, tickCount, transferCount, t);
    }

    private static BigDecimal fee(BigDecimal quantity, BigDecimal price) {
        return quantity.multiply(price).multiply(FEE_RATE).setScale(6, RoundingMode.HALF_EVEN).max(new BigDecimal("0.000001"));
    }

    private static Input fill(Fill fill) {
        return new Input("fills", fill.instrumentKey(), Json.write(fill));
    }

    private static Input tick(PriceTick tick) {
        return new Input("prices", tick.instrumentKey(), Json.write(tick));
    }

    private static Input transfer(Transfer transfer) {
        return new Input("transfers", transfer.account(), Json.write(transfer));
    }

    private static Input limits(String key, RiskLimits limits) {
        return new Input("risk-limits", key, Json.write(limits));
    }

    public Spec spec() {
        return spec;
    }

    public List<String> accounts() {
        return spec.accounts();
    }

    /** The {@code risk-limits} records of the {@link Breaches} (empty without): to publish before any other record. */
    public List<Input> limits() {
        return limits;
    }

    /** Every record before the closing ticks, in the order a producer sends them. */
    public List<Input> records() {
        return records;
    }

    /** One last tick per instrument, to be sent once every fill has been processed. */
    public List<Input> closingTicks() {
        return closingTicks;
    }

    /** {@link #records()} then {@link #closingTicks()}. */
    public List<Input> all() {
        List<Input> all = new ArrayList<>(records);
        all.addAll(closingTicks);
        return all;
    }

    /** Distinct fills (re-sent copies not counted). */
    public int fills() {
        return fills;
    }

    /** Fills sent a second time. */
    public int duplicates() {
        return duplicates;
    }

    public int ticks() {
        return ticks;
    }

    /** Event time of the last record (the last closing tick). */
    public long lastEventTime() {
        return lastEventTime;
    }

    public int transfers() {
        return transfers;
    }

    @Override
    public String toString() {
        return String.format("%,d fills (+%,d re-sent), %,d ticks, %,d transfers", fills, duplicates, ticks, transfers);
    }
}
