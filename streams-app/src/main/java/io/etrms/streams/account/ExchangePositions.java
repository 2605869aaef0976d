package io.etrms.streams.account;

import io.etrms.model.Keys;
import io.etrms.streams.breakers.BreakerState;
import io.etrms.streams.breakers.Condition;
import io.etrms.streams.breakers.ExchangePosition;
import io.etrms.streams.breakers.Limits;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The exchanges' latest position snapshots of this task's accounts (store
 * {@value AccountTopology#POSITION_SNAPSHOTS_STORE}, key {@code account|exchange|symbol}), with two
 * indexes kept in memory and rebuilt from the store when the task starts: which accounts have any
 * snapshot (every evaluation of an account without one skips the store), and which differences
 * are waiting out their grace period (the punctuation evaluates an account only when one of them
 * is due to trip).
 */
final class ExchangePositions {

    private static final StringSerializer KEYS = new StringSerializer();

    private final KeyValueStore<String, ExchangePosition> store;
    private final Set<String> accounts = new HashSet<>();
    /** account → position key → a snapshot whose difference has begun (differs_since set). */
    private final Map<String, Map<String, ExchangePosition>> differing = new HashMap<>();

    ExchangePositions(ProcessorContext<?, ?> context) {
        this.store = context.getStateStore(AccountTopology.POSITION_SNAPSHOTS_STORE);
        try (KeyValueIterator<String, ExchangePosition> it = store.all()) {
            it.forEachRemaining(kv -> index(kv.key, kv.value));
        }
    }

    ExchangePosition get(String positionKey) {
        return accounts.contains(Keys.accountOf(positionKey)) ? store.get(positionKey) : null;
    }

    void put(String positionKey, ExchangePosition value) {
        store.put(positionKey, value);
        index(positionKey, value);
    }

    /** The account's snapshots, one per instrument (none without a store read for an account that has none). */
    List<ExchangePosition> of(String account) {
        if (!accounts.contains(account)) {
            return List.of();
        }
        List<ExchangePosition> out = new ArrayList<>();
        try (KeyValueIterator<String, ExchangePosition> it = store.prefixScan(account + Keys.SEPARATOR, KEYS)) {
            it.forEachRemaining(kv -> out.add(kv.value));
        }
        return out;
    }

    /**
     * Whether a difference of the account, still beyond the tolerance, has lasted its grace period
     * at {@code eventClock} with its breaker not yet tripped: the punctuation must evaluate it, as no
     * record may come to do so.
     *
     * @param ourSize our size of a position key (0 when we hold none)
     */
    boolean due(String account, BreakerState state, Limits limits, long eventClock, Function<String, BigDecimal> ourSize) {
        Map<String, ExchangePosition> pending = differing.get(account);
        Double tolerance = limits.limitOf(Condition.RECONCILIATION);
        if (pending == null || tolerance == null) {
            return false;
        }
        for (Map.Entry<String, ExchangePosition> e : pending.entrySet()) {
            ExchangePosition x = e.getValue();
            boolean tripped = state.tripped().containsKey(BreakerState.key(Condition.RECONCILIATION, x.exchange(), x.symbol()));
            if (!tripped && eventClock - x.differsSince() >= limits.reconciliationGraceMs()
                    && differs(ourSize.apply(e.getKey()), x, tolerance)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code our} size and the snapshot's differ by more than {@code tolerance}. */
    static boolean differs(BigDecimal our, ExchangePosition x, double tolerance) {
        return our.subtract(x.size()).abs().compareTo(BigDecimal.valueOf(tolerance)) > 0;
    }

    private void index(String positionKey, ExchangePosition value) {
        String account = Keys.accountOf(positionKey);
        accounts.add(account);
        if (value.differsSince() != null) {
            differing.computeIfAbsent(account, a -> new HashMap<>()).put(positionKey, value);
        } else {
            Map<String, ExchangePosition> pending = differing.get(account);
            if (pending != null && pending.remove(positionKey) != null && pending.isEmpty()) {
                differing.remove(account);
            }
        }
    }
}
