package io.etrms.gateway.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.etrms.model.AuditRecord;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pending approvals, group members and the bounded trail, as the reader builds them from the topics. */
class AdminViewTest {

    private static final long T0 = 1_764_000_000_000L;
    /** 900 s. */
    private static final Duration TTL = Duration.ofSeconds(900);

    private static AuditRecord control(String id, String who, long ts, String action, String condition, String state, String outcome) {
        Map<String, Object> value = new HashMap<>();
        value.put("account", "acc");
        value.put("action", action);
        if (condition != null) {
            value.put("condition_name", condition);
        }
        if (state != null) {
            value.put("state", state);
        }
        return new AuditRecord(id, AuditRecord.RISK_CONTROL, "acc", null, who, ts, Map.of("trading_state", "HALTED"), value, null, outcome);
    }

    @Test
    void shouldKeepAFirstApprovalForItsTtlAndDropItOnceTheControlIsPublished() {
        AdminView view = new AdminView(100, TTL);
        AuditRecord first = control("a1", "alice", T0, "reset", null, null, AuditRecord.PENDING_APPROVAL);
        view.onAudit(first);

        assertThat(view.pendingApproval("acc", "reset", null, null, T0 + 1_000)).isEqualTo(first);
        // 900 000 ms after it the approval still stands; one ms later it has expired
        assertThat(view.pendingApproval("acc", "reset", null, null, T0 + 900_000)).isEqualTo(first);
        assertThat(view.pendingApproval("acc", "reset", null, null, T0 + 900_001)).isNull();
        // another condition, or set_state, is another change
        assertThat(view.pendingApproval("acc", "reset", "max_drawdown", null, T0 + 1_000)).isNull();
        assertThat(view.pendingApproval("acc", "set_state", null, "ACTIVE", T0 + 1_000)).isNull();

        // a refusal leaves it; a second pending of the same change does not replace the first
        view.onAudit(control("a2", "alice", T0 + 2_000, "reset", null, null, AuditRecord.REJECTED + "alice already approved"));
        view.onAudit(control("a3", "carol", T0 + 3_000, "reset", null, null, AuditRecord.PENDING_APPROVAL));
        assertThat(view.pendingApproval("acc", "reset", null, null, T0 + 4_000)).isEqualTo(first);

        view.onAudit(control("a4", "alice+bob", T0 + 5_000, "reset", null, null, AuditRecord.PUBLISHED));
        assertThat(view.pendingApproval("acc", "reset", null, null, T0 + 6_000)).isNull();
    }

    @Test
    void shouldTakeAPendingAfterAnExpiredOneAndKeepSetStateApartFromReset() {
        AdminView view = new AdminView(100, TTL);
        view.onAudit(control("a1", "alice", T0, "set_state", null, "ACTIVE", AuditRecord.PENDING_APPROVAL));
        // 1 000 s later the first has expired: the new one is the first approval now
        AuditRecord later = control("a2", "alice", T0 + 1_000_000, "set_state", null, "ACTIVE", AuditRecord.PENDING_APPROVAL);
        view.onAudit(later);
        assertThat(view.pendingApproval("acc", "set_state", null, "ACTIVE", T0 + 1_000_001)).isEqualTo(later);
        assertThat(view.pendingApproval("acc", "set_state", null, "REDUCE_ONLY", T0 + 1_000_001)).isNull();
        // halt and set_state HALTED never wait for approval
        view.onAudit(control("a3", "alice", T0 + 1_000_002, "halt", null, null, AuditRecord.PENDING_APPROVAL));
        assertThat(view.pendingApproval("acc", "halt", null, null, T0 + 1_000_003)).isNull();
        assertThat(AdminView.lowersAHalt("set_state", "HALTED")).isFalse();
        assertThat(AdminView.lowersAHalt("set_state", "REDUCE_ONLY")).isTrue();
    }

    @Test
    void shouldListTheMembersOfAGroupAndOfTheGroupsBelowIt() {
        AdminView view = new AdminView(100, TTL);
        view.onAccountGroup("a", Map.of("account", "a", "group", "firm/desk-1"));
        view.onAccountGroup("b", Map.of("account", "b", "group", "firm/desk-2/team"));
        view.onAccountGroup("c", Map.of("account", "c", "group", "firmament"));
        view.onAccountGroup("d", Map.of("account", "d", "group", "firm"));
        view.onAccountGroup("d", null); // tombstone: out of every group

        assertThat(view.members("firm")).containsExactly("a", "b");
        assertThat(view.members("firm/desk-2")).containsExactly("b");
        assertThat(view.members("firm/desk")).isEmpty();
        assertThat(view.accountGroup("d")).isNull();
    }

    @Test
    void shouldKeepTheLatestRecordsByTimestampOldestFirst() {
        AdminView view = new AdminView(3, TTL);
        for (long ts : new long[] {T0 + 2, T0 + 1, T0 + 4, T0 + 3}) { // arrival order of two partitions
            view.onAudit(new AuditRecord("id-" + (ts - T0), AuditRecord.RISK_LIMITS, "acc", null, "ops", ts, null, Map.of(), null,
                    AuditRecord.PUBLISHED));
        }
        // four records, three kept: T0+1 is dropped
        assertThat(view.trail(r -> true, 10)).extracting(AuditRecord::auditId).containsExactly("id-2", "id-3", "id-4");
        assertThat(view.trail(r -> true, 2)).extracting(AuditRecord::auditId).containsExactly("id-3", "id-4");
        assertThat(view.trail(r -> !r.auditId().equals("id-4"), 10)).extracting(AuditRecord::auditId).containsExactly("id-2", "id-3");
        assertThat(List.of(view.trailSize())).containsExactly(3);
    }
}
