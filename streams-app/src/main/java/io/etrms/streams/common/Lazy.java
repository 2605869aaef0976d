package io.etrms.streams.common;

import java.util.function.Supplier;

/**
 * A value built on first use, then kept: for what a record may need only sometimes (a snapshot that
 * a later one replaces before it is published, an alert's text that only a trip needs). Not
 * thread-safe: a stream thread's own objects only.
 */
public final class Lazy<T> implements Supplier<T> {

    private Supplier<? extends T> builder;
    private T value;

    public Lazy(Supplier<? extends T> builder) {
        this.builder = builder;
    }

    @Override
    public T get() {
        if (builder != null) {
            value = builder.get();
            builder = null;
        }
        return value;
    }
}
