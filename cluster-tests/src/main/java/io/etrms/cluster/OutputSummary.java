package io.etrms.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.etrms.model.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a run published on {@code positions} and {@code accounts}, reduced to what two runs over
 * the same inputs must agree on, whatever crashed in between:
 * <ul>
 *   <li>the last value of every position key, as published (exact JSON text);</li>
 *   <li>the fill history of every position: the sequence of its {@code (size, entry_price,
 *       realized_pnl, fees)} states. Each applied fill adds exactly one (its fee is &gt; 0, so
 *       {@code fees} always moves), a tick none; so the history shows a lost, repeated or
 *       re-ordered fill, which a last value alone might hide. Kept as a running SHA-256 and a
 *       length, and in full when asked (for readable failure messages on small runs);</li>
 *   <li>the last {@code accounts} field of every account (per-exchange balance, equity, PnL,
 *       position value, transfers, leverage).</li>
 * </ul>
 * Intermediate marks, the order of updates across instruments and the snapshots' own
 * {@code timestamp} legitimately differ between runs (they follow how fills and ticks of
 * different partitions interleave) and are not compared.
 */
public final class OutputSummary {

    private final boolean keepHistory;
    private final Map<String, String> lastPosition = new TreeMap<>();
    private final Map<String, History> histories = new TreeMap<>();
    private final Map<String, String> lastAccounts = new TreeMap<>();
    private long positionRecords;
    private long accountRecords;

    /** @param keepHistory keep every fill-history entry (small runs), not only the digest */
    public OutputSummary(boolean keepHistory) {
        this.keepHistory = keepHistory;
    }

    /** One record of {@code positions}: key {@code account|exchange|symbol}, value Position JSON. */
    public void position(String key, String json) {
        positionRecords++;
        lastPosition.put(key, json);
        if (json == null) {
            return;
        }
        JsonNode p = parse(json);
        String state = p.path("size").asText() + "|" + p.path("entry_price").asText() + "|"
                + p.path("realized_pnl").asText() + "|" + p.path("fees").asText();
        histories.computeIfAbsent(key, k -> new History(keepHistory)).offer(state);
    }

    /** One record of {@code accounts}: key account, value AccountsSnapshot JSON. */
    public void accounts(String account, String json) {
        accountRecords++;
        lastAccounts.put(account, json == null ? null : parse(json).path("accounts").toString());
    }

    /** A summary of committed {@code positions} and {@code accounts} values, per key in order. */
    public static OutputSummary of(Map<String, List<String>> positions, Map<String, List<String>> accounts, boolean keepHistory) {
        OutputSummary summary = new OutputSummary(keepHistory);
        positions.forEach((key, values) -> values.forEach(v -> summary.position(key, v)));
        accounts.forEach((key, values) -> values.forEach(v -> summary.accounts(key, v)));
        return summary;
    }

    public Map<String, String> lastPositions() {
        return lastPosition;
    }

    public Map<String, String> lastAccounts() {
        return lastAccounts;
    }

    public long positionRecords() {
        return positionRecords;
    }

    public long accountRecords() {
        return accountRecords;
    }

    /** Number of fills applied to the position {@code key} (length of its fill history). */
    public long fillsApplied(String key) {
        History h = histories.get(key);
        return h == null ? 0 : h.length;
    }

    /**
     * The positions whose last value is not yet marked by its instrument's closing tick. A tick
     * re-publishes its holders' positions (and their accounts' snapshots, in the same transaction)
     * at the next mark interval, not at once: a run has reached its final outputs when this is
     * empty, which can be up to {@code etrms.snapshot.mark.interval.ms} after its consumers caught up.
     */
    public List<String> notYetMarkedBy(List<DataSet.Input> closingTicks) {
        Map<String, Long> closing = new java.util.HashMap<>();
        for (DataSet.Input tick : closingTicks) {
            closing.put(tick.key(), parse(tick.json()).path("timestamp").asLong());
        }
        List<String> out = new ArrayList<>();
        lastPosition.forEach((key, json) -> {
            Long want = closing.get(key.substring(key.indexOf('|') + 1));
            if (want != null && json != null && parse(json).path("price_timestamp").asLong() != want) {
                out.add(key);
            }
        });
        return out;
    }

    /**
     * Every way {@code actual} differs from this (expected) summary, one line each; empty when
     * they agree. The number of lines is the drift.
     */
    public List<String> differencesFrom(OutputSummary actual) {
        List<String> out = new ArrayList<>();
        compareKeys("position", lastPosition, actual.lastPosition, out);
        for (Map.Entry<String, String> e : lastPosition.entrySet()) {
            String key = e.getKey();
            String got = actual.lastPosition.get(key);
            if (got != null && !got.equals(e.getValue())) {
                out.add("position " + key + ": last value " + got + ", expected " + e.getValue());
            }
            History want = histories.get(key);
            History have = actual.histories.get(key);
            if (want != null && have != null && !want.digest().equals(have.digest())) {
                out.add("position " + key + ": fill history of " + have.length + " states differs from the expected " + want.length
                        + (want.entries != null && have.entries != null ? firstDifference(want.entries, have.entries) : ""));
            }
        }
        compareKeys("account", lastAccounts, actual.lastAccounts, out);
        for (Map.Entry<String, String> e : lastAccounts.entrySet()) {
            String got = actual.lastAccounts.get(e.getKey());
            if (got != null && !got.equals(e.getValue())) {
                out.add("account " + e.getKey() + ": accounts " + got + ", expected " + e.getValue());
            }
        }
        return out;
    }

    private static void compareKeys(String what, Map<String, String> expected, Map<String, String> actual, List<String> out) {
        for (String key : expected.keySet()) {
            if (!actual.containsKey(key)) {
                out.add(what + " " + key + ": missing");
            }
        }
        for (String key : actual.keySet()) {
            if (!expected.containsKey(key)) {
                out.add(what + " " + key + ": not expected (value " + actual.get(key) + ")");
            }
        }
    }

    private static String firstDifference(List<String> expected, List<String> actual) {
        int n = Math.min(expected.size(), actual.size());
        for (int i = 0; i < n; i++) {
            if (!expected.get(i).equals(actual.get(i))) {
                return "; first at fill #" + (i + 1) + ": " + actual.get(i) + ", expected " + expected.get(i)
                        + " (size|entry|realized|fees)";
            }
        }
        return "; one is a prefix of the other";
    }

    private static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable output record: " + json, e);
        }
    }

    /** The distinct consecutive states of one position. */
    private static final class History {
        private final MessageDigest sha;
        private final List<String> entries;
        private String last;
        private long length;

        History(boolean keep) {
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            entries = keep ? new ArrayList<>() : null;
        }

        void offer(String state) {
            if (state.equals(last)) {
                return;
            }
            last = state;
            length++;
            sha.update(state.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) '\n');
            if (entries != null) {
                entries.add(state);
            }
        }

        String digest() {
            try {
                return HexFormat.of().formatHex(((MessageDigest) sha.clone()).digest());
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
