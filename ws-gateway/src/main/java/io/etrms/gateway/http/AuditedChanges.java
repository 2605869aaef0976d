package io.etrms.gateway.http;

import com.fasterxml.jackson.core.type.TypeReference;
import io.etrms.gateway.fanout.Channel;
import io.etrms.gateway.fanout.TopicBroadcaster;
import io.etrms.gateway.kafka.AdminTopicReader;
import io.etrms.gateway.kafka.AdminView;
import io.etrms.gateway.kafka.TransactionalPublisher;
import io.etrms.gateway.metrics.GatewayMetrics;
import io.etrms.model.AccountGroup;
import io.etrms.model.AuditRecord;
import io.etrms.model.GroupLimits;
import io.etrms.model.Json;
import io.etrms.model.RiskControl;
import io.etrms.model.RiskLimits;
import io.etrms.model.Topics;
import io.etrms.model.TradingState;
import io.etrms.model.Validation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every change made through the REST API: the change and its {@link AuditRecord} in one Kafka
 * transaction ({@link TransactionalPublisher}), the old value from the gateway's latest view
 * ({@link AdminView}; for risk-control, the trading state of the latest risk-metrics), and the
 * answer given only once the {@link AdminTopicReader} has read the records back, so the next
 * change sees this one. One change at a time per gateway instance.
 *
 * <p>With {@code etrms.reset.approvals=2} a reset of a HALTED account (and a set_state that would
 * lower it: otherwise {@code set_state ACTIVE} would bypass the rule) needs two subjects: the
 * first is written as an audit record {@code pending_approval} only (nothing reaches
 * risk-control); the same control (account, and condition, or state) by another subject within
 * {@code etrms.reset.approval.ttl.seconds} publishes it, {@code requested_by} "first+second"; the
 * same subject again is refused (409, audit {@code rejected: ...}). The HALTED state is that of
 * the gateway's latest risk-metrics of the account.
 */
public final class AuditedChanges {

    private static final Logger log = LoggerFactory.getLogger(AuditedChanges.class);
    private static final Duration READ_BACK = Duration.ofSeconds(10);
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() { };

    /** The HTTP answer of a change. */
    public record Answer(int status, String body) {
    }

    private final ChangeRules rules;
    private final Topics topics;
    private final AdminView view;
    private final AdminTopicReader reader;
    private final TransactionalPublisher publisher;
    private final TopicBroadcaster broadcaster;
    private final GatewayMetrics metrics;
    private final LongSupplier clock;
    private final java.util.function.BooleanSupplier stateReady;

    public AuditedChanges(ChangeRules rules, Topics topics, AdminView view, AdminTopicReader reader, TransactionalPublisher publisher,
                          TopicBroadcaster broadcaster, java.util.function.BooleanSupplier stateReady, GatewayMetrics metrics, LongSupplier clock) {
        this.stateReady = stateReady;
        this.rules = rules;
        this.topics = topics;
        this.view = view;
        this.reader = reader;
        this.publisher = publisher;
        this.broadcaster = broadcaster;
        this.metrics = metrics;
        this.clock = clock;
    }

    public long now() {
        return clock.getAsLong();
    }

    /** Ready once both readers caught up: the old values, pending approvals and trading states are known. */
    boolean isReady() {
        return reader.isReady() && stateReady.getAsBoolean();
    }

    /** {@code PUT accounts/{key}/limits} ({@code limits} non-null) or its {@code DELETE} (a tombstone). */
    synchronized Answer riskLimits(String key, RiskLimits limits, String who, String reason) {
        AuditRecord audit = audit(AuditRecord.RISK_LIMITS, key, null, who, view.riskLimits(key), object(limits), reason, AuditRecord.PUBLISHED);
        write(List.of(TransactionalPublisher.record(topics.riskLimits, key, limits), TransactionalPublisher.record(topics.audit, key, audit)));
        return published("published to risk-limits", audit);
    }

    /** {@code PUT accounts/{account}/group} ({@code group} non-null) or its {@code DELETE}. */
    synchronized Answer accountGroup(String account, AccountGroup group, String who, String reason) {
        Map<String, Object> old = view.accountGroup(account);
        String path = group != null ? group.group() : old == null ? null : (String) old.get("group");
        AuditRecord audit = audit(AuditRecord.ACCOUNT_GROUP, account, path, who, old, object(group), reason, AuditRecord.PUBLISHED);
        write(List.of(TransactionalPublisher.record(topics.accountGroups, account, group), TransactionalPublisher.record(topics.audit, account, audit)));
        return published("published to account-groups", audit);
    }

    /** {@code PUT groups/{group}/limits} ({@code limits} non-null) or its {@code DELETE}. */
    synchronized Answer groupLimits(String group, GroupLimits limits, String who, String reason) {
        AuditRecord audit = audit(AuditRecord.GROUP_LIMITS, null, group, who, view.groupLimits(group), object(limits), reason, AuditRecord.PUBLISHED);
        write(List.of(TransactionalPublisher.record(topics.groupLimits, group, limits), TransactionalPublisher.record(topics.audit, group, audit)));
        return published("published to group-limits", audit);
    }

    /** {@code POST accounts/{account}/risk-control}. */
    synchronized Answer control(RiskControl control) {
        Step step = decide(control, null);
        write(step.records());
        metrics.change(step.outcomeLabel());
        String account = control.account();
        return switch (step.outcomeLabel()) {
            case AuditRecord.PUBLISHED -> new Answer(202, ApiEnvelope.success("published to risk-control", Json.write(step.published())));
            case AuditRecord.PENDING_APPROVAL ->
                    new Answer(202, ApiEnvelope.success(what(control) + " of " + account + " needs a second approval", Json.write(step.audit())));
            default -> new Answer(409, ApiEnvelope.error(step.audit().outcome().substring(AuditRecord.REJECTED.length())));
        };
    }

