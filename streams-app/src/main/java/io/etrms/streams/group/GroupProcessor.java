package io.etrms.streams.group;

import io.etrms.model.Alert;
import io.etrms.model.GroupAction;
import io.etrms.model.GroupLimits;
import io.etrms.model.GroupUpdate;
import io.etrms.model.GroupUpdate.Contribution;
import io.etrms.model.Keys;
import io.etrms.model.TradingState;
import io.etrms.streams.group.GroupState.Tripped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Applies each member's update to its group, in input order, and evaluates the group's breakers
 * after it ({@link GroupBreakers}); every trip, re-arm and warning goes to each member account on
 * {@code group-actions}. An account that joins a group whose breakers are tripped gets their trips;
 * one that leaves gets their re-arms (the group's breach no longer concerns it). A wall-clock
 * punctuation re-evaluates every group of the task: re-arms after a cooldown with no update, and
 * limit changes.
 */
final class GroupProcessor implements Processor<String, GroupUpdate, String, GroupAction> {

    private static final StringSerializer KEYS = new StringSerializer();

    private final GroupSettings settings;
    private ProcessorContext<String, GroupAction> context;
    private KeyValueStore<String, GroupState> states;
    private KeyValueStore<String, Contribution> members;
    private KeyValueStore<String, GroupLimits> limits;

    GroupProcessor(GroupSettings settings) {
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, GroupAction> context) {
        this.context = context;
        this.states = context.getStateStore(GroupTopology.STATE_STORE);
        this.members = context.getStateStore(GroupTopology.MEMBERS_STORE);
        this.limits = context.getStateStore(GroupTopology.LIMITS_STORE);
        context.schedule(settings.punctuation(), PunctuationType.WALL_CLOCK_TIME, this::punctuate);
    }

    @Override
    public void process(Record<String, GroupUpdate> record) {
        GroupUpdate update = record.value();
        if (update == null || update.group() == null || update.account() == null) {
            return; // stage 2 writes neither; nothing to apply
        }
        String group = update.group();
        String memberKey = group + Keys.SEPARATOR + update.account();
        GroupState before = states.get(group);
        GroupState state = before == null ? GroupState.EMPTY : before;
        long now = context.currentSystemTimeMs();
        GroupBreakers.Outcome outcome;
        switch (update.kind()) {
            case GroupUpdate.CONTRIBUTION -> {
                Contribution old = members.get(memberKey);
                members.put(memberKey, update.contribution());
                state = state.replace(old, update.contribution()).withClock(update.timestamp(), now);
                outcome = GroupBreakers.evaluate(group, state, limits.get(group), state.lastEventTime(), settings.cooldownSeconds(),
                        settings.warningPct());
                if (old == null) {
                    joined(group, update.account(), state, outcome);
                }
            }
            case GroupUpdate.LEFT -> {
                Contribution old = members.get(memberKey);
                if (old == null) {
                    return;
                }
                members.delete(memberKey);
                for (Tripped t : state.tripped().values()) {
                    send(update.account(), group, new GroupBreakers.Change(t.condition(), t.symbol(), TradingState.ACTIVE,
                            label(t) + " of group " + group + " no longer applies: " + update.account() + " left the group", t.figures(),
                            update.timestamp()));
                }
                state = state.replace(old, null).withClock(update.timestamp(), now);
                outcome = GroupBreakers.evaluate(group, state, limits.get(group), state.lastEventTime(), settings.cooldownSeconds(),
                        settings.warningPct());
            }
            case GroupUpdate.RESET -> outcome = GroupBreakers.reset(group, state, update.conditionName(), update.requestedBy(),
                    update.reason(), update.timestamp());
            default -> {
                return;
            }
        }
        store(group, outcome.state());
        tell(group, outcome.changes());
    }

    /** A new member gets the trips of the breakers that were tripped before it came (the others it gets with every member). */
    private void joined(String group, String account, GroupState state, GroupBreakers.Outcome outcome) {
        Set<String> justTripped = new HashSet<>();
        for (GroupBreakers.Change c : outcome.changes()) {
            if (c.warning()) {
                continue;
            }
            justTripped.add(GroupState.key(c.condition(), c.symbol()));
        }
        for (Tripped t : outcome.state().tripped().values()) {
            if (!justTripped.contains(GroupState.key(t.condition(), t.symbol()))) {
                send(account, group, new GroupBreakers.Change(t.condition(), t.symbol(), t.state(),
                        t.description() + " (" + account + " joined group " + group + " while it was tripped)", t.figures(),
                        state.lastEventTime()));
            }
        }
    }

    private void punctuate(long wallNow) {
        List<KeyValue<String, GroupState>> all = new ArrayList<>();
        try (KeyValueIterator<String, GroupState> it = states.all()) {
            it.forEachRemaining(all::add);
        }
        for (KeyValue<String, GroupState> e : all) {
            GroupBreakers.Outcome outcome = GroupBreakers.evaluate(e.key, e.value, limits.get(e.key), e.value.clock(wallNow),
                    settings.cooldownSeconds(), settings.warningPct());
            if (!outcome.changes().isEmpty() || !outcome.state().equals(e.value)) {
                store(e.key, outcome.state());
                tell(e.key, outcome.changes());
            }
        }
    }

    private void store(String group, GroupState state) {
        if (state.members() == 0) {
            states.delete(group); // no member left: nothing to sum, nobody to act on
        } else {
            states.put(group, state);
        }
    }

    /** Each change to every member of the group. */
    private void tell(String group, List<GroupBreakers.Change> changes) {
        if (changes.isEmpty()) {
            return;
        }
        List<String> accounts = new ArrayList<>();
        String prefix = group + Keys.SEPARATOR;
        try (KeyValueIterator<String, Contribution> it = members.prefixScan(prefix, KEYS)) {
            it.forEachRemaining(kv -> accounts.add(kv.key.substring(prefix.length())));
        }
        for (GroupBreakers.Change change : changes) {
            for (String account : accounts) {
                send(account, group, change);
            }
        }
    }

    private void send(String account, String group, GroupBreakers.Change c) {
        String exchange = Alert.ANY;
        context.forward(new Record<>(account, new GroupAction(account, group, c.condition(), exchange, c.symbol(), c.state(), c.description(),
                c.figures(), c.at(), c.warning()), context.currentSystemTimeMs()));
    }

    private static String label(Tripped t) {
        return Alert.ANY.equals(t.symbol()) ? t.condition() : t.condition() + " of " + t.symbol();
    }
}
