package io.etrms.bench;

import io.etrms.model.Fill;
import io.etrms.model.Json;
import io.etrms.model.Keys;
import io.etrms.model.PriceTick;
import io.etrms.model.Topics;
import io.etrms.model.Transfer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Deterministic input records for the benchmarks: accounts that each trade a small book of
 * instruments (exchange × symbol), deposits, fills and price ticks, already serialized to the
 * JSON bytes the topology reads (so a benchmark times Kafka and the topology, not Jackson in the
 * load generator). The same seed gives the same records.
 *
 * <p>Each account trades {@code instrumentsPerAccount} instruments, spread so that every
 * instrument is held by about {@code accounts × instrumentsPerAccount / instruments} accounts.
 * That number matters: the topology re-marks every open position of an instrument on each tick.
 */
public final class TradeWorkload {

    private static final String[] EXCHANGES = {"binance", "okx", "bybit", "kraken", "coinbase", "deribit"};
    private static final String[] SYMBOLS = {"BTC/USDT:USDT", "ETH/USDT:USDT", "SOL/USDT:USDT", "XRP/USDT:USDT",
        "DOGE/USDT:USDT", "ADA/USDT:USDT", "AVAX/USDT:USDT", "LINK/USDT:USDT", "DOT/USDT:USDT", "LTC/USDT:USDT"};
    private static final BigDecimal DEPOSIT = new BigDecimal("10000000");
    private static final BigDecimal FEE_RATE = new BigDecimal("0.0004");

    private final Topics topics;
    private final int accounts;
    private final int instrumentsPerAccount;
    private final List<String> exchanges = new ArrayList<>();
    private final List<String> symbols = new ArrayList<>();
    private final double[] prices;
    private final SplittableRandom random;
    private long fillSequence;
    private long transferSequence;
    private int tickCursor;

    /**
     * @param accounts              trading accounts, named {@code bench-0 … bench-(n-1)}
     * @param exchanges             exchanges (at most 6)
     * @param symbolsPerExchange    symbols listed on every exchange
     * @param instrumentsPerAccount instruments each account trades
     */
    public TradeWorkload(Topics topics, int accounts, int exchanges, int symbolsPerExchange, int instrumentsPerAccount, long seed) {
        if (accounts < 1 || exchanges < 1 || exchanges > EXCHANGES.length || symbolsPerExchange < 1 || instrumentsPerAccount < 1) {
            throw new IllegalArgumentException("workload needs ≥1 account, 1–" + EXCHANGES.length + " exchanges, ≥1 symbol and ≥1 instrument per account");
        }
        this.topics = topics;
        this.accounts = accounts;
        for (int e = 0; e < exchanges; e++) {
            this.exchanges.add(EXCHANGES[e]);
        }
        for (int s = 0; s < symbolsPerExchange; s++) {
            this.symbols.add(s < SYMBOLS.length ? SYMBOLS[s] : "SYM" + s + "/USDT:USDT");
        }
        this.instrumentsPerAccount = Math.min(instrumentsPerAccount, instruments());
        this.prices = new double[instruments()];
        for (int i = 0; i < prices.length; i++) {
            prices[i] = 100.0 * (1 + i % symbolsPerExchange);
        }
        this.random = new SplittableRandom(seed);
    }

    public int accounts() {
        return accounts;
    }

    public int instruments() {
        return exchanges.size() * symbols.size();
    }

    public static String account(int index) {
        return "bench-" + index;
    }

    /** One deposit per account and exchange, so every account has equity before it trades. */
    public List<ProducerRecord<String, byte[]>> deposits(long timestamp) {
        List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
        for (int a = 0; a < accounts; a++) {
            for (String exchange : exchanges) {
                Transfer t = new Transfer("d" + (transferSequence++), account(a), exchange, DEPOSIT, timestamp);
                out.add(new ProducerRecord<>(topics.transfers.name(), t.account(), bytes(t)));
            }
        }
        return out;
    }

    /** A fill of a random account in one of its instruments: random side, 0.001–1 units, 4 bp fee. */
    public ProducerRecord<String, byte[]> randomFill(long timestamp) {
        int a = random.nextInt(accounts);
        int instrument = bookInstrument(a, random.nextInt(instrumentsPerAccount));
        BigDecimal quantity = BigDecimal.valueOf(1 + random.nextInt(1000), 3);
        return fill(a, instrument, random.nextBoolean() ? Fill.BUY : Fill.SELL, quantity, timestamp);
    }

    /**
     * The {@code sequence}-th fill of account {@code accountIndex} for the latency probe: a buy of
     * exactly 1 unit in book instrument {@code sequence % instrumentsPerAccount}, so the size of
     * that position counts its fills, and the first message showing size s reflects the
     * account's fill {@code (s − 1) × instrumentsPerAccount + j} in book instrument j.
     */
    public ProducerRecord<String, byte[]> unitBuy(int accountIndex, long sequence, long timestamp) {
        int instrument = bookInstrument(accountIndex, (int) (sequence % instrumentsPerAccount));
        return fill(accountIndex, instrument, Fill.BUY, BigDecimal.ONE, timestamp);
    }

    /** The next tick, round-robin over the instruments, each a small random walk step. */
    public ProducerRecord<String, byte[]> nextTick(long timestamp) {
        int i = tickCursor;
        tickCursor = (tickCursor + 1) % prices.length;
        prices[i] = prices[i] * Math.exp(random.nextGaussian() * 0.0005);
        PriceTick tick = new PriceTick(exchange(i), symbol(i), price(i), timestamp);
        return new ProducerRecord<>(topics.prices.name(), tick.instrumentKey(), bytes(tick));
    }

    private ProducerRecord<String, byte[]> fill(int accountIndex, int instrument, String side, BigDecimal quantity, long timestamp) {
        BigDecimal price = price(instrument);
        BigDecimal fee = quantity.multiply(price).multiply(FEE_RATE).setScale(6, RoundingMode.HALF_UP);
        Fill fill = new Fill("f" + (fillSequence++), account(accountIndex), exchange(instrument), symbol(instrument),
                side, quantity, price, fee, timestamp);
        return new ProducerRecord<>(topics.fills.name(), Keys.instrument(fill.exchange(), fill.symbol()), bytes(fill));
    }

    public int instrumentsPerAccount() {
        return instrumentsPerAccount;
    }

    /** {@code exchange|symbol} of the j-th instrument of account {@code accountIndex}'s book. */
    public String bookKey(int accountIndex, int j) {
        int instrument = bookInstrument(accountIndex, j);
        return Keys.instrument(exchange(instrument), symbol(instrument));
    }

    /** The j-th instrument of account a's book: books are spread evenly over the instruments. */
    private int bookInstrument(int a, int j) {
        int stride = Math.max(1, instruments() / instrumentsPerAccount);
        return (a + j * stride) % instruments();
    }

    private String exchange(int instrument) {
        return exchanges.get(instrument / symbols.size());
    }

    private String symbol(int instrument) {
        return symbols.get(instrument % symbols.size());
    }

    private BigDecimal price(int instrument) {
        return BigDecimal.valueOf(prices[instrument]).setScale(4, RoundingMode.HALF_UP);
    }

    private static byte[] bytes(Object value) {
        return Json.write(value).getBytes(StandardCharsets.UTF_8);
    }
}
