package io.etrms.streams.account;

import io.etrms.model.AccountGroup;
import io.etrms.model.GroupLimits;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The {@code group-limits} records whose rules an account's own breakers follow (session rules,
 * drawdown basis): those of its group and of every group above it that set one, its own group
 * first. Asked on every record, so it answers without a store read while no record sets such a
 * rule, and otherwise from a per-group cache that is dropped whenever a global limits store changes.
 */
final class GroupRules {

    private final KeyValueStore<String, GroupLimits> store;
    private final AccountGroups groups;
    private final AtomicLong limitsVersion;
    private final AtomicInteger withMemberRules;
    private final Map<String, List<GroupLimits>> byGroup = new HashMap<>();
    private long cachedVersion = Long.MIN_VALUE;

    /**
     * @param limitsVersion   the change count of the global limits stores (updated on the global thread)
     * @param withMemberRules how many {@code group-limits} records set a rule of their members' breakers
     */
    GroupRules(ProcessorContext<String, Object> context, AccountGroups groups, AtomicLong limitsVersion, AtomicInteger withMemberRules) {
        this.store = context.getStateStore(AccountTopology.GROUP_LIMITS_STORE);
        this.groups = groups;
        this.limitsVersion = limitsVersion;
        this.withMemberRules = withMemberRules;
    }

    /** The records of the account's groups that set one of its rules, its own group first; empty when none. */
    List<GroupLimits> of(String account) {
        if (withMemberRules.get() == 0) {
            return List.of();
        }
        String group = groups.groupOf(account);
        if (group == null) {
            return List.of();
        }
        // The version is read before the store: a change after the read leaves a newer version, which drops the cache.
        long version = limitsVersion.get();
        if (version != cachedVersion) {
            byGroup.clear();
            cachedVersion = version;
        }
        List<GroupLimits> rules = byGroup.get(group);
        if (rules == null) {
            rules = lookUp(group);
            byGroup.put(group, rules);
        }
        return rules;
    }

    private List<GroupLimits> lookUp(String path) {
        List<GroupLimits> found = new ArrayList<>(2);
        String group = path;
        while (true) {
            GroupLimits limits = store.get(group);
            if (limits != null && limits.setsMemberRules()) {
                found.add(limits);
            }
            int up = group.lastIndexOf(AccountGroup.LEVEL_SEPARATOR);
            if (up < 0) {
                return found.isEmpty() ? List.of() : List.copyOf(found);
            }
            group = group.substring(0, up);
        }
    }
}
