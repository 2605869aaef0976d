package io.etrms.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * One change made through the gateway, or one refused: topic {@code audit} (delete policy,
 * {@value Topics#AUDIT_RETENTION_DAYS} days), key the account, or the group path for a change of a
 * group ({@code group_limits}). The gateway writes it in the same Kafka transaction as the change
 * itself, so the trail has a record for every change a reader of the changed topic can see.
 *
 * @param auditId     unique id (a UUID)
 * @param kind        {@link #RISK_LIMITS}, {@link #ACCOUNT_GROUP}, {@link #GROUP_LIMITS} or {@link #RISK_CONTROL}
 * @param account     the account changed; null for a change of a group
 * @param group       the group changed, or the group a group-scope risk-control was sent to; else null
 * @param requestedBy the token subject ({@code anonymous} when authentication is off); two subjects
 *                    joined by {@code +} for a reset made with two approvals
 * @param timestamp   when the gateway made the change (epoch ms)
 * @param oldValue    the value before, as the gateway's latest view of the compacted topic held it
 *                    (for risk_control: {@code {"trading_state": ...}} of the latest risk-metrics); null: none
 * @param newValue    the value written (the risk-control record for risk_control); null: a tombstone
 * @param reason      the operator's reason, if given
 * @param outcome     {@link #PUBLISHED}, {@link #PENDING_APPROVAL}, or {@code rejected: <why>}
 */
public record AuditRecord(
        String auditId,
        String kind,
        @JsonInclude(JsonInclude.Include.ALWAYS) String account,
        @JsonInclude(JsonInclude.Include.ALWAYS) String group,
        String requestedBy,
        Long timestamp,
        @JsonInclude(JsonInclude.Include.ALWAYS) Map<String, Object> oldValue,
        @JsonInclude(JsonInclude.Include.ALWAYS) Map<String, Object> newValue,
        @JsonInclude(JsonInclude.Include.ALWAYS) String reason,
        String outcome) {

    public static final String RISK_LIMITS = "risk_limits";
    public static final String ACCOUNT_GROUP = "account_group";
    public static final String GROUP_LIMITS = "group_limits";
    public static final String RISK_CONTROL = "risk_control";
    public static final List<String> KINDS = List.of(RISK_LIMITS, ACCOUNT_GROUP, GROUP_LIMITS, RISK_CONTROL);

    /** The change was written to its topic in this record's transaction. */
    public static final String PUBLISHED = "published";
    /** A reset of a HALTED account waiting for a second approver (nothing was written but this record). */
    public static final String PENDING_APPROVAL = "pending_approval";
    /** Prefix of the outcome of a refused change; the reason follows. */
    public static final String REJECTED = "rejected: ";

    /** The key on {@code audit}: the account, else the group. */
    public String key() {
        return account != null ? account : group;
    }

    /** Every rule this record breaks; empty when it is valid. */
    public List<String> problems() {
        Validation v = new Validation()
                .text("audit_id", auditId)
                .required("kind", kind)
                .check(kind == null || KINDS.contains(kind), "unknown kind '" + Validation.echo(kind) + "' (" + String.join(", ", KINDS) + ")")
                .check(account != null || group != null, "account or group is required")
                .optionalText("account", account, Validation.MAX_ID_LENGTH)
                .text("requested_by", requestedBy, 2 * Validation.MAX_ID_LENGTH + 1)
                .timestamp("timestamp", timestamp)
                .optionalText("reason", reason, Validation.MAX_REASON_LENGTH)
                .text("outcome", outcome, Validation.MAX_REASON_LENGTH + 100)
                .check(outcome == null || PUBLISHED.equals(outcome) || PENDING_APPROVAL.equals(outcome) || outcome.startsWith(REJECTED),
                        "outcome must be published, pending_approval or rejected: <reason>, was '" + Validation.echo(outcome) + "'");
        if (group != null) {
            v.check(AccountGroup.groupProblem(group) == null, "group " + AccountGroup.groupProblem(group));
        }
        return v.problems();
    }
}
