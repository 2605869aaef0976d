package io.etrms.streams.account;

import io.etrms.model.AccountsSnapshot;
import io.etrms.model.AccountsSnapshot.ExchangeAccount;
import io.etrms.model.Decimals;
import io.etrms.model.PortfolioSnapshot;
import io.etrms.model.PortfolioSnapshot.ExchangePositions;
import io.etrms.model.Position;
import io.etrms.model.RiskMetricsSnapshot;
import io.etrms.model.RiskMetricsSnapshot.ExchangeMetrics;
import io.etrms.model.RiskMetricsSnapshot.RiskMetrics;
import io.etrms.model.RiskMetricsSnapshot.SymbolMetrics;
import io.etrms.streams.breakers.DrawdownBasis;
import io.etrms.streams.breakers.SessionCalendar;
import io.etrms.streams.common.Lazy;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The account figures of docs/definitions.md ("Per account and exchange", "Per account over all
 * exchanges"), computed from an account's positions and ledger state after one input record.
 * Pure: no Kafka, no stores.
 */
public final class AccountCalculator {

    public static final String ACTIVE = "ACTIVE";

    private AccountCalculator() {
    }

    /**
     * Everything one input record produces for its account. The state and the risk metrics (which
     * the breakers need after every record) are computed at once; the portfolio and accounts
     * snapshots when first asked for (most are replaced by a later one before they are published).
     */
    public record Result(AccountState state, RiskMetricsSnapshot metrics, Lazy<PortfolioSnapshot> lazyPortfolio,
                         Lazy<AccountsSnapshot> lazyAccounts) {

        public PortfolioSnapshot portfolio() {
            return lazyPortfolio.get();
        }

        public AccountsSnapshot accounts() {
            return lazyAccounts.get();
        }
    }

    /**
     * @param positions every position of the account (flat ones included: their realized PnL counts)
     * @param state     the state before this record, with any transfer of this record already added
     *                  to {@code transfers}
     * @param transfer  the amount of this record's transfer (moves the peak), or zero
     * @param timestamp event time of this record, epoch ms
     * @param sessions  when the account's daily sessions start
     * @param basis     what the drawdown's peak is measured on
     */
    public static Result compute(String account, List<Position> positions, AccountState state, BigDecimal transfer, long timestamp,
                                 SessionCalendar sessions, DrawdownBasis basis) {
        Map<String, Totals> byExchange = new TreeMap<>();
        for (String exchange : state.transfers().keySet()) {
            byExchange.put(exchange, new Totals());
        }
        Map<String, List<Position>> openByExchange = new TreeMap<>();
        Map<String, SymbolTotals> bySymbol = new TreeMap<>();
        for (Position p : positions) {
            Totals t = byExchange.computeIfAbsent(p.exchange(), e -> new Totals());
            t.add(p);
            if (!p.isFlat()) {
                openByExchange.computeIfAbsent(p.exchange(), e -> new ArrayList<>()).add(p);
                bySymbol.computeIfAbsent(p.symbol(), s -> new SymbolTotals()).add(p);
            }
        }

        Totals all = new Totals();
        Map<String, Double> leverages = new TreeMap<>();
        Map<String, ExchangeMetrics> exchangeMetrics = new TreeMap<>();
        BigDecimal totalEquity = BigDecimal.ZERO;
        for (Map.Entry<String, Totals> e : byExchange.entrySet()) {
            Totals t = e.getValue();
            BigDecimal equity = Decimals.orZero(state.transfers().get(e.getKey())).add(t.realized).add(t.unrealized);
            Double leverage = ratio(t.notional, equity);
            leverages.put(e.getKey(), leverage);
            exchangeMetrics.put(e.getKey(), new ExchangeMetrics(n(t.notional), n(t.signedNotional), n(equity), n(t.unrealized), n(t.realized), leverage));
            all.merge(t);
            totalEquity = totalEquity.add(equity);
        }

        BigDecimal totalPnl = all.realized.add(all.unrealized);
        BigDecimal closedEquity = totalEquity.subtract(all.unrealized);
        Ledger ledger = ledger(state, totalEquity, closedEquity, totalPnl, transfer, timestamp, sessions, basis);
        AccountState next = ledger.state();
        BigDecimal dailyPnl = totalPnl.subtract(next.dayStartPnl());

        Map<String, SymbolMetrics> symbolMetrics = new TreeMap<>();
        bySymbol.forEach((symbol, s) -> symbolMetrics.put(symbol, s.metrics()));

        RiskMetrics metrics = new RiskMetrics(n(all.notional), n(all.signedNotional), n(totalEquity), n(next.peakEquity()), ledger.drawdown(),
                next.maxDrawdown(), n(totalPnl), n(dailyPnl), ratio(all.notional, totalEquity), ACTIVE, exchangeMetrics, symbolMetrics);

        return new Result(next, new RiskMetricsSnapshot(RiskMetricsSnapshot.TYPE, account, timestamp, metrics),
                new Lazy<>(() -> portfolio(account, timestamp, byExchange, openByExchange, all)),
                new Lazy<>(() -> accounts(account, timestamp, byExchange, state.transfers(), leverages)));
    }

    /** The ledger after a record, and the drawdown it leaves. */
    public record Ledger(AccountState state, double drawdown) {
    }

    /**
     * The ledger after a record: the day and its starting PnL, the peak and the drawdowns. The one
     * place these figures are computed (also without the rest of {@link #compute}).
     *
     * @param totalEquity  Σ (transfers + realized + unrealized) after the record
     * @param closedEquity Σ (transfers + realized) after the record: closed-trade equity
     * @param totalPnl     Σ (realized + unrealized) after the record
     * @param basis        the peak is the highest live equity ({@code EQUITY}) or closed-trade equity ({@code CLOSED});
     *                     the drawdown is live equity against it, 0 while live equity is above it
     */
    public static Ledger ledger(AccountState state, BigDecimal totalEquity, BigDecimal closedEquity, BigDecimal totalPnl,
                                BigDecimal transfer, long timestamp, SessionCalendar sessions, DrawdownBasis basis) {
        // Daily PnL: against the total PnL at the last record before the start of this record's session.
        long day = state.day();
        long end = state.sessionEnd();
        BigDecimal dayStart = state.dayStartPnl();
        if (day == Long.MIN_VALUE || state.newSessionAt(timestamp)) {
            dayStart = day == Long.MIN_VALUE ? BigDecimal.ZERO : state.lastTotalPnl();
            day = sessions.sessionOf(timestamp);
            end = sessions.startOf(day + 1);
        } // a record from an earlier session does not move the session back
        // Drawdown: the peak moves with transfers, so a withdrawal is not a loss.
        BigDecimal high = basis == DrawdownBasis.CLOSED ? closedEquity : totalEquity;
        BigDecimal peak = state.peakEquity() == null ? high : state.peakEquity().add(transfer).max(high);
        double drawdown = peak.signum() <= 0 || totalEquity.compareTo(peak) >= 0 ? 0.0
                : Decimals.ratio(peak.subtract(totalEquity), peak) * 100.0;
        double maxDrawdown = Math.max(state.maxDrawdown(), drawdown);
        return new Ledger(new AccountState(state.transfers(), peak, maxDrawdown, day, dayStart, totalPnl, end), drawdown);
    }

    private static PortfolioSnapshot portfolio(String account, long timestamp, Map<String, Totals> byExchange,
                                               Map<String, List<Position>> openByExchange, Totals all) {
        Map<String, ExchangePositions> exchanges = new TreeMap<>();
        for (Map.Entry<String, List<Position>> e : openByExchange.entrySet()) {
            List<Position> open = e.getValue();
            open.sort(Comparator.comparing(Position::symbol));
            Totals t = byExchange.get(e.getKey());
            exchanges.put(e.getKey(), new ExchangePositions(n(t.notional), n(t.unrealized), n(t.realized), List.copyOf(open)));
        }
        return new PortfolioSnapshot(PortfolioSnapshot.TYPE, account, timestamp, n(all.notional), n(all.unrealized), n(all.realized), exchanges);
    }

    private static AccountsSnapshot accounts(String account, long timestamp, Map<String, Totals> byExchange,
                                             Map<String, BigDecimal> transfersByExchange, Map<String, Double> leverages) {
        Map<String, ExchangeAccount> accounts = new TreeMap<>();
        for (Map.Entry<String, Totals> e : byExchange.entrySet()) {
            Totals t = e.getValue();
            BigDecimal transfers = Decimals.orZero(transfersByExchange.get(e.getKey()));
            BigDecimal balance = transfers.add(t.realized);
            BigDecimal equity = balance.add(t.unrealized);
            accounts.put(e.getKey(), new ExchangeAccount(n(balance), n(equity), n(t.unrealized), n(t.realized), n(t.notional), n(transfers),
                    leverages.get(e.getKey())));
        }
        return new AccountsSnapshot(AccountsSnapshot.TYPE, account, timestamp, accounts);
    }

    /** numerator / denominator as a double; null when the denominator is not positive. */
    static Double ratio(BigDecimal numerator, BigDecimal denominator) {
        if (denominator.signum() <= 0) {
            return null;
        }
        return Decimals.ratio(numerator, denominator);
    }

    private static BigDecimal n(BigDecimal value) {
        return Decimals.normalize(value);
    }

    private static final class Totals {
        BigDecimal realized = BigDecimal.ZERO;
        BigDecimal unrealized = BigDecimal.ZERO;
        BigDecimal notional = BigDecimal.ZERO;
        BigDecimal signedNotional = BigDecimal.ZERO;

        void add(Position p) {
            realized = realized.add(p.realizedPnl());
            unrealized = unrealized.add(p.unrealizedPnl());
            notional = notional.add(p.notional());
            signedNotional = signedNotional.add(p.size().signum() < 0 ? p.notional().negate() : p.notional());
        }

        void merge(Totals t) {
            realized = realized.add(t.realized);
            unrealized = unrealized.add(t.unrealized);
            notional = notional.add(t.notional);
            signedNotional = signedNotional.add(t.signedNotional);
        }
    }

    /** Per symbol across exchanges: sums, and the volatility figures of the exchange with the largest absolute value. */
    private static final class SymbolTotals {
        final Totals totals = new Totals();
        Double volatility;
        Double move;
        final TreeSet<String> exchanges = new TreeSet<>();

        void add(Position p) {
            totals.add(p);
            exchanges.add(p.exchange());
            volatility = largestAbsolute(volatility, p.volatility());
            move = largestAbsolute(move, p.priceMovePct());
        }

        SymbolMetrics metrics() {
            return new SymbolMetrics(n(totals.notional), n(totals.signedNotional), n(totals.unrealized),
                    volatility == null ? 0.0 : volatility, move == null ? 0.0 : move);
        }

        private static Double largestAbsolute(Double current, Double candidate) {
            if (candidate == null) {
                return current;
            }
            return current == null || Math.abs(candidate) > Math.abs(current) ? candidate : current;
        }
    }
}
