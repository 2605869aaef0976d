package io.etrms.streams.account;

import io.etrms.model.AccountGroup;
import io.etrms.streams.common.DeadLetterCounts;
import io.etrms.streams.common.DeadLetterReason;
import io.etrms.streams.common.DeadLetters;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The rules of {@code account-groups}: a record that breaks one, or whose key is not its account,
 * goes to dead-letters; a tombstone takes the key's account out of every group; the rest go on to
 * the account processor.
 */
final class AccountGroupProcessor implements Processor<String, AccountGroup, String, Object> {

    private final DeadLetterCounts counts;
    private ProcessorContext<String, Object> context;
    private DeadLetters deadLetters;

    AccountGroupProcessor(DeadLetterCounts counts) {
        this.counts = counts;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.deadLetters = new DeadLetters(context, AccountTopology.DEAD_LETTERS_SINK, counts);
    }

    @Override
    public void process(Record<String, AccountGroup> record) {
        AccountGroup membership = record.value();
        if (membership == null) {
            if (record.key() == null || record.key().isBlank()) {
                deadLetters.reject(record, null, DeadLetterReason.INVALID, "a tombstone needs the account as its key");
                return;
            }
            context.forward(record.withValue(new AccountGroup(record.key(), null, null, null)), AccountTopology.ACCOUNT_PROCESSOR);
            return;
        }
        List<String> problems = membership.problems();
        if (!problems.isEmpty()) {
            deadLetters.reject(record, membership, DeadLetterReason.INVALID, String.join("; ", problems));
            return;
        }
        if (record.key() != null && !record.key().equals(membership.account())) {
            deadLetters.reject(record, membership, DeadLetterReason.KEY_MISMATCH,
                    "key '" + record.key() + "' does not match account '" + membership.account() + "'");
            return;
        }
        context.forward(record, AccountTopology.ACCOUNT_PROCESSOR);
    }
}
