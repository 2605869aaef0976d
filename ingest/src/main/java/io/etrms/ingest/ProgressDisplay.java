package io.etrms.ingest;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Renders replay progress and bad lines for a person at a terminal: on a console one line
 * rewritten in place (carriage return), otherwise a new line every few seconds so logs stay
 * readable. Bad lines always get a line of their own ({@code file:line: reason}).
 */
final class ProgressDisplay implements FileReplayer.Listener {

    private static final long LOG_EVERY_NANOS = Duration.ofSeconds(5).toNanos();

    private final PrintWriter out;
    private final boolean console;
    private final int maxBadLinesShown;
    private long badLines;
    private long lastLogged;
    private boolean lineOpen;

    ProgressDisplay(PrintWriter out, boolean console, int maxBadLinesShown) {
        this.out = out;
        this.console = console;
        this.maxBadLinesShown = maxBadLinesShown;
    }

    @Override
    public void badLine(Path file, long line, String reason) {
        badLines++;
        if (badLines <= maxBadLinesShown) {
            endLine();
            out.printf("%s:%d: %s%n", file, line, reason);
        } else if (badLines == maxBadLinesShown + 1) {
            endLine();
            out.printf("(more bad lines not shown; every one is on the dead-letters topic)%n");
        }
        out.flush();
    }

    @Override
    public void progress(FileReplayer.Progress p) {
        String text = String.format("replay: %,d records, %,d rejected, %,.0f records/s, %5.1f %%, ETA %s",
                p.records(), p.rejected(), p.rate(), p.fraction() * 100, format(p.eta()));
        if (console) {
            out.print("\r" + text + "\u001B[K");
            lineOpen = true;
        } else {
            long now = System.nanoTime();
            if (now - lastLogged < LOG_EVERY_NANOS && p.fraction() < 1) {
                return;
            }
            lastLogged = now;
            out.println(text);
        }
        out.flush();
    }

    void summary(FileReplayer.Summary s) {
        endLine();
        if (s.stoppedAt() != null) {
            out.printf("replay: stopped at %s (--strict): nothing was sent%n", s.stoppedAt());
        } else {
            double seconds = Math.max(1e-9, s.elapsed().toNanos() / 1e9);
            out.printf("replay: %s%n  lines read    %,d%n  records sent  %,d (acknowledged %,d, refused by Kafka %,d)%n"
                            + "  bad lines     %,d (sent to dead-letters)%n  time          %.1f s, %,.0f records/s%n",
                    s.interrupted() ? "interrupted" : "done", s.lines(), s.sent(), s.acknowledged(), s.failed(),
                    s.rejected(), seconds, s.sent() / seconds);
        }
        out.flush();
    }

    private void endLine() {
        if (lineOpen) {
            out.println();
            lineOpen = false;
        }
    }

    static String format(Duration d) {
        if (d == null) {
            return "--:--";
        }
        long s = d.toSeconds();
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format("%d:%02d", s / 60, s % 60);
    }
}
