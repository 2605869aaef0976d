package io.etrms.gateway;

/**
 * A token bucket over the inbound frames of one connection (every kind: a ping flood costs the
 * server a pong each): {@code burst} frames at once, then {@code ratePerSecond}. The seed clients
 * send one {@code ping} text every 30 s and answer the server's pings; a client far above the
 * limit is closed with 1008 (policy violation).
 */
final class FloodLimiter {

    private final double ratePerNano;
    private final double burst;
    private double tokens;
    private long lastNanos;

    FloodLimiter(double ratePerSecond, int burst, long nowNanos) {
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.lastNanos = nowNanos;
    }

    /** Takes one token; false when the bucket is empty (the frame breaks the limit). */
    boolean tryAcquire(long nowNanos) {
        return tryAcquire(1, nowNanos);
    }

    /** Takes {@code frames} tokens; false when there are not so many (the frames break the limit). */
    synchronized boolean tryAcquire(long frames, long nowNanos) {
        tokens = Math.min(burst, tokens + (nowNanos - lastNanos) * ratePerNano);
        lastNanos = nowNanos;
        if (tokens < frames) {
            tokens = 0;
            return false;
        }
        tokens -= frames;
        return true;
    }
}
