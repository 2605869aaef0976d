package io.etrms.gateway.http;

import java.util.List;

/**
 * What the HTTP side of the gateway needs of its settings (built by {@code GatewaySettings},
 * where every key and default is listed).
 *
 * @param defaultAccount     account of a request that names none
 * @param allowedOrigins     the {@code OriginPolicy} entries
 * @param maxWebSockets      open WebSockets in all; one more upgrade: 503
 * @param maxWebSocketsPerIp open WebSockets from one address; one more upgrade: 503
 * @param restAlertLimitMax  largest {@code limit} of {@code GET /api/v1/alerts}
 * @param maxReplaysPerIp    alert replays in progress per client address; beyond: 503
 */
public record ApiRules(
        String defaultAccount,
        List<String> allowedOrigins,
        int maxWebSockets,
        int maxWebSocketsPerIp,
        int restAlertLimitMax,
        int maxReplaysPerIp) {

    public static final String MAX_WEBSOCKETS = "etrms.gateway.max.websockets";
    public static final String MAX_WEBSOCKETS_PER_IP = "etrms.gateway.max.websockets.per.ip";
}
