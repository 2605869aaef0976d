package io.etrms.streams.account;

import io.etrms.model.PositionSnapshot;
import io.etrms.streams.common.DeadLetterCounts;
import io.etrms.streams.common.DeadLetterReason;
import io.etrms.streams.common.DeadLetters;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The rules of {@code position-snapshots}: a snapshot that breaks one, or whose key is not its
 * account, goes to dead-letters; the rest go on to the account processor, which keeps the latest
 * per instrument and reconciles it with the account's own size.
 */
final class PositionSnapshotProcessor implements Processor<String, PositionSnapshot, String, Object> {

    private final DeadLetterCounts counts;
    private ProcessorContext<String, Object> context;
    private DeadLetters deadLetters;

    PositionSnapshotProcessor(DeadLetterCounts counts) {
        this.counts = counts;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.deadLetters = new DeadLetters(context, AccountTopology.DEAD_LETTERS_SINK, counts);
    }

    @Override
    public void process(Record<String, PositionSnapshot> record) {
        PositionSnapshot snapshot = record.value();
        if (snapshot == null) {
            deadLetters.reject(record, null, DeadLetterReason.UNPARSABLE, "null value");
            return;
        }
        List<String> problems = snapshot.problems();
        if (!problems.isEmpty()) {
            deadLetters.reject(record, snapshot, DeadLetterReason.INVALID, String.join("; ", problems));
            return;
        }
        if (record.key() != null && !record.key().equals(snapshot.account())) {
            deadLetters.reject(record, snapshot, DeadLetterReason.KEY_MISMATCH,
                    "key '" + record.key() + "' does not match account '" + snapshot.account() + "'");
            return;
        }
        context.forward(record, AccountTopology.ACCOUNT_PROCESSOR);
    }
}
