package io.etrms.streams.account;

import io.etrms.model.AccountGroup;
import io.etrms.model.Alert;
import io.etrms.model.GroupAction;
import io.etrms.model.GroupUpdate;
import io.etrms.model.GroupUpdate.Contribution;
import io.etrms.model.RiskControl;
import io.etrms.model.RiskMetricsSnapshot.RiskMetrics;
import io.etrms.model.RiskMetricsSnapshot.SymbolMetrics;
import io.etrms.streams.breakers.BreakerState;
import io.etrms.streams.breakers.Condition;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Stage 2's side of the account groups: which group each account of the task belongs to (from
 * {@code account-groups}), its figures sent to each group of its lineage on {@code group-updates}
 * whenever they changed, and which groups' breaches trip its group breakers (from
 * {@code group-actions}).
 *
 * <ul>
 *   <li>Joining sends the account's current figures to every group of the new lineage; leaving
 *       sends a {@code left} record to every group of the old lineage that is not in the new one,
 *       so that stage 3 retracts exactly what the account contributed there.</li>
 *   <li>The figures go out after every evaluation that changed them (every fill, transfer and mark
 *       evaluated exactly) and with every published risk-metrics snapshot (the marks whose holders
 *       only got new figures: conflated like the snapshots, see docs/circuit-breakers.md "Groups").</li>
 *   <li>An account in two groups that both breach the same condition has one breaker of it: it
 *       trips with the first group's breach and re-arms when the last group re-arms.</li>
 * </ul>
 */
final class AccountGroups {

    private final ProcessorContext<String, Object> context;
    private final KeyValueStore<String, Membership> store;
    /** Each account's group as far as asked ({@code ""}: none), kept with the store: read on every record while groups set rules. */
    private final Map<String, String> groupOf = new HashMap<>();

    AccountGroups(ProcessorContext<String, Object> context) {
        this.context = context;
        this.store = context.getStateStore(AccountTopology.MEMBERSHIP_STORE);
    }

    /** The account's group is now {@code group} (null: none); {@code figures}: its figures now. */
    void membership(String account, String group, Contribution figures, long eventTime) {
        Membership before = membership(account);
        List<String> old = before.group() == null ? List.of() : AccountGroup.lineage(before.group());
        List<String> next = group == null ? List.of() : AccountGroup.lineage(group);
        long now = context.currentSystemTimeMs();
        for (String g : old) {
            if (!next.contains(g)) {
                context.forward(new Record<>(g, GroupUpdate.left(g, account, eventTime), now), AccountTopology.GROUP_UPDATES_SINK);
            }
        }
        for (String g : next) {
            if (!old.contains(g)) {
                context.forward(new Record<>(g, GroupUpdate.contribution(g, account, figures, eventTime), now),
                        AccountTopology.GROUP_UPDATES_SINK);
            }
        }
        // Groups kept get the figures only if they changed since last sent (they have the rest).
        Contribution sent = before.sent();
        if (sent != null && !figures.sameFigures(sent)) {
            for (String g : next) {
                if (old.contains(g)) {
                    context.forward(new Record<>(g, GroupUpdate.contribution(g, account, figures, eventTime), now),
                            AccountTopology.GROUP_UPDATES_SINK);
                }
            }
        }
        put(account, before.withGroup(group).withSent(group == null ? null : figures));
    }

    /** After an evaluation or with a snapshot: the account's figures, sent to its groups if they changed. */
    void figures(String account, RiskMetrics metrics, AccountState ledger, long eventTime) {
        Membership m = store.get(account);
        if (m == null || m.group() == null) {
            return;
        }
        Contribution figures = contribution(metrics, ledger);
        if (figures.sameFigures(m.sent())) {
            return;
        }
        long now = context.currentSystemTimeMs();
        for (String g : AccountGroup.lineage(m.group())) {
            context.forward(new Record<>(g, GroupUpdate.contribution(g, account, figures, eventTime), now), AccountTopology.GROUP_UPDATES_SINK);
        }
        put(account, m.withSent(figures));
    }

    /** A reset of a group condition on a member resets that condition in each of its groups (stage 3 re-arms them for every member). */
    void reset(RiskControl control, long at) {
        if (!RiskControl.RESET.equals(control.action()) || control.conditionName() == null
                || !Alert.GROUP_CONDITIONS.contains(control.conditionName())) {
            return;
        }
        Membership m = store.get(control.account());
        if (m == null || m.group() == null) {
            return;
        }
        String who = control.requestedBy() == null || control.requestedBy().isBlank() ? "risk-control" : control.requestedBy();
        long now = context.currentSystemTimeMs();
        for (String g : AccountGroup.lineage(m.group())) {
            context.forward(new Record<>(g, GroupUpdate.reset(g, control.account(), control.conditionName(), who, control.reason(), at), now),
                    AccountTopology.GROUP_UPDATES_SINK);
        }
    }

    /**
     * A group's breaker tripped or re-armed for this account: whether the account's breaker of that
     * condition and scope is to follow (a trip always; a re-arm once no other group holds it tripped).
     */
    boolean follow(GroupAction action) {
        Membership m = membership(action.account());
        String breaker = BreakerState.key(Condition.byName(action.conditionName()), action.exchange(), action.symbol());
        Membership next = m.withTrippedBy(breaker, action.group(), action.tripped());
        put(action.account(), next);
        return action.tripped() || !next.trippedBy().containsKey(breaker);
    }

    /** The account's figures as they count in its groups. */
    static Contribution contribution(RiskMetrics metrics, AccountState ledger) {
        if (metrics == null) {
            return Contribution.NONE;
        }
        BigDecimal transfers = BigDecimal.ZERO;
        if (ledger != null) {
            for (BigDecimal t : ledger.transfers().values()) {
                transfers = transfers.add(t);
            }
        }
        Map<String, BigDecimal> symbols = new TreeMap<>();
        if (metrics.symbolMetrics() != null) {
            for (Map.Entry<String, SymbolMetrics> e : metrics.symbolMetrics().entrySet()) {
                if (e.getValue().exposure() != null && e.getValue().exposure().signum() != 0) {
                    symbols.put(e.getKey(), e.getValue().exposure());
                }
            }
        }
        return new Contribution(metrics.totalExposure(), metrics.netExposure(), metrics.totalEquity(), metrics.dailyPnl(), transfers,
                symbols).normalized();
    }

    /** The account's group, or null when it has none. */
    String groupOf(String account) {
        String group = groupOf.get(account);
        if (group == null) {
            Membership m = store.get(account);
            group = m == null || m.group() == null ? "" : m.group();
            groupOf.put(account, group);
        }
        return group.isEmpty() ? null : group;
    }

    private Membership membership(String account) {
        Membership m = store.get(account);
        return m == null ? Membership.NONE : m;
    }

    private void put(String account, Membership m) {
        if (groupOf.containsKey(account)) {
            groupOf.put(account, m.group() == null ? "" : m.group());
        }
        if (m.isEmpty()) {
            store.delete(account);
        } else {
            store.put(account, m);
        }
    }
}
