package io.etrms.ingest;

import io.etrms.model.Fill;
import io.etrms.model.Keys;
import io.etrms.model.PriceTick;
import io.etrms.model.Transfer;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.HashMap;
import java.util.Map;

/**
 * The account arithmetic of docs/definitions.md, just enough to check what the simulator's
 * records do to an account (equity, leverage, position notional). Test helper.
 */
final class ReferenceLedger {

    private final Map<String, BigDecimal> size = new HashMap<>();
    private final Map<String, BigDecimal> entry = new HashMap<>();
    private final Map<String, BigDecimal> price = new HashMap<>();
    /** Σ transfers + Σ realized PnL (fees in) per account|exchange. */
    private final Map<String, BigDecimal> balance = new HashMap<>();

    void apply(InputRecord record) {
        if (record.value() instanceof PriceTick tick) {
            price.put(tick.instrumentKey(), tick.price());
        } else if (record.value() instanceof Transfer t) {
            balance.merge(t.account() + "|" + t.exchange(), t.amount(), BigDecimal::add);
        } else {
            fill((Fill) record.value());
        }
    }

    private void fill(Fill fill) {
        String key = Keys.position(fill.account(), fill.exchange(), fill.symbol());
        String accountExchange = fill.account() + "|" + fill.exchange();
        price.putIfAbsent(fill.instrumentKey(), fill.price());
        BigDecimal q = size.getOrDefault(key, BigDecimal.ZERO);
        BigDecimal e = entry.getOrDefault(key, BigDecimal.ZERO);
        BigDecimal d = fill.signedQuantity();
        BigDecimal realized = fill.fee().negate();
        if (q.signum() == 0 || q.signum() == d.signum()) {
            BigDecimal newSize = q.add(d);
            entry.put(key, q.multiply(e).add(d.multiply(fill.price())).divide(newSize, MathContext.DECIMAL128));
            size.put(key, newSize);
        } else {
            BigDecimal closed = d.abs().min(q.abs());
            realized = realized.add(fill.price().subtract(e).multiply(closed).multiply(BigDecimal.valueOf(q.signum())));
            BigDecimal newSize = q.add(d);
            size.put(key, newSize);
            if (newSize.signum() != 0 && newSize.signum() != q.signum()) {
                entry.put(key, fill.price());
            }
        }
        balance.merge(accountExchange, realized, BigDecimal::add);
    }

    BigDecimal size(String account, String exchange, String symbol) {
        return size.getOrDefault(Keys.position(account, exchange, symbol), BigDecimal.ZERO);
    }

    BigDecimal notional(String account, String exchange, String symbol) {
        BigDecimal current = price.get(Keys.instrument(exchange, symbol));
        return current == null ? BigDecimal.ZERO : size(account, exchange, symbol).abs().multiply(current);
    }

    BigDecimal equity(String account, String exchange) {
        BigDecimal equity = balance.getOrDefault(account + "|" + exchange, BigDecimal.ZERO);
        for (Map.Entry<String, BigDecimal> position : size.entrySet()) {
            String prefix = account + "|" + exchange + "|";
            if (position.getKey().startsWith(prefix) && position.getValue().signum() != 0) {
                BigDecimal current = price.get(position.getKey().substring(account.length() + 1));
                equity = equity.add(current.subtract(entry.get(position.getKey())).multiply(position.getValue()));
            }
        }
        return equity;
    }

    BigDecimal totalEquity(String account, Iterable<String> exchanges) {
        BigDecimal total = BigDecimal.ZERO;
        for (String exchange : exchanges) {
            total = total.add(equity(account, exchange));
        }
        return total;
    }

    BigDecimal grossExposure(String account) {
        BigDecimal gross = BigDecimal.ZERO;
        for (Map.Entry<String, BigDecimal> position : size.entrySet()) {
            if (position.getKey().startsWith(account + "|")) {
                gross = gross.add(position.getValue().abs().multiply(price.get(position.getKey().substring(account.length() + 1))));
            }
        }
        return gross;
    }
}
