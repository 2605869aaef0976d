package io.etrms.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import io.etrms.model.EtrmsConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Token verification and claim mapping, HS256 and RS256. */
class JwtAuthenticatorTest {

    @TempDir
    Path dir;

    @Test
    void shouldVerifyRs256TokensWithThePublicKeyFileAndReadTheClaims() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        Path pem = dir.resolve("jwt.pem");
        Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(keys.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        JwtAuthenticator authenticator = new JwtAuthenticator(GatewaySettings.from(EtrmsConfig.of(Map.of(
                GatewaySettings.AUTH_ENABLED, "true", GatewaySettings.JWT_PUBLIC_KEY_FILE, pem.toString(),
                GatewaySettings.JWT_AUDIENCE, "etrms"))));
        Algorithm rsa = Algorithm.RSA256((RSAPublicKey) keys.getPublic(), (RSAPrivateKey) keys.getPrivate());

        String token = JWT.create().withSubject("desk-bot").withAudience("etrms").withClaim("accounts", "main, acc-2")
                .withExpiresAt(Instant.now().plusSeconds(60)).sign(rsa);
        assertThat(authenticator.authenticate(token)).isEqualTo(new Caller("desk-bot", Set.of("main", "acc-2"), false));

        String admin = JWT.create().withSubject("root").withAudience("etrms").withClaim("roles", List.of("viewer", "admin"))
                .withExpiresAt(Instant.now().plusSeconds(60)).sign(rsa);
        Caller root = authenticator.authenticate(admin);
        assertThat(root.admin()).isTrue();
        assertThat(root.canRead("any-account")).isTrue();

        String otherAudience = JWT.create().withSubject("x").withAudience("elsewhere").withExpiresAt(Instant.now().plusSeconds(60)).sign(rsa);
        assertThatThrownBy(() -> authenticator.authenticate(otherAudience)).isInstanceOf(JwtAuthenticator.InvalidTokenException.class)
                .hasMessageStartingWith("invalid token: ");
        String hs = JWT.create().withSubject("x").withAudience("etrms").withExpiresAt(Instant.now().plusSeconds(60))
                .sign(Algorithm.HMAC256("secret-secret-secret-secret-secret"));
        assertThatThrownBy(() -> authenticator.authenticate(hs)).isInstanceOf(JwtAuthenticator.InvalidTokenException.class);
    }

    @Test
    void shouldGrantOnlyTheListedAccountsWithoutTheAdminRole() {
        Caller caller = new Caller("alice", Set.of("main"), false);
        assertThat(caller.canRead("main")).isTrue();
        assertThat(caller.canRead("acc-2")).isFalse();
        assertThat(new Caller("ops", Set.of("*"), false).canRead("acc-2")).isTrue();
    }
}
