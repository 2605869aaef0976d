package io.etrms.gateway.http;

import java.time.Duration;

/**
 * What the audited changes of the REST API need of the settings (built by {@code GatewaySettings}).
 *
 * @param instanceId     this gateway instance: its transactional id is {@code etrms-gateway-<instanceId>}
 * @param resetApprovals approvers a reset of a HALTED account needs (1 or 2)
 * @param approvalTtl    how long a first approval waits for the second
 */
public record ChangeRules(String instanceId, int resetApprovals, Duration approvalTtl) {

    public static final String INSTANCE_ID = "etrms.gateway.instance.id";
    public static final String RESET_APPROVALS = "etrms.reset.approvals";
    public static final String RESET_APPROVAL_TTL_SECONDS = "etrms.reset.approval.ttl.seconds";

    /** The producer's {@code transactional.id}: unique per instance, so instances never fence each other. */
    public String transactionalId() {
        return "etrms-gateway-" + instanceId;
    }
}
