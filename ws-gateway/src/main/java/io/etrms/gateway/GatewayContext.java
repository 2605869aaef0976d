package io.etrms.gateway;

import io.etrms.http.AddressCounts;

/**
 * The parts of one running gateway that endpoints and servlets share.
 *
 * @param replays alert replays in progress per client address (WebSocket {@code since} and REST {@code /alerts})
 */
record GatewayContext(
        GatewaySettings settings,
        GatewayMetrics metrics,
        TopicBroadcaster broadcaster,
        TopicReader reader,
        ConnectionSupervisor supervisor,
        AlertHistory history,
        AddressCounts replays,
        RiskControlPublisher controlPublisher) {
}
