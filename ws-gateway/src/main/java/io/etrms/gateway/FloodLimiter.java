package io.etrms.gateway;

/**
 * A token bucket over inbound messages of one connection: {@code burst} messages at once, then
 * {@code ratePerSecond}. The seed clients send one {@code ping} every 30 s; a client far above
 * the limit is closed with 1008 (policy violation).
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

    /** Takes one token; false when the bucket is empty (the message breaks the limit). */
    synchronized boolean tryAcquire(long nowNanos) {
        tokens = Math.min(burst, tokens + (nowNanos - lastNanos) * ratePerNano);
        lastNanos = nowNanos;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }
}
