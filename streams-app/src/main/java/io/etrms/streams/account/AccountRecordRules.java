package io.etrms.streams.account;

import io.etrms.model.AccountGroup;
import io.etrms.model.PositionSnapshot;
import io.etrms.model.RiskControl;
import io.etrms.streams.common.DeadLetterCounts;
import io.etrms.streams.common.DeadLetterReason;
import io.etrms.streams.common.DeadLetters;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The rules of an input keyed by account that stage 2 reads as it is ({@code risk-control},
 * {@code position-snapshots}, {@code account-groups}): a record that breaks one of its rules, or
 * whose key is not its account, goes to dead-letters with the reason; the rest go on to the
 * account processor. A tombstone is refused, unless the input gives it a meaning.
 *
 * @param <V> the record type
 */
final class AccountRecordRules<V> implements Processor<String, V, String, Object> {

    private final DeadLetterCounts counts;
    private final Function<V, String> account;
    private final Function<V, List<String>> problems;
    /** What a tombstone means for the key's account; null: a tombstone is refused. */
    private final Function<String, V> tombstone;
    private ProcessorContext<String, Object> context;
    private DeadLetters deadLetters;

    private AccountRecordRules(DeadLetterCounts counts, Function<V, String> account, Function<V, List<String>> problems,
                               Function<String, V> tombstone) {
        this.counts = counts;
        this.account = account;
        this.problems = problems;
        this.tombstone = tombstone;
    }

    static AccountRecordRules<RiskControl> riskControl(DeadLetterCounts counts) {
        return new AccountRecordRules<>(counts, RiskControl::account, RiskControl::problems, null);
    }

    /** A snapshot is kept per instrument and reconciled with the account's own size. */
    static AccountRecordRules<PositionSnapshot> positionSnapshots(DeadLetterCounts counts) {
        return new AccountRecordRules<>(counts, PositionSnapshot::account, PositionSnapshot::problems, null);
    }

    /** A tombstone takes the key's account out of every group. */
    static AccountRecordRules<AccountGroup> accountGroups(DeadLetterCounts counts) {
        return new AccountRecordRules<>(counts, AccountGroup::account, AccountGroup::problems,
                key -> new AccountGroup(key, null, null, null));
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.deadLetters = new DeadLetters(context, AccountTopology.DEAD_LETTERS_SINK, counts);
    }

    @Override
    public void process(Record<String, V> record) {
        V value = record.value();
        if (value == null) {
            if (tombstone == null) {
                deadLetters.reject(record, null, DeadLetterReason.UNPARSABLE, "null value");
            } else if (record.key() == null || record.key().isBlank()) {
                deadLetters.reject(record, null, DeadLetterReason.INVALID, "a tombstone needs the account as its key");
            } else {
                context.forward(record.withValue(tombstone.apply(record.key())), AccountTopology.ACCOUNT_PROCESSOR);
            }
            return;
        }
        List<String> broken = problems.apply(value);
        if (!broken.isEmpty()) {
            deadLetters.reject(record, value, DeadLetterReason.INVALID, String.join("; ", broken));
            return;
        }
        String owner = account.apply(value);
        if (record.key() != null && !record.key().equals(owner)) {
            deadLetters.reject(record, value, DeadLetterReason.KEY_MISMATCH, "key '" + record.key() + "' does not match account '" + owner + "'");
            return;
        }
        context.forward(record, AccountTopology.ACCOUNT_PROCESSOR);
    }
}
