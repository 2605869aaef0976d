package io.etrms.gateway.ws;

import java.time.Duration;

/**
 * What the WebSocket side of the gateway needs of its settings (built by {@code GatewaySettings},
 * where every key and default is listed).
 *
 * @param defaultAccount         account of a connection that names none
 * @param maxInboundMessageBytes larger inbound messages close with 1009
 * @param inboundRatePerSecond   sustained inbound frames per connection ...
 * @param inboundBurst           ... and the burst; beyond: 1008
 * @param alertQueueSize         alerts buffered per connection; overflow: 1013
 * @param maxReplaysPerIp        {@code since} replays in progress per client address; beyond: 1013
 * @param pingInterval           protocol ping period
 * @param idleTimeout            no inbound frame for this long: 1001
 * @param sendTimeout            a send in flight for this long: 1013; a close handshake: abort
 */
public record WebSocketRules(
        String defaultAccount,
        int maxInboundMessageBytes,
        double inboundRatePerSecond,
        int inboundBurst,
        int alertQueueSize,
        int maxReplaysPerIp,
        Duration pingInterval,
        Duration idleTimeout,
        Duration sendTimeout) {
}
