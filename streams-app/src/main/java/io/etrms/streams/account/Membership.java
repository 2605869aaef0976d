package io.etrms.streams.account;

import io.etrms.model.GroupUpdate.Contribution;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An account's place in the group hierarchy as stage 2 keeps it (store {@value AccountTopology#MEMBERSHIP_STORE}, key account).
 *
 * @param group     the account's group path (it belongs to every group above it too); null: none
 * @param sent      the figures last sent to its groups (null before any)
 * @param trippedBy per group breaker of the account ({@code condition|exchange|symbol}), the groups
 *                  whose breach trips it: the account's breaker re-arms when the last of them re-arms
 */
record Membership(String group, Contribution sent, Map<String, Set<String>> trippedBy) {

    static final Membership NONE = new Membership(null, null, Map.of());

    Membership withGroup(String value) {
        return new Membership(value, sent, trippedBy);
    }

    Membership withSent(Contribution value) {
        return new Membership(group, value, trippedBy);
    }

    /** With {@code group} among the groups tripping {@code breaker} (added) or not (removed). */
    Membership withTrippedBy(String breaker, String by, boolean tripped) {
        Map<String, Set<String>> next = new TreeMap<>(trippedBy);
        Set<String> groups = new TreeSet<>(next.getOrDefault(breaker, Set.of()));
        if (tripped) {
            groups.add(by);
        } else {
            groups.remove(by);
        }
        if (groups.isEmpty()) {
            next.remove(breaker);
        } else {
            next.put(breaker, groups);
        }
        return new Membership(group, sent, next);
    }

    boolean isEmpty() {
        return group == null && trippedBy.isEmpty();
    }
}
