package io.etrms.streams.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class AccountPartitionerTest {

    @Test
    void shouldPutAPositionOnThePartitionTheDefaultPartitionerGivesItsAccount() {
        AccountPartitioner<Object> partitioner = new AccountPartitioner<>();
        for (String account : new String[] {"main", "alice", "bob", "desk-7", "ünïcode"}) {
            for (int partitions : new int[] {1, 3, 12}) {
                int expected = BuiltInPartitioner.partitionForKey(account.getBytes(StandardCharsets.UTF_8), partitions);
                assertThat(partitioner.partitions("t", account + "|binance|BTC/USDT:USDT", null, partitions))
                        .isEqualTo(Optional.of(Set.of(expected)));
            }
        }
    }
}
