package io.etrms.streams.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.etrms.model.GroupLimits;
import io.etrms.model.binary.BinaryWriter;
import io.etrms.streams.TestRecords;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * The group-limits global store: its binary values (every field survives, format version 1 still
 * reads), the rules a record's member fields must keep, and the count of records that set a rule
 * of the members' breakers.
 */
class GroupLimitsStoreTest {

    @Test
    void shouldRoundTripEveryFieldAndReadVersionOneWithoutTheMemberRules() {
        GroupLimits all = new GroupLimits(2e6, null, 100_000.0, 10.0, null, 75.0, 0L, "17:00", "America/New_York", false, "closed");
        GroupLimits none = new GroupLimits(null, null, null, null, null, null, null);
        assertThat(GroupCodecs.LIMITS.deserialize("t", GroupCodecs.LIMITS.serialize("t", all))).isEqualTo(all);
        assertThat(GroupCodecs.LIMITS.deserialize("t", GroupCodecs.LIMITS.serialize("t", none))).isEqualTo(none);

        // version 1: max_net_exposure 500 and cooldown_seconds 30 set, every other field absent
        BinaryWriter v1 = new BinaryWriter(32).writeByte(1).writeNullableDouble(null).writeNullableDouble(500.0).writeNullableDouble(null)
                .writeNullableDouble(null).writeNullableDouble(null).writeNullableDouble(null).writeNullableLong(30L);
        assertThat(GroupCodecs.LIMITS.deserialize("t", v1.toByteArray()))
                .isEqualTo(new GroupLimits(null, 500.0, null, null, null, null, 30L, null, null, null, null));
    }

    @Test
    void shouldRefuseMemberRulesThatDoNotParse() {
        assertThat(new GroupLimits(null, null, null, null, null, null, null, "17:00", "America/New_York", true, "equity").problems()).isEmpty();
        assertThat(new GroupLimits(null, null, null, null, null, null, null, "5pm", "New_York", null, "peak").problems()).containsExactly(
                "session_start must be HH:mm (00:00 to 23:59), was '5pm'",
                "session_time_zone must be a time-zone id such as America/New_York, was 'New_York'",
                "drawdown_basis must be equity or closed, was 'peak'");
        assertThat(new GroupLimits(null, null, null, null, null, null, null, "7:00", null, null, null).problems())
                .containsExactly("session_start must be HH:mm (00:00 to 23:59), was '7:00'");
    }

    @Test
    void shouldCountTheRecordsThatSetAMemberRuleThroughChangesTombstonesAndRefusedRecords() {
        AtomicLong changes = new AtomicLong();
        AtomicInteger withRules = new AtomicInteger();
        KeyValueStore<String, GroupLimits> store = GroupLimitsStore.builder("gl").build();
        MockProcessorContext<Void, Void> context = new MockProcessorContext<>();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        GroupLimitsStore.Updater updater = new GroupLimitsStore.Updater("gl", changes, withRules);
        updater.init(context);

        updater.process(new Record<>("acme", TestRecords.json(Map.of("session_start", "17:00")), 0L));
        updater.process(new Record<>("acme/desk-1", TestRecords.json(Map.of("drawdown_basis", "closed")), 0L));
        updater.process(new Record<>("beta", TestRecords.json(Map.of("max_gross_exposure", 1000)), 0L));
        assertThat(withRules.get()).isEqualTo(2);                       // acme and acme/desk-1
        updater.process(new Record<>("acme", TestRecords.json(Map.of("lock_until_next_session", true)), 0L));
        assertThat(withRules.get()).isEqualTo(2);                       // acme replaced by another with a rule: still 2
        updater.process(new Record<>("acme/desk-1", TestRecords.json(Map.of("session_time_zone", "Mars/Olympus")), 0L));
        assertThat(withRules.get()).isEqualTo(2);                       // refused: desk-1's previous record stays
        assertThat(store.get("acme/desk-1").drawdownBasis()).isEqualTo("closed");
        updater.process(new Record<>("acme/desk-1", TestRecords.json(Map.of("max_net_exposure", 10)), 0L));
        assertThat(withRules.get()).isEqualTo(1);                       // desk-1 without rules now: acme only
        updater.process(new Record<>("acme", (byte[]) null, 0L));
        updater.process(new Record<>("gamma", (byte[]) null, 0L));      // a tombstone of nothing
        assertThat(withRules.get()).isEqualTo(0);
        assertThat(changes.get()).isEqualTo(7);                         // 8 records, 1 refused
    }
}
