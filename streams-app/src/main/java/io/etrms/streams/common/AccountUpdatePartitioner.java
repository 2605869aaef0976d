package io.etrms.streams.common;

import io.etrms.model.AccountUpdate;
import io.etrms.model.InstrumentMark;
import io.etrms.model.Keys;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Partitions {@code account-updates}: a position change by its account (the partition a transfer
 * of that account lands on), an instrument mark to every partition it names (multicast, KIP-837):
 * those whose accounts hold the instrument. Both over the partition count stage 1 counts holders
 * with ({@code StreamsApp} checks at start that the topic has it).
 */
public final class AccountUpdatePartitioner implements StreamPartitioner<String, AccountUpdate> {

    private final int partitions;

    public AccountUpdatePartitioner(int partitions) {
        this.partitions = partitions;
    }

    @Override
    public Optional<Set<Integer>> partitions(String topic, String key, AccountUpdate value, int numPartitions) {
        if (value instanceof InstrumentMark mark) {
            return Optional.of(mark.partitions());
        }
        return Optional.of(Set.of(AccountPartitioner.partitionOf(Keys.accountOf(key), partitions)));
    }
}
