package io.etrms.ingest;

import io.etrms.model.DeadLetter;
import io.etrms.model.Fill;
import io.etrms.model.PositionSnapshot;
import io.etrms.model.PriceTick;
import io.etrms.model.Transfer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Replays JSONL and CSV files of fills, prices, transfers and position snapshots into Kafka through an
 * {@link IngestProducer}, as fast as possible or at k × real time (by the records' event time).
 * A bad line is reported to the {@link Listener} with its line number and reason and sent to
 * {@code dead-letters} ({@code source_topic} = the file path, {@code offset} = the line number,
 * {@code partition} null, {@code payload} = the line); the rest of the file still goes in. In
 * strict mode every file is checked first and nothing is sent if any line is bad: the run stops at
 * the first bad line.
 */
public final class FileReplayer {

    /**
     * How to replay.
     *
     * @param type       the record type of every line, or null to take it from the file name or a type field
     * @param speed      0 (or less) as fast as possible; k &gt; 0 replays k × real time by event time
     * @param strict     check every line first; stop at the first bad one without sending anything
     * @param rebaseTime shift every timestamp by one offset so the first record happens now
     */
    public record Options(InputKind type, double speed, boolean strict, boolean rebaseTime) {
        public static Options defaults() {
            return new Options(null, 0, false, false);
        }
    }

    /**
     * The outcome of a replay.
     *
     * @param lines        lines with content read (blank, comment and header lines not counted)
     * @param sent         records handed to Kafka
     * @param acknowledged records Kafka acknowledged
     * @param rejected     bad lines (sent to dead-letters unless strict)
     * @param failed       records or dead letters Kafka refused
     * @param stoppedAt    in strict mode, "file:line" of the bad line that stopped the run; else null
     * @param interrupted  true when {@link FileReplayer#stop()} ended the run early
     * @param elapsed      wall-clock time of the run
     */
    public record Summary(long lines, long sent, long acknowledged, long rejected, long failed,
                          String stoppedAt, boolean interrupted, Duration elapsed) {

        public boolean clean() {
            return rejected == 0 && failed == 0 && stoppedAt == null && !interrupted;
        }
    }

    /**
     * Progress of a running replay.
     *
     * @param records   records sent so far
     * @param rejected  bad lines so far
     * @param rate      records per second since the start
     * @param fraction  share of the input bytes read, 0–1
     * @param eta       estimated time left, null while unknown
     */
    public record Progress(long records, long rejected, double rate, double fraction, Duration eta) {
    }

    /** Receives bad lines and progress; called on the replaying thread. */
    public interface Listener {
        void badLine(Path file, long line, String reason);

        default void progress(Progress progress) {
        }
    }

    private static final long PROGRESS_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final IngestProducer producer;
    private final Options options;
    private final Listener listener;
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile boolean stopRequested;

    public FileReplayer(IngestProducer producer, Options options, Listener listener) {
        this.producer = producer;
        this.options = options;
        this.listener = listener;
    }

    /** Asks a running replay to stop after the current record; it flushes and returns its summary. */
    public void stop() {
        stopRequested = true;
    }

    public Summary replay(List<Path> files) throws IOException {
        long started = System.nanoTime();
        if (options.strict()) {
            String bad = firstBadLine(files);
            if (bad != null) {
                return new Summary(0, 0, 0, 1, 0, bad, false, Duration.ofNanos(System.nanoTime() - started));
            }
        }
        long totalBytes = 0;
        for (Path file : files) {
            totalBytes += Files.size(file);
        }
        long doneBytes = 0;
        long lines = 0;
        long sent = 0;
        long rejected = 0;
        long lastProgress = started;
        Long timeOffset = null;
        long firstEventTime = 0;
        long pacingStart = 0;
        for (Path file : files) {
            try (RecordFileReader reader = new RecordFileReader(file, options.type())) {
                RecordFileReader.Line line;
                while (!stopRequested && (line = reader.next()) != null) {
                    lines++;
                    InputRecordParser.Result result = line.result();
                    if (!result.isValid()) {
                        rejected++;
                        reject(file, line, result.error(), result.key());
                        continue;
                    }
                    InputRecord record = result.record();
                    if (timeOffset == null) {
                        timeOffset = options.rebaseTime() ? System.currentTimeMillis() - record.timestamp() : 0L;
                        firstEventTime = record.timestamp();
                        pacingStart = System.nanoTime();
                    }
                    if (timeOffset != 0) {
                        record = withTimestamp(record, record.timestamp() + timeOffset);
                    }
                    if (options.speed() > 0) {
                        pace(pacingStart, (record.timestamp() - timeOffset - firstEventTime) / options.speed());
                    }
                    try {
                        producer.send(record).whenComplete((m, e) -> count(e == null ? acknowledged : failed));
                        sent++;
                    } catch (InvalidRecordException e) {
                        // only a rebased timestamp can break a rule here (too far in the future)
                        rejected++;
                        reject(file, line, "after --rebase-time: " + e.getMessage(), record.key());
                    }
                    long now = System.nanoTime();
                    if (now - lastProgress >= PROGRESS_EVERY_NANOS) {
                        lastProgress = now;
                        listener.progress(progress(sent, rejected, started, now, doneBytes + reader.bytesRead(), totalBytes));
                    }
                }
                doneBytes += reader.size();
            }
            if (stopRequested) {
                break;
            }
        }
        producer.flush();
        long now = System.nanoTime();
        listener.progress(progress(sent, rejected, started, now, stopRequested ? doneBytes : totalBytes, totalBytes));
        return new Summary(lines, sent, acknowledged.get(), rejected, failed.get(), null, stopRequested,
                Duration.ofNanos(now - started));
    }

    private void reject(Path file, RecordFileReader.Line line, String reason, String key) {
        listener.badLine(file, line.number(), reason);
        DeadLetter letter = new DeadLetter(file.toString(), null, line.number(), reason, line.text(), System.currentTimeMillis());
        producer.sendDeadLetter(key, letter).whenComplete((m, e) -> count(e == null ? null : failed));
    }

    private static void count(AtomicLong counter) {
        if (counter != null) {
            counter.incrementAndGet();
        }
    }

    /** Strict mode's first pass: "file:line" of the first bad line (reported to the listener), or null. */
    private String firstBadLine(List<Path> files) throws IOException {
        for (Path file : files) {
            try (RecordFileReader reader = new RecordFileReader(file, options.type())) {
                RecordFileReader.Line line;
                while ((line = reader.next()) != null) {
                    if (!line.result().isValid()) {
                        listener.badLine(file, line.number(), line.result().error());
                        return file + ":" + line.number();
                    }
                }
            }
        }
        return null;
    }

    /** Waits until {@code eventMillisFromStart / speed} of wall time has passed since the start. */
    private void pace(long pacingStartNanos, double wallMillisFromStart) {
        long due = pacingStartNanos + (long) (wallMillisFromStart * 1_000_000);
        long wait;
        while (!stopRequested && (wait = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(200)));
        }
    }

    private static Progress progress(long records, long rejected, long startedNanos, long nowNanos, long doneBytes, long totalBytes) {
        double seconds = Math.max(1e-9, (nowNanos - startedNanos) / 1e9);
        double fraction = totalBytes == 0 ? 1 : Math.min(1, (double) doneBytes / totalBytes);
        Duration eta = fraction <= 0 ? null : Duration.ofMillis((long) (seconds * (1 - fraction) / fraction * 1000));
        return new Progress(records, rejected, records / seconds, fraction, eta);
    }

    static InputRecord withTimestamp(InputRecord record, long timestamp) {
        Object v = record.value();
        if (v instanceof Fill f) {
            return InputRecord.of(new Fill(f.fillId(), f.account(), f.exchange(), f.symbol(), f.side(), f.quantity(), f.price(), f.fee(), timestamp));
        }
        if (v instanceof PriceTick p) {
            return InputRecord.of(new PriceTick(p.exchange(), p.symbol(), p.price(), timestamp));
        }
        if (v instanceof PositionSnapshot s) {
            return InputRecord.of(new PositionSnapshot(s.account(), s.exchange(), s.symbol(), s.size(), timestamp));
        }
        Transfer t = (Transfer) v;
        return InputRecord.of(new Transfer(t.transferId(), t.account(), t.exchange(), t.amount(), timestamp));
    }
}