    /**
     * {@code POST groups/{group}/risk-control}: one risk-control record per member account, each
     * decided as {@link #control} would (approvals included), all in one transaction.
     *
     * @param template the control, its account replaced by each member's
     */
    synchronized Answer groupControl(String group, RiskControl template) {
        List<String> members = view.members(group);
        if (members.isEmpty()) {
            return new Answer(404, ApiEnvelope.error("group " + group + " has no member accounts"));
        }
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        Map<String, String> outcomes = new LinkedHashMap<>();
        for (String account : members) {
            RiskControl control = new RiskControl(account, template.action(), template.conditionName(), template.state(), template.reason(),
                    template.requestedBy(), template.timestamp());
            Step step = decide(control, group);
            records.addAll(step.records());
            outcomes.put(account, step.audit().outcome());
        }
        write(records);
        outcomes.values().forEach(o -> metrics.change(o.startsWith(AuditRecord.REJECTED) ? "rejected" : o));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("group", group);
        data.put("accounts", members);
        data.put("outcomes", outcomes);
        return new Answer(202, ApiEnvelope.success(template.action() + " sent to " + members.size() + " accounts of group " + group, Json.write(data)));
    }

    /** What one account's control writes: the risk-control record (unless held or refused) and its audit record. */
    private record Step(RiskControl published, AuditRecord audit, List<ProducerRecord<String, byte[]>> records) {
        String outcomeLabel() {
            return audit.outcome().startsWith(AuditRecord.REJECTED) ? "rejected" : audit.outcome();
        }
    }

    private Step decide(RiskControl control, String group) {
        String account = control.account();
        String state = tradingState(account);
        Map<String, Object> old = state == null ? null : Map.of("trading_state", state);
        RiskControl publish = control;
        if (rules.resetApprovals() > 1 && TradingState.HALTED.equals(state) && AdminView.lowersAHalt(control.action(), control.state())) {
            AuditRecord first = view.pendingApproval(account, control.action(), control.conditionName(), control.state(), control.timestamp());
            if (first == null) {
                AuditRecord audit = audit(AuditRecord.RISK_CONTROL, account, group, control.requestedBy(), old, object(control), control.reason(),
                        AuditRecord.PENDING_APPROVAL);
                return new Step(null, audit, List.of(TransactionalPublisher.record(topics.audit, account, audit)));
            }
            if (first.requestedBy().equals(control.requestedBy())) {
                String why = control.requestedBy() + " already approved the " + what(control) + " of " + account + " at "
                        + Instant.ofEpochMilli(first.timestamp()) + ": a second approval must come from another subject";
                AuditRecord audit = audit(AuditRecord.RISK_CONTROL, account, group, control.requestedBy(), old, object(control), control.reason(),
                        AuditRecord.REJECTED + why);
                return new Step(null, audit, List.of(TransactionalPublisher.record(topics.audit, account, audit)));
            }
            String both = first.requestedBy() + "+" + control.requestedBy();
            // the audit record names both in full; the risk-control record within its id length
            String onRecord = both.length() <= Validation.MAX_ID_LENGTH ? both : both.substring(0, Validation.MAX_ID_LENGTH - 1) + "…";
            publish = new RiskControl(account, control.action(), control.conditionName(), control.state(),
                    control.reason() != null ? control.reason() : first.reason(), onRecord, control.timestamp());
            AuditRecord audit = audit(AuditRecord.RISK_CONTROL, account, group, both, old, object(publish), publish.reason(), AuditRecord.PUBLISHED);
            return new Step(publish, audit, List.of(TransactionalPublisher.record(topics.riskControl, account, publish),
                    TransactionalPublisher.record(topics.audit, account, audit)));
        }
        AuditRecord audit = audit(AuditRecord.RISK_CONTROL, account, group, publish.requestedBy(), old, object(publish), publish.reason(),
                AuditRecord.PUBLISHED);
        return new Step(publish, audit, List.of(TransactionalPublisher.record(topics.riskControl, account, publish),
                TransactionalPublisher.record(topics.audit, account, audit)));
    }

    /** What a control held for approval does, in words: {@code reset}, {@code set_state ACTIVE}. */
    private static String what(RiskControl control) {
        return RiskControl.RESET.equals(control.action()) ? "reset" : control.action() + " " + control.state();
    }

    /** The account's trading state in the gateway's latest risk-metrics, or null. */
    private String tradingState(String account) {
        return broadcaster.latest(Channel.RISK_METRICS, account)
                .map(m -> m.tree().path("risk_metrics").path("trading_state"))
                .filter(n -> n.isTextual())
                .map(n -> n.asText())
                .orElse(null);
    }

    private AuditRecord audit(String kind, String account, String group, String who, Map<String, Object> old, Map<String, Object> value,
                              String reason, String outcome) {
        return new AuditRecord(UUID.randomUUID().toString(), kind, account, group, who, now(), old, value, reason, outcome);
    }

    private static Map<String, Object> object(Object value) {
        return value == null ? null : Json.MAPPER.convertValue(value, OBJECT);
    }

    private Answer published(String message, AuditRecord audit) {
        metrics.change(AuditRecord.PUBLISHED);
        return new Answer(202, ApiEnvelope.success(message, Json.write(audit)));
    }

    /** Writes in one transaction, then waits until the reader has them (a timeout is logged: the change is made). */
    private void write(List<ProducerRecord<String, byte[]>> records) {
        List<RecordMetadata> written = publisher.publish(records);
        if (!reader.awaitRead(written, READ_BACK)) {
            log.warn("change written but not read back within {} s: the next change may see an older value", READ_BACK.toSeconds());
        }
    }
}
