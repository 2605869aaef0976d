package io.etrms.gateway.fanout;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The meters a sender, an endpoint and the reader update for one channel (registered by the gateway's metrics). */
public record ChannelMeters(AtomicInteger connections, Counter sent, Counter conflated, Counter slowConsumerCloses,
                            Counter records, Counter invalidRecords, AtomicLong lag, Timer sendLatency) {
}
