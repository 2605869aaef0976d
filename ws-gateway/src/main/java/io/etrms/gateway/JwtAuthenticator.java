package io.etrms.gateway;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTDecodeException;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.interfaces.Claim;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.auth0.jwt.interfaces.Verification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Verifies JSON Web Tokens with auth0 java-jwt: HS256 with {@code etrms.auth.jwt.secret} or RS256
 * with the RSA public key in {@code etrms.auth.jwt.public.key.file}; signature, {@code exp}/{@code nbf}
 * (5 s leeway) and, when configured, {@code iss} and {@code aud}. The accounts claim (a list, or a
 * comma-separated string) names the readable accounts; the roles claim must contain the admin role
 * for admin rights.
 *
 * <p>Refused: a token without {@code exp}; one that lives longer than
 * {@code etrms.auth.jwt.max.lifetime.seconds} (from {@code iat}, or from now without it), so a
 * leaked token cannot be good for years; an accounts or roles claim that is neither a list of
 * strings nor a string (401, never a 500). The service refuses to start with an HS256 secret
 * shorter than {@link #MIN_SECRET_BYTES} bytes or an RSA key shorter than {@link #MIN_RSA_BITS} bits.
 */
final class JwtAuthenticator {

    /** A token that is missing, malformed, expired or signed by someone else. */
    static final class InvalidTokenException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidTokenException(String message) {
            super(message);
        }
    }

    /** An HS256 secret shorter than the hash (RFC 7518 §3.2) can be brute-forced offline from one token. */
    static final int MIN_SECRET_BYTES = 32;
    static final int MIN_RSA_BITS = 2048;

    private final JWTVerifier verifier;
    private final Duration maxLifetime;
    private final String accountsClaim;
    private final String rolesClaim;
    private final String adminRole;

    JwtAuthenticator(GatewaySettings settings) {
        Verification verification = JWT.require(algorithm(settings)).acceptLeeway(5).withClaimPresence("exp");
        if (!settings.jwtIssuer().isEmpty()) {
            verification = verification.withIssuer(settings.jwtIssuer());
        }
        if (!settings.jwtAudience().isEmpty()) {
            verification = verification.withAudience(settings.jwtAudience());
        }
        this.verifier = verification.build();
        this.accountsClaim = settings.accountsClaim();
        this.rolesClaim = settings.rolesClaim();
        this.adminRole = settings.adminRole();
        this.maxLifetime = settings.jwtMaxLifetime();
    }

    private static Algorithm algorithm(GatewaySettings settings) {
        if (!settings.jwtPublicKeyFile().isEmpty()) {
            RSAPublicKey key = readPublicKey(Path.of(settings.jwtPublicKeyFile()));
            if (key.getModulus().bitLength() < MIN_RSA_BITS) {
                throw new IllegalArgumentException("the RSA key in " + settings.jwtPublicKeyFile() + " has " + key.getModulus().bitLength()
                        + " bits: at least " + MIN_RSA_BITS + " are required");
            }
            return Algorithm.RSA256(key, null);
        }
        int length = settings.jwtSecret().getBytes(StandardCharsets.UTF_8).length;
        if (length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException(GatewaySettings.JWT_SECRET + " has " + length + " bytes: at least " + MIN_SECRET_BYTES
                    + " are required (e.g. openssl rand -base64 32)");
        }
        return Algorithm.HMAC256(settings.jwtSecret());
    }

    static RSAPublicKey readPublicKey(Path pem) {
        try {
            String base64 = Files.readString(pem)
                    .replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "")
                    .replaceAll("\\s", "");
            return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot read the RSA public key (PEM, X.509 SubjectPublicKeyInfo) from " + pem + ": " + e.getMessage(), e);
        }
    }

    Caller authenticate(String token) throws InvalidTokenException {
        if (token == null || token.isBlank()) {
            throw new InvalidTokenException("missing token: pass ?token= or an Authorization: Bearer header");
        }
        DecodedJWT jwt;
        try {
            jwt = verifier.verify(token.trim());
        } catch (JWTVerificationException e) {
            throw new InvalidTokenException("invalid token: " + e.getMessage());
        }
        Instant expires = jwt.getExpiresAtAsInstant();
        Instant issued = jwt.getIssuedAtAsInstant() != null ? jwt.getIssuedAtAsInstant() : Instant.now();
        if (Duration.between(issued, expires).compareTo(maxLifetime) > 0) {
            throw new InvalidTokenException("invalid token: it lives longer than " + maxLifetime.toSeconds() + " s ("
                    + GatewaySettings.JWT_MAX_LIFETIME_SECONDS + ")");
        }
        Set<String> roles = strings(jwt, rolesClaim);
        return new Caller(jwt.getSubject() == null ? "unknown" : jwt.getSubject(), strings(jwt, accountsClaim),
                roles.contains(adminRole));
    }

    /** A claim that is a list of strings or a comma-separated string; anything else is a bad token. */
    private static Set<String> strings(DecodedJWT jwt, String name) throws InvalidTokenException {
        Claim claim = jwt.getClaim(name);
        if (claim == null || claim.isMissing() || claim.isNull()) {
            return Set.of();
        }
        List<String> list;
        try {
            list = claim.asList(String.class);
        } catch (JWTDecodeException e) {
            throw new InvalidTokenException("invalid token: claim " + name + " must be a list of strings or a string");
        }
        if (list == null && claim.asString() == null) {
            throw new InvalidTokenException("invalid token: claim " + name + " must be a list of strings or a string");
        }
        if (list == null) {
            String text = claim.asString();
            list = text == null ? List.of() : Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        }
        return new LinkedHashSet<>(list);
    }
}
