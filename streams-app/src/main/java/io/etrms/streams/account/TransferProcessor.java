package io.etrms.streams.account;

import io.etrms.model.Keys;
import io.etrms.model.Transfer;
import io.etrms.streams.common.DeadLetterCounts;
import io.etrms.streams.common.DeadLetterReason;
import io.etrms.streams.common.DeadLetters;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The rules of {@code transfers}: a transfer that breaks one, or whose key is not its account, goes
 * to dead-letters; one whose {@code account|exchange|transfer_id} was seen within the retention is
 * dropped and counted ({@code duplicate-transfers-total}); the rest go on to the account processor.
 */
final class TransferProcessor implements Processor<String, Transfer, String, Object> {

    private final Duration dedupRetention;
    private final DeadLetterCounts counts;
    private ProcessorContext<String, Object> context;
    private WindowStore<String, Long> transferIds;
    private DeadLetters deadLetters;
    private Sensor duplicates;

    TransferProcessor(Duration dedupRetention, DeadLetterCounts counts) {
        this.dedupRetention = dedupRetention;
        this.counts = counts;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.transferIds = context.getStateStore(AccountTopology.TRANSFER_IDS_STORE);
        this.deadLetters = new DeadLetters(context, AccountTopology.DEAD_LETTERS_SINK, counts);
        this.duplicates = context.metrics().addRateTotalSensor("etrms", "transfers", "duplicate-transfers", Sensor.RecordingLevel.INFO);
    }

    @Override
    public void process(Record<String, Transfer> record) {
        Transfer transfer = record.value();
        if (transfer == null) {
            deadLetters.reject(record, null, DeadLetterReason.UNPARSABLE, "null value");
            return;
        }
        List<String> problems = transfer.problems();
        if (!problems.isEmpty()) {
            deadLetters.reject(record, transfer, DeadLetterReason.INVALID, String.join("; ", problems));
            return;
        }
        if (record.key() != null && !record.key().equals(transfer.account())) {
            deadLetters.reject(record, transfer, DeadLetterReason.KEY_MISMATCH,
                    "key '" + record.key() + "' does not match account '" + transfer.account() + "'");
            return;
        }
        String id = transfer.account() + Keys.SEPARATOR + transfer.exchange() + Keys.SEPARATOR + transfer.transferId();
        long retention = dedupRetention.toMillis();
        try (WindowStoreIterator<Long> it = transferIds.fetch(id, Math.max(0, transfer.timestamp() - retention),
                transfer.timestamp() + retention)) {
            if (it.hasNext()) {
                duplicates.record();
                return;
            }
        }
        transferIds.put(id, transfer.timestamp(), transfer.timestamp());
        context.forward(record, AccountTopology.ACCOUNT_PROCESSOR);
    }
}
