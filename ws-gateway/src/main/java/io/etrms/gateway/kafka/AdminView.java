package io.etrms.gateway.kafka;

import io.etrms.model.AccountGroup;
import io.etrms.model.AuditRecord;
import io.etrms.model.RiskControl;
import io.etrms.model.TradingState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The gateway's latest view of what operators change, rebuilt by {@link AdminTopicReader} from the
 * topics on every start: the latest value per key of {@code risk-limits}, {@code account-groups}
 * and {@code group-limits} (the old values of the audit trail, and the members of a group), the
 * latest {@code maxTrail} records of {@code audit} by timestamp (served by {@code GET /api/v1/audit}), and the
 * controls waiting for a second approval (resets and set_state of HALTED accounts), derived from the audit records (so every instance sees
 * them, and a restart keeps them). Thread-safe: the reader writes, HTTP threads read.
 */
public final class AdminView {

    private final int maxTrail;
    private final Duration approvalTtl;
    private final Map<String, Map<String, Object>> riskLimits = new HashMap<>();
    private final Map<String, Map<String, Object>> accountGroups = new HashMap<>();
    private final Map<String, Map<String, Object>> groupLimits = new HashMap<>();
    private final Map<String, String> groupOfAccount = new HashMap<>();
    /**
     * Oldest first by timestamp; records of one time (a transaction's, which reach the reader from
     * several partitions in any order) by account or group, then id: the same order in every gateway.
     */
    private final TreeMap<TrailKey, AuditRecord> trail = new TreeMap<>();
    private long arrivals;
    /** First approvals by {@link #approvalKey}. */
    private final Map<String, AuditRecord> pending = new HashMap<>();

    public AdminView(int maxTrail, Duration approvalTtl) {
        this.maxTrail = maxTrail;
        this.approvalTtl = approvalTtl;
    }

    /**
     * The key of a control waiting for approval: the account and what the control does (a reset of
     * a condition, empty for every breaker; or the state set_state forces). Two approvals of one
     * change must agree on it.
     */
    public static String approvalKey(String account, String action, String conditionName, String state) {
        String what = RiskControl.RESET.equals(action) ? (conditionName == null ? "" : conditionName) : String.valueOf(state);
        return account + '|' + action + '|' + what;
    }

    /** Whether a control lowers a HALTED account (a reset, or set_state to another state) and so may need two approvals. */
    public static boolean lowersAHalt(String action, String state) {
        return RiskControl.RESET.equals(action) || (RiskControl.SET_STATE.equals(action) && !TradingState.HALTED.equals(state));
    }

    synchronized void onRiskLimits(String key, Map<String, Object> value) {
        put(riskLimits, key, value);
    }

    synchronized void onAccountGroup(String account, Map<String, Object> value) {
        put(accountGroups, account, value);
        Object group = value == null ? null : value.get("group");
        if (group instanceof String path) {
            groupOfAccount.put(account, path);
        } else {
            groupOfAccount.remove(account);
        }
    }

    synchronized void onGroupLimits(String group, Map<String, Object> value) {
        put(groupLimits, group, value);
    }

    synchronized void onAudit(AuditRecord record) {
        trail.put(new TrailKey(record.timestamp(), subject(record), record.auditId(), arrivals++), record);
        while (trail.size() > maxTrail) {
            trail.pollFirstEntry();
        }
        Map<String, Object> control = record.newValue();
        if (!AuditRecord.RISK_CONTROL.equals(record.kind()) || control == null || record.account() == null
                || !(control.get("action") instanceof String action) || !lowersAHalt(action, (String) control.get("state"))) {
            return;
        }
        String key = approvalKey(record.account(), action, (String) control.get("condition_name"), (String) control.get("state"));
        if (AuditRecord.PENDING_APPROVAL.equals(record.outcome())) {
            AuditRecord first = pending.get(key);
            if (first == null || expired(first, record.timestamp())) {
                pending.put(key, record);
            }
        } else if (AuditRecord.PUBLISHED.equals(record.outcome())) {
            pending.remove(key);
        }
    }

    private static void put(Map<String, Map<String, Object>> map, String key, Map<String, Object> value) {
        if (value == null) {
            map.remove(key);
        } else {
            map.put(key, value);
        }
    }

    private boolean expired(AuditRecord first, long now) {
        return now - first.timestamp() > approvalTtl.toMillis();
    }

    public synchronized Map<String, Object> riskLimits(String key) {
        return riskLimits.get(key);
    }

    public synchronized Map<String, Object> accountGroup(String account) {
        return accountGroups.get(account);
    }

    public synchronized Map<String, Object> groupLimits(String group) {
        return groupLimits.get(group);
    }

    /** The accounts in {@code group} or in a group below it, sorted. */
    public synchronized List<String> members(String group) {
        TreeSet<String> out = new TreeSet<>();
        groupOfAccount.forEach((account, path) -> {
            if (AccountGroup.lineage(path).contains(group)) {
                out.add(account);
            }
        });
        return List.copyOf(out);
    }

    /** The first approval of this control still waiting at {@code now} for its second, or null. */
    public synchronized AuditRecord pendingApproval(String account, String action, String conditionName, String state, long now) {
        AuditRecord first = pending.get(approvalKey(account, action, conditionName, state));
        return first == null || expired(first, now) ? null : first;
    }

    /** The latest {@code limit} audit records that {@code filter} accepts, oldest first. */
    public synchronized List<AuditRecord> trail(Predicate<AuditRecord> filter, int limit) {
        List<AuditRecord> out = new ArrayList<>();
        for (var it = trail.descendingMap().values().iterator(); it.hasNext() && out.size() < limit; ) {
            AuditRecord record = it.next();
            if (filter.test(record)) {
                out.add(record);
            }
        }
        java.util.Collections.reverse(out);
        return out;
    }

    public synchronized int trailSize() {
        return trail.size();
    }

    private static String subject(AuditRecord record) {
        return (record.account() == null ? "" : record.account()) + "|" + (record.group() == null ? "" : record.group());
    }

    private record TrailKey(long timestamp, String subject, String auditId, long arrival) implements Comparable<TrailKey> {
        private static final java.util.Comparator<TrailKey> ORDER = java.util.Comparator.comparingLong(TrailKey::timestamp)
                .thenComparing(TrailKey::subject).thenComparing(k -> k.auditId == null ? "" : k.auditId)
                .thenComparingLong(TrailKey::arrival);

        @Override
        public int compareTo(TrailKey other) {
            return ORDER.compare(this, other);
        }
    }
}
