package io.etrms.streams.instrument;

import java.util.Arrays;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * How many open positions an instrument has on each partition of {@code account-updates}: its
 * marks go to the partitions with at least one. Immutable.
 */
public final class PartitionCounts {

    public static final PartitionCounts NONE = new PartitionCounts(new int[0]);

    private final int[] counts;

    PartitionCounts(int[] counts) {
        this.counts = counts;
    }

    /** With {@code delta} more open positions on {@code partition} (one of {@code partitions}). */
    public PartitionCounts plus(int partition, int delta, int partitions) {
        if (counts.length != 0 && counts.length != partitions) {
            throw new IllegalStateException("account-updates has " + partitions + " partitions, but this instrument's holders were counted over "
                    + counts.length + ": the partition count of account-keyed topics cannot change without resetting the topology");
        }
        int[] next = counts.length == 0 ? new int[partitions] : counts.clone();
        next[partition] += delta;
        if (next[partition] < 0) {
            throw new IllegalStateException("negative holder count on partition " + partition);
        }
        return Arrays.stream(next).allMatch(c -> c == 0) ? NONE : new PartitionCounts(next);
    }

    /** The partitions holding the instrument, except {@code excluded} (−1: none excluded). */
    public Set<Integer> holding(int excluded) {
        Set<Integer> out = new TreeSet<>();
        for (int p = 0; p < counts.length; p++) {
            if (counts[p] > 0 && p != excluded) {
                out.add(p);
            }
        }
        return Collections.unmodifiableSet(out);
    }

    /** The count per partition (a copy; empty when no partition holds the instrument). */
    public int[] counts() {
        return counts.clone();
    }

    public boolean isEmpty() {
        return counts.length == 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PartitionCounts other && Arrays.equals(counts, other.counts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return Arrays.toString(counts);
    }
}
