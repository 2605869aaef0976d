package io.etrms.cluster;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.Env;
import org.rocksdb.Options;
import org.rocksdb.RocksMemEnv;

/**
 * Keeps every RocksDB file of a store in memory ({@link RocksMemEnv}), for the {@link ReferenceRun}
 * only: TopologyTestDriver commits, and so flushes every store to a new file, after each record;
 * on disk those flushes dominate a reference run. One environment serves every store of the JVM
 * and is never closed (a store may still use it while another closes).
 */
public final class InMemoryRocksDb implements RocksDBConfigSetter {

    private static final RocksMemEnv ENV = new RocksMemEnv(Env.getDefault());

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        options.setEnv(ENV);
    }

    @Override
    public void close(String storeName, Options options) {
        // the shared environment outlives every store
    }
}
