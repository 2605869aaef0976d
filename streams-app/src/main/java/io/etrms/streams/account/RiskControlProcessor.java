package io.etrms.streams.account;

import io.etrms.model.RiskControl;
import io.etrms.streams.common.DeadLetterCounts;
import io.etrms.streams.common.DeadLetterReason;
import io.etrms.streams.common.DeadLetters;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The rules of {@code risk-control}: a record that breaks one, or whose key is not its account,
 * goes to dead-letters; the rest go on to the account processor.
 */
final class RiskControlProcessor implements Processor<String, RiskControl, String, Object> {

    private final DeadLetterCounts counts;
    private ProcessorContext<String, Object> context;
    private DeadLetters deadLetters;

    RiskControlProcessor(DeadLetterCounts counts) {
        this.counts = counts;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.deadLetters = new DeadLetters(context, AccountTopology.DEAD_LETTERS_SINK, counts);
    }

    @Override
    public void process(Record<String, RiskControl> record) {
        RiskControl control = record.value();
        if (control == null) {
            deadLetters.reject(record, null, DeadLetterReason.UNPARSABLE, "null value");
            return;
        }
        List<String> problems = control.problems();
        if (!problems.isEmpty()) {
            deadLetters.reject(record, control, DeadLetterReason.INVALID, String.join("; ", problems));
            return;
        }
        if (record.key() != null && !record.key().equals(control.account())) {
            deadLetters.reject(record, control, DeadLetterReason.KEY_MISMATCH,
                    "key '" + record.key() + "' does not match account '" + control.account() + "'");
            return;
        }
        context.forward(record, AccountTopology.ACCOUNT_PROCESSOR);
    }
}
