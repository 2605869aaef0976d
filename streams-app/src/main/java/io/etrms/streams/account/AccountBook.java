package io.etrms.streams.account;

import io.etrms.model.Keys;
import io.etrms.model.Position;
import io.etrms.streams.breakers.BreakerState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The account stage's stores as the processor of one task uses them: every write goes to the store
 * (and so to its changelog), and the values are also kept as objects, so a record does not read
 * back and parse the account's positions, ledger and breakers. The stores stay the truth: a book is
 * created empty at every (re)initialisation of the task and loads an account from the stores on
 * first use.
 */
final class AccountBook {

    private final KeyValueStore<String, Position> positions;
    private final KeyValueStore<String, AccountState> states;
    private final KeyValueStore<String, BreakerState> breakers;
    /** account → position key ({@code account|exchange|symbol}) → position, in key order like the store. */
    private final Map<String, TreeMap<String, Position>> positionCache = new HashMap<>();
    private final Map<String, AccountState> stateCache = new HashMap<>();
    private final Map<String, BreakerState> breakerCache = new HashMap<>();

    AccountBook(ProcessorContext<?, ?> context) {
        this.positions = context.getStateStore(AccountTopology.POSITIONS_STORE);
        this.states = context.getStateStore(AccountTopology.STATE_STORE);
        this.breakers = context.getStateStore(AccountTopology.BREAKERS_STORE);
    }

    /** Every position of the account (flat ones included), in key order. */
    List<Position> positions(String account) {
        return new ArrayList<>(positionsOf(account).values());
    }

    Position position(String account, String key) {
        return positionsOf(account).get(key);
    }

    void putPosition(Position position) {
        positions.put(position.key(), position);
        positionsOf(position.account()).put(position.key(), position);
    }

    /** The account's ledger, or null before its first record. */
    AccountState state(String account) {
        if (stateCache.containsKey(account)) {
            return stateCache.get(account);
        }
        AccountState stored = states.get(account);
        stateCache.put(account, stored);
        return stored;
    }

    void putState(String account, AccountState state) {
        states.put(account, state);
        stateCache.put(account, state);
    }

    BreakerState breakers(String account) {
        BreakerState state = breakerCache.get(account);
        if (state == null) {
            state = breakers.get(account);
            state = state == null ? BreakerState.initial() : state;
            breakerCache.put(account, state);
        }
        return state;
    }

    void putBreakers(String account, BreakerState state) {
        breakers.put(account, state);
        breakerCache.put(account, state);
    }

    /** Every account with breaker state in this task, from the store. */
    List<String> accounts() {
        List<String> accounts = new ArrayList<>();
        try (KeyValueIterator<String, BreakerState> it = breakers.all()) {
            it.forEachRemaining(kv -> {
                accounts.add(kv.key);
                breakerCache.putIfAbsent(kv.key, kv.value);
            });
        }
        return accounts;
    }

    private TreeMap<String, Position> positionsOf(String account) {
        TreeMap<String, Position> cached = positionCache.get(account);
        if (cached == null) {
            cached = new TreeMap<>();
            try (KeyValueIterator<String, Position> it = positions.prefixScan(account + Keys.SEPARATOR, new StringSerializer())) {
                while (it.hasNext()) {
                    var kv = it.next();
                    cached.put(kv.key, kv.value);
                }
            }
            positionCache.put(account, cached);
        }
        return cached;
    }
}
