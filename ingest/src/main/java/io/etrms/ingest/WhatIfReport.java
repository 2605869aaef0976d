package io.etrms.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.etrms.model.Alert;
import io.etrms.model.Json;
import io.etrms.model.RiskMetricsSnapshot;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What {@code etrms-ingest whatif} found: per account, the alerts the candidate limits would have
 * raised in the window next to those that were raised, and the trading state each left at the
 * window's end. Written as JSON (snake_case, like every ETRMS document) and printed as a table.
 *
 * @param sourcePrefix            the topics replayed
 * @param replayPrefix            the temporary topics the replay ran on (deleted unless {@code topicsKept})
 * @param from                    the window's start, epoch ms, inclusive
 * @param to                      the window's end, epoch ms, exclusive
 * @param fromIso                 {@code from} as an ISO-8601 instant
 * @param toIso                   {@code to} as an ISO-8601 instant
 * @param candidateLimits         the limits file as read: key (account or {@code *}) to its risk-limits value
 * @param replayed                records copied into the replay per input topic (fills, prices, transfers)
 * @param skippedWithoutTimestamp input records in the topics whose value has no numeric {@code timestamp} (not replayed)
 * @param deadLetters             replayed records the topology refused (on the replay's dead-letters topic); a record
 *                                that was a dead letter in the history is one again
 * @param earlierRecords          per account, fills and transfers before {@code from} that the replay leaves out
 * @param ignoredConditions       conditions left out of both sides (wall-clock ones)
 * @param topicsKept              whether the temporary topics were kept ({@code --keep})
 * @param accounts                per account, what the replay did next to what happened
 */
public record WhatIfReport(
        String sourcePrefix,
        String replayPrefix,
        long from,
        long to,
        String fromIso,
        String toIso,
        Map<String, JsonNode> candidateLimits,
        Map<String, Long> replayed,
        long skippedWithoutTimestamp,
        long deadLetters,
        Map<String, EarlierRecords> earlierRecords,
        List<String> ignoredConditions,
        boolean topicsKept,
        Map<String, AccountComparison> accounts) {

    /**
     * Conditions the replay cannot judge: stale_price runs on the wall clock (what it did depends on
     * when the replay ran), reconciliation on the exchanges' position snapshots, which are not replayed.
     */
    public static final List<String> IGNORED_CONDITIONS = List.of(Alert.STALE_PRICE, Alert.RECONCILIATION);

    /** Accounts with records before the window named on the console (the JSON lists all). */
    static final int MAX_WARNINGS = 20;

    /** Records of an account before the window, which the replay does not carry in. */
    public record EarlierRecords(long fills, long transfers) {
    }

    /** One account: the replay ({@code what_if}) and the recorded history ({@code actual}). */
    public record AccountComparison(Side whatIf, Side actual) {
    }

    /**
     * @param alerts     the account's trips and clears in the window, in the order they were published
     * @param finalState the last risk-metrics of the account at the window's end; null when none is known
     */
    public record Side(List<AlertChange> alerts, FinalState finalState) {
    }

    /**
     * One alert, reduced to what two runs can be compared on.
     *
     * @param change        {@code trip}, {@code clear} or {@code warning} (an early warning)
     * @param scope         {@code *} for an account-wide breaker, else {@code exchange|symbol}
     * @param triggeredAt   epoch seconds, as the alert has it
     */
    public record AlertChange(String change, String conditionName, String scope, long triggeredAt, String action) {

        static AlertChange of(Alert alert) {
            String scope = Alert.ANY.equals(alert.exchange()) && Alert.ANY.equals(alert.symbol())
                    ? Alert.ANY : alert.exchange() + "|" + alert.symbol();
            String change = Alert.CLEARED.equals(alert.type()) ? "clear" : Alert.WARNED.equals(alert.type()) ? "warning" : "trip";
            return new AlertChange(change, alert.conditionName(), scope, alert.triggeredAt(), alert.action());
        }
    }

    /** The figures of a risk-metrics snapshot that say where the account ended. */
    public record FinalState(String tradingState, BigDecimal totalEquity, Double currentDrawdown, Double maxDrawdown, Long timestamp) {

        static FinalState of(RiskMetricsSnapshot snapshot) {
            RiskMetricsSnapshot.RiskMetrics m = snapshot.riskMetrics();
            return new FinalState(m.tradingState(), m.totalEquity(), m.currentDrawdown(), m.maxDrawdown(), snapshot.timestamp());
        }
    }

    /** Writes the report as indented JSON. */
    public void write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), this);
    }

    /** The table: per account, each side's alerts and the final trading states. */
    public void print(PrintWriter out) {
        out.printf("What-if replay of %s over [%s, %s): %d fills, %d prices, %d transfers (replayed on %s)%n", sourcePrefix,
                fromIso, toIso, replayed.getOrDefault("fills", 0L), replayed.getOrDefault("prices", 0L),
                replayed.getOrDefault("transfers", 0L), replayPrefix);
        if (skippedWithoutTimestamp > 0) {
            out.printf("  %d input records have no timestamp and were not replayed%n", skippedWithoutTimestamp);
        }
        if (deadLetters > 0) {
            out.printf("  %d replayed records were refused by the topology (dead letters)%n", deadLetters);
        }
        earlierRecords.entrySet().stream().limit(MAX_WARNINGS).forEach(e -> out.printf(
                "  warning: %s has %d fills and %d transfers before the window: the replay starts it flat with no balance%n",
                e.getKey(), e.getValue().fills(), e.getValue().transfers()));
        if (earlierRecords.size() > MAX_WARNINGS) {
            out.printf("  warning: and %d more accounts with records before the window (earlier_records in the JSON)%n",
                    earlierRecords.size() - MAX_WARNINGS);
        }
        if (accounts.isEmpty()) {
            out.println("  no account in the window");
        }
        String row = "  %-8s %-6s %-22s %-28s %-22s %s%n";
        accounts.forEach((account, comparison) -> {
            out.printf("%naccount %s%n", account);
            out.printf(row, "SIDE", "CHANGE", "CONDITION", "SCOPE", "TRIGGERED_AT", "ACTION");
            printSide(out, row, "what-if", comparison.whatIf());
            printSide(out, row, "actual", comparison.actual());
            out.printf("  final trading state: what-if %s, actual %s%n", state(comparison.whatIf()), state(comparison.actual()));
        });
        out.flush();
    }

    private static void printSide(PrintWriter out, String row, String side, Side s) {
        if (s.alerts().isEmpty()) {
            out.printf("  %-8s (no alert)%n", side);
        }
        for (AlertChange a : s.alerts()) {
            out.printf(row, side, a.change(), a.conditionName(), a.scope(), Instant.ofEpochSecond(a.triggeredAt()), a.action());
        }
    }

    private static String state(Side side) {
        FinalState f = side.finalState();
        return f == null ? "unknown" : f.tradingState() + " (drawdown " + f.currentDrawdown() + " %)";
    }
}
