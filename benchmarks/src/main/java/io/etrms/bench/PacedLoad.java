package io.etrms.bench;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A steady load on one thread: fills and price ticks at fixed rates, each record on a
 * precomputed schedule (record k at start + k / rate). Fills are the latency probe's unit buys,
 * round-robin over the accounts, and their intended send times go to a {@link FillLatencyLog}.
 * If the sender falls behind it sends the backlog at once, and the schedule, not the late send,
 * is what latency is measured from.
 */
public final class PacedLoad implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(PacedLoad.class);

    private final KafkaProducer<String, byte[]> producer;
    private final TradeWorkload workload;
    private final FillLatencyLog fills;
    private final double fillsPerSecond;
    private final double ticksPerSecond;
    private final Duration duration;
    private final AtomicLong sentFills = new AtomicLong();
    private final AtomicLong sentTicks = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile long startNanos;
    private volatile long maxBehindNanos;

    public PacedLoad(KafkaProducer<String, byte[]> producer, TradeWorkload workload, FillLatencyLog fills,
                     double fillsPerSecond, double ticksPerSecond, Duration duration) {
        this.producer = producer;
        this.workload = workload;
        this.fills = fills;
        this.fillsPerSecond = fillsPerSecond;
        this.ticksPerSecond = ticksPerSecond;
        this.duration = duration;
    }

    /** Fills this schedule holds: size the {@link FillLatencyLog} with it. */
    public static int fillCapacity(double fillsPerSecond, Duration duration) {
        return (int) Math.ceil(fillsPerSecond * duration.toNanos() / 1e9) + 16;
    }

    public long startNanos() {
        return startNanos;
    }

    public long sentFills() {
        return sentFills.get();
    }

    public long sentTicks() {
        return sentTicks.get();
    }

    public long failures() {
        return failures.get();
    }

    /** How far behind its schedule the sender fell at worst, in ms. */
    public double maxBehindMillis() {
        return maxBehindNanos / 1e6;
    }

    @Override
    public void run() {
        long start = System.nanoTime();
        startNanos = start;
        long end = start + duration.toNanos();
        double fillIntervalNanos = 1e9 / fillsPerSecond;
        double tickIntervalNanos = ticksPerSecond > 0 ? 1e9 / ticksPerSecond : Double.MAX_VALUE;
        long fill = 0;
        long tick = 0;
        int accounts = fills.accounts();
        while (true) {
            long now = System.nanoTime();
            if (now >= end) {
                break;
            }
            long nextFill = start + (long) (fill * fillIntervalNanos);
            while (nextFill <= now && fill < fills.capacity()) {
                maxBehindNanos = Math.max(maxBehindNanos, now - nextFill);
                fills.sent(fill, nextFill);
                ProducerRecord<String, byte[]> record = workload.unitBuy((int) (fill % accounts), fill / accounts, System.currentTimeMillis());
                producer.send(record, (md, e) -> {
                    if (e != null) {
                        failures.incrementAndGet();
                    }
                });
                sentFills.incrementAndGet();
                fill++;
                nextFill = start + (long) (fill * fillIntervalNanos);
            }
            long nextTick = start + (long) (tick * tickIntervalNanos);
            while (nextTick <= now) {
                producer.send(workload.nextTick(System.currentTimeMillis()), (md, e) -> {
                    if (e != null) {
                        failures.incrementAndGet();
                    }
                });
                sentTicks.incrementAndGet();
                tick++;
                nextTick = start + (long) (tick * tickIntervalNanos);
            }
            long wait = Math.min(nextFill, nextTick) - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(1)));
            }
        }
        producer.flush();
        log.debug("paced load done: {} fills, {} ticks, {} failures, worst {} ms behind", sentFills, sentTicks, failures, maxBehindMillis());
    }
}
