package io.etrms.gateway;

/** The parts of one running gateway that endpoints and servlets share. */
record GatewayContext(
        GatewaySettings settings,
        GatewayMetrics metrics,
        TopicBroadcaster broadcaster,
        TopicReader reader,
        ConnectionSupervisor supervisor,
        AlertReplay alertReplay,
        RiskControlPublisher controlPublisher) {
}
