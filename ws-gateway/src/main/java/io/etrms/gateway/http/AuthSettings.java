package io.etrms.gateway.http;

import java.time.Duration;

/**
 * The token rules of {@link JwtAuthenticator} (built by {@code GatewaySettings}, where every key
 * and default is listed). Empty strings mean "not set".
 */
public record AuthSettings(
        String jwtSecret,
        String jwtPublicKeyFile,
        String jwtIssuer,
        String jwtAudience,
        String accountsClaim,
        String rolesClaim,
        String adminRole,
        Duration jwtMaxLifetime) {

    public static final String JWT_SECRET = "etrms.auth.jwt.secret";
    public static final String JWT_MAX_LIFETIME_SECONDS = "etrms.auth.jwt.max.lifetime.seconds";
}
