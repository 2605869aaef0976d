package io.etrms.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etrms.model.EtrmsConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Configuration keys, their defaults and the layers above them; the command line. */
class GatewaySettingsTest {

    @Test
    void shouldUseTheDocumentedDefaults() {
        GatewaySettings settings = GatewaySettings.from(EtrmsConfig.of(Map.of()));

        assertThat(settings.port()).isEqualTo(8000);
        assertThat(settings.host()).isEqualTo("127.0.0.1"); // auth is off: loopback only
        assertThat(settings.defaultAccount()).isEqualTo("main");
        assertThat(settings.allowedOrigins()).containsExactly("same-origin", "null");
        assertThat(settings.pingInterval()).isEqualTo(Duration.ofSeconds(20));
        assertThat(settings.idleTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(settings.maxInboundMessageBytes()).isEqualTo(4096);
        assertThat(settings.alertQueueSize()).isEqualTo(1024);
        assertThat(settings.authEnabled()).isFalse();
    }

    @Test
    void shouldTakeEnvironmentOverFileDefaultsAndFlagsOverEnvironment() {
        EtrmsConfig config = EtrmsConfig.load(GatewaySettings.defaults(), null,
                Map.of("ETRMS_HTTP_PORT", "8100", "ETRMS_DEFAULT_ACCOUNT", "desk-1", "ETRMS_HTTP_ALLOWED_ORIGINS", "https://a.example, https://b.example"),
                Map.of(GatewaySettings.HTTP_PORT, "8200"));
        GatewaySettings settings = GatewaySettings.from(config);

        assertThat(settings.port()).isEqualTo(8200);
        assertThat(settings.defaultAccount()).isEqualTo("desk-1");
        assertThat(settings.allowedOrigins()).isEqualTo(List.of("https://a.example", "https://b.example"));
    }

    @Test
    void shouldRefuseBadValuesWithTheKeyInTheMessage() {
        assertThatThrownBy(() -> GatewaySettings.from(EtrmsConfig.of(Map.of(GatewaySettings.HTTP_PORT, "eighty"))))
                .hasMessage("configuration etrms.http.port must be an integer, was 'eighty'");
        assertThatThrownBy(() -> GatewaySettings.from(EtrmsConfig.of(Map.of(GatewaySettings.HTTP_PORT, "70000"))))
                .hasMessage("configuration etrms.http.port must be between 0 and 65535, was 70000");
        assertThatThrownBy(() -> GatewaySettings.from(EtrmsConfig.of(Map.of(GatewaySettings.DEFAULT_ACCOUNT, "a|b"))))
                .hasMessage("configuration etrms.default.account must be a non-blank account id without '|'");
    }

    @Test
    void shouldDocumentEveryKeyWithItsDefaultInTheReadme() throws Exception {
        java.nio.file.Path here = java.nio.file.Path.of(System.getProperty("user.dir"));
        java.nio.file.Path readme = java.nio.file.Files.exists(here.resolve("README.md")) && java.nio.file.Files.exists(here.resolve("src/test/node"))
                ? here.resolve("README.md") : java.nio.file.Path.of(System.getProperty("etrms.repo.root")).resolve("ws-gateway/README.md");
        String text = java.nio.file.Files.readString(readme);
        GatewaySettings.defaults().forEach((key, value) -> assertThat(text)
                .contains(value.isEmpty() ? "| `" + key + "` | *(empty" : "| `" + key + "` | `" + value + "` |"));
    }

    @Test
    void shouldPrintUsageWithEveryFlag() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CommandLine command = new CommandLine(new GatewayMain());
        command.setOut(new PrintWriter(out, true));

        assertThat(command.execute("--help")).isZero();
        assertThat(out.toString()).contains("--bootstrap-servers", "--port", "--config", "--topic-prefix", "--default-account", "-D, --set");
    }
}
