package io.etrms.gateway.ws;

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

    /**
     * Takes one token; false when the bucket is empty (the frame breaks the limit). Called by
     * Jetty for one frame at a time per connection.
     */
    boolean tryAcquire(long nowNanos) {
        tokens = Math.min(burst, tokens + (nowNanos - lastNanos) * ratePerNano);
        lastNanos = nowNanos;
        if (tokens < 1) {
            tokens = 0;
            return false;
        }
        tokens -= 1;
        return true;
    }
}
