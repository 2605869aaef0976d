package io.etrms.gateway;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.interfaces.Claim;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.auth0.jwt.interfaces.Verification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
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
 */
final class JwtAuthenticator {

    /** A token that is missing, malformed, expired or signed by someone else. */
    static final class InvalidTokenException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidTokenException(String message) {
            super(message);
        }
    }

    private final JWTVerifier verifier;
    private final String accountsClaim;
    private final String rolesClaim;
    private final String adminRole;

    JwtAuthenticator(GatewaySettings settings) {
        Verification verification = JWT.require(algorithm(settings)).acceptLeeway(5);
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
    }

    private static Algorithm algorithm(GatewaySettings settings) {
        if (!settings.jwtPublicKeyFile().isEmpty()) {
            return Algorithm.RSA256(readPublicKey(Path.of(settings.jwtPublicKeyFile())), null);
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
        Set<String> roles = strings(jwt.getClaim(rolesClaim));
        return new Caller(jwt.getSubject() == null ? "unknown" : jwt.getSubject(), strings(jwt.getClaim(accountsClaim)),
                roles.contains(adminRole));
    }

    private static Set<String> strings(Claim claim) {
        if (claim == null || claim.isMissing() || claim.isNull()) {
            return Set.of();
        }
        List<String> list = claim.asList(String.class);
        if (list == null) {
            String text = claim.asString();
            list = text == null ? List.of() : Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        }
        return new LinkedHashSet<>(list);
    }
}
