package io.etrms.gateway;

import io.etrms.gateway.http.ApiRules;
import io.etrms.gateway.http.AuthSettings;
import io.etrms.gateway.http.ChangeRules;
import io.etrms.gateway.ws.WebSocketRules;
import io.etrms.http.HttpHardening;
import io.etrms.http.HttpLimits;
import io.etrms.model.EtrmsConfig;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gateway's own settings, read once from an {@link EtrmsConfig}. Every key, its default and
 * its meaning is listed in {@code ws-gateway/README.md}; {@link #defaults()} is the single source
 * of the default values.
 */
public record GatewaySettings(
        String host,
        int port,
        String defaultAccount,
        List<String> allowedOrigins,
        HttpLimits httpLimits,
        int maxWebSockets,
        int maxWebSocketsPerIp,
        int maxConcurrentPosts,
        Duration maxPostWait,
        int alertHistoryPerAccount,
        int alertHistoryMax,
        int maxReplaysPerIp,
        Duration overviewInterval,
        Duration historyResolution,
        Duration historyRetention,
        long historyMaxPoints,
        Duration pingInterval,
        Duration idleTimeout,
        Duration sendTimeout,
        int maxInboundMessageBytes,
        double inboundRatePerSecond,
        int inboundBurst,
        int alertQueueSize,
        int restAlertLimitMax,
        Duration shutdownGrace,
        boolean authEnabled,
        String jwtSecret,
        String jwtPublicKeyFile,
        String jwtIssuer,
        String jwtAudience,
        String accountsClaim,
        String rolesClaim,
        String adminRole,
        Duration jwtMaxLifetime,
        String instanceId,
        int resetApprovals,
        Duration resetApprovalTtl,
        int auditHistoryMax) {

    /** Prefix of the HTTP keys, those of {@link HttpLimits} included. */
    public static final String HTTP_PREFIX = "etrms.http.";
    public static final String HTTP_HOST = "etrms.http.host";
    public static final String HTTP_ALLOW_REMOTE_UNAUTHENTICATED = "etrms.http.allow.remote.unauthenticated";
    public static final String MAX_WEBSOCKETS = ApiRules.MAX_WEBSOCKETS;
    public static final String MAX_WEBSOCKETS_PER_IP = ApiRules.MAX_WEBSOCKETS_PER_IP;
    public static final String MAX_CONCURRENT_POSTS = "etrms.gateway.max.concurrent.posts";
    public static final String MAX_POST_WAIT_MS = "etrms.gateway.max.post.wait.ms";
    public static final String ALERT_HISTORY_PER_ACCOUNT = "etrms.gateway.alert.history.per.account";
    public static final String ALERT_HISTORY_MAX = "etrms.gateway.alert.history.max";
    public static final String MAX_REPLAYS_PER_IP = "etrms.gateway.max.replays.per.ip";
    public static final String OVERVIEW_INTERVAL_MS = "etrms.gateway.overview.interval.ms";
    public static final String HISTORY_RESOLUTION_MS = "etrms.gateway.history.resolution.ms";
    public static final String HISTORY_RETENTION_MS = "etrms.gateway.history.retention.ms";
    public static final String HISTORY_MAX_POINTS = "etrms.gateway.history.max.points";
    public static final String JWT_MAX_LIFETIME_SECONDS = AuthSettings.JWT_MAX_LIFETIME_SECONDS;
    public static final String HTTP_PORT = "etrms.http.port";
    public static final String HTTP_ALLOWED_ORIGINS = "etrms.http.allowed.origins";
    public static final String DEFAULT_ACCOUNT = "etrms.default.account";
    public static final String PING_INTERVAL_MS = "etrms.gateway.ping.interval.ms";
    public static final String IDLE_TIMEOUT_MS = "etrms.gateway.idle.timeout.ms";
    public static final String SEND_TIMEOUT_MS = "etrms.gateway.send.timeout.ms";
    public static final String MAX_INBOUND_MESSAGE_BYTES = "etrms.gateway.max.inbound.message.bytes";
    public static final String INBOUND_RATE = "etrms.gateway.inbound.messages.per.second";
    public static final String INBOUND_BURST = "etrms.gateway.inbound.burst";
    public static final String ALERT_QUEUE_SIZE = "etrms.gateway.alert.queue.size";
    public static final String REST_ALERT_LIMIT_MAX = "etrms.gateway.rest.alert.limit.max";
    public static final String SHUTDOWN_GRACE_MS = "etrms.gateway.shutdown.grace.ms";
    public static final String AUTH_ENABLED = "etrms.auth.enabled";
    public static final String JWT_SECRET = AuthSettings.JWT_SECRET;
    public static final String JWT_PUBLIC_KEY_FILE = "etrms.auth.jwt.public.key.file";
    public static final String JWT_ISSUER = "etrms.auth.jwt.issuer";
    public static final String JWT_AUDIENCE = "etrms.auth.jwt.audience";
    public static final String ACCOUNTS_CLAIM = "etrms.auth.accounts.claim";
    public static final String ROLES_CLAIM = "etrms.auth.roles.claim";
    public static final String ADMIN_ROLE = "etrms.auth.admin.role";
    public static final String INSTANCE_ID = ChangeRules.INSTANCE_ID;
    public static final String RESET_APPROVALS = ChangeRules.RESET_APPROVALS;
    public static final String RESET_APPROVAL_TTL_SECONDS = ChangeRules.RESET_APPROVAL_TTL_SECONDS;
    public static final String AUDIT_HISTORY_MAX = "etrms.gateway.audit.history.max";

    /** Every key of this class with its default ("" = unset). */
    public static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(HTTP_HOST, "");
        d.put(HTTP_ALLOW_REMOTE_UNAUTHENTICATED, "false");
        d.put(HTTP_PORT, "8000");
        d.put(HTTP_ALLOWED_ORIGINS, "same-origin,null");
        d.putAll(HttpLimits.defaults(HTTP_PREFIX, 21_000, 1_100, Duration.ofSeconds(10)));
        d.put(MAX_WEBSOCKETS, "20000");
        d.put(MAX_WEBSOCKETS_PER_IP, "1000");
        d.put(MAX_CONCURRENT_POSTS, "8");
        d.put(MAX_POST_WAIT_MS, "5000");
        d.put(ALERT_HISTORY_PER_ACCOUNT, "1000");
        d.put(ALERT_HISTORY_MAX, "20000");
        d.put(MAX_REPLAYS_PER_IP, "8");
        d.put(OVERVIEW_INTERVAL_MS, "500");
        d.put(HISTORY_RESOLUTION_MS, "1000");
        d.put(HISTORY_RETENTION_MS, "86400000");
        d.put(HISTORY_MAX_POINTS, "2000000");
        d.put(DEFAULT_ACCOUNT, "main");
        d.put(PING_INTERVAL_MS, "20000");
        d.put(IDLE_TIMEOUT_MS, "90000");
        d.put(SEND_TIMEOUT_MS, "30000");
        d.put(MAX_INBOUND_MESSAGE_BYTES, "4096");
        d.put(INBOUND_RATE, "5");
        d.put(INBOUND_BURST, "20");
        d.put(ALERT_QUEUE_SIZE, "1024");
        d.put(REST_ALERT_LIMIT_MAX, "1000");
        d.put(SHUTDOWN_GRACE_MS, "5000");
        d.put(AUTH_ENABLED, "false");
        d.put(JWT_SECRET, "");
        d.put(JWT_PUBLIC_KEY_FILE, "");
        d.put(JWT_ISSUER, "");
        d.put(JWT_AUDIENCE, "");
        d.put(ACCOUNTS_CLAIM, "accounts");
        d.put(ROLES_CLAIM, "roles");
        d.put(ADMIN_ROLE, "admin");
        d.put(JWT_MAX_LIFETIME_SECONDS, "86400");
        d.put(INSTANCE_ID, "");
        d.put(RESET_APPROVALS, "1");
        d.put(RESET_APPROVAL_TTL_SECONDS, "900");
        d.put(AUDIT_HISTORY_MAX, "10000");
        return d;
    }

    public static GatewaySettings from(EtrmsConfig config) {
        Map<String, String> d = defaults();
        Reader r = new Reader(config, d);
        boolean auth = r.bool(AUTH_ENABLED);
        GatewaySettings settings = new GatewaySettings(
                HttpHardening.bindHost(r.text(HTTP_HOST), auth, r.bool(HTTP_ALLOW_REMOTE_UNAUTHENTICATED), HTTP_HOST,
                        AUTH_ENABLED + "=true", HTTP_ALLOW_REMOTE_UNAUTHENTICATED),
                r.integer(HTTP_PORT, 0, 65535),
                r.text(DEFAULT_ACCOUNT),
                r.list(HTTP_ALLOWED_ORIGINS),
                HttpLimits.from(config.withDefaults(d), HTTP_PREFIX),
                r.integer(MAX_WEBSOCKETS, 1, 10_000_000),
                r.integer(MAX_WEBSOCKETS_PER_IP, 1, 10_000_000),
                r.integer(MAX_CONCURRENT_POSTS, 1, 10_000),
                Duration.ofMillis(r.integer(MAX_POST_WAIT_MS, 0, Integer.MAX_VALUE)),
                // a replay is queued whole on the new connection: it must fit in the connection's queue
                Math.min(r.integer(ALERT_HISTORY_PER_ACCOUNT, 1, 1_000_000), r.integer(ALERT_QUEUE_SIZE, 1, 1_000_000)),
                r.integer(ALERT_HISTORY_MAX, 1, 100_000_000),
                r.integer(MAX_REPLAYS_PER_IP, 1, 1_000_000),
                Duration.ofMillis(r.integer(OVERVIEW_INTERVAL_MS, 10, 3_600_000)),
                Duration.ofMillis(r.integer(HISTORY_RESOLUTION_MS, 1, 3_600_000)),
                Duration.ofMillis(r.integer(HISTORY_RETENTION_MS, 1_000, Integer.MAX_VALUE)),
                r.integer(HISTORY_MAX_POINTS, 1, 500_000_000),
                Duration.ofMillis(r.integer(PING_INTERVAL_MS, 10, Integer.MAX_VALUE)),
                Duration.ofMillis(r.integer(IDLE_TIMEOUT_MS, 100, Integer.MAX_VALUE)),
                Duration.ofMillis(r.integer(SEND_TIMEOUT_MS, 100, Integer.MAX_VALUE)),
                r.integer(MAX_INBOUND_MESSAGE_BYTES, 64, 1 << 20),
                r.decimal(INBOUND_RATE),
                r.integer(INBOUND_BURST, 1, 1_000_000),
                r.integer(ALERT_QUEUE_SIZE, 1, 1_000_000),
                r.integer(REST_ALERT_LIMIT_MAX, 1, 1_000_000),
                Duration.ofMillis(r.integer(SHUTDOWN_GRACE_MS, 0, Integer.MAX_VALUE)),
                auth,
                r.text(JWT_SECRET),
                r.text(JWT_PUBLIC_KEY_FILE),
                r.text(JWT_ISSUER),
                r.text(JWT_AUDIENCE),
                r.text(ACCOUNTS_CLAIM),
                r.text(ROLES_CLAIM),
                r.text(ADMIN_ROLE),
                Duration.ofSeconds(r.integer(JWT_MAX_LIFETIME_SECONDS, 1, Integer.MAX_VALUE)),
                r.text(INSTANCE_ID).isEmpty() ? "gw-" + java.util.UUID.randomUUID() : r.text(INSTANCE_ID),
                r.integer(RESET_APPROVALS, 1, 2),
                Duration.ofSeconds(r.integer(RESET_APPROVAL_TTL_SECONDS, 1, Integer.MAX_VALUE)),
                r.integer(AUDIT_HISTORY_MAX, 1, 10_000_000));
        if (settings.instanceId.length() > 200 || settings.instanceId.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new IllegalArgumentException("configuration " + INSTANCE_ID + " must be at most 200 characters without spaces");
        }
        if (settings.defaultAccount.isBlank() || settings.defaultAccount.contains("|")) {
            throw new IllegalArgumentException("configuration " + DEFAULT_ACCOUNT + " must be a non-blank account id without '|'");
        }
        if (settings.authEnabled && settings.jwtSecret.isEmpty() && settings.jwtPublicKeyFile.isEmpty()) {
            throw new IllegalArgumentException(AUTH_ENABLED + "=true needs " + JWT_SECRET + " (HS256) or " + JWT_PUBLIC_KEY_FILE + " (RS256)");
        }
        if (settings.inboundRatePerSecond <= 0) {
            throw new IllegalArgumentException("configuration " + INBOUND_RATE + " must be > 0");
        }
        return settings;
    }

    /** The WebSocket connections' rules. */
    public WebSocketRules webSocketRules() {
        return new WebSocketRules(defaultAccount, maxInboundMessageBytes, inboundRatePerSecond, inboundBurst, alertQueueSize,
                maxReplaysPerIp, pingInterval, idleTimeout, sendTimeout);
    }

    /** The HTTP API's rules. */
    public ApiRules apiRules() {
        return new ApiRules(defaultAccount, allowedOrigins, maxWebSockets, maxWebSocketsPerIp, restAlertLimitMax, maxReplaysPerIp);
    }

    /** The rules of the changes made through the REST API (audit, approvals). */
    public ChangeRules changeRules() {
        return new ChangeRules(instanceId, resetApprovals, resetApprovalTtl);
    }

    /** The token rules (used when {@link #authEnabled()}). */
    public AuthSettings auth() {
        return new AuthSettings(jwtSecret, jwtPublicKeyFile, jwtIssuer, jwtAudience, accountsClaim, rolesClaim, adminRole, jwtMaxLifetime);
    }

    /** Reads keys with this class's defaults underneath the configuration. */
    private record Reader(EtrmsConfig config, Map<String, String> defaults) {
        String text(String key) {
            return config.get(key, defaults.get(key)).trim();
        }

        int integer(String key, int min, int max) {
            String value = text(key);
            int parsed;
            try {
                parsed = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("configuration " + key + " must be an integer, was '" + value + "'", e);
            }
            if (parsed < min || parsed > max) {
                throw new IllegalArgumentException("configuration " + key + " must be between " + min + " and " + max + ", was " + parsed);
            }
            return parsed;
        }

        double decimal(String key) {
            String value = text(key);
            try {
                return Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("configuration " + key + " must be a number, was '" + value + "'", e);
            }
        }

        boolean bool(String key) {
            String value = text(key).toLowerCase(java.util.Locale.ROOT);
            if (!value.equals("true") && !value.equals("false")) {
                throw new IllegalArgumentException("configuration " + key + " must be true or false, was '" + value + "'");
            }
            return Boolean.parseBoolean(value);
        }

        List<String> list(String key) {
            return Arrays.stream(text(key).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        }
    }
}
