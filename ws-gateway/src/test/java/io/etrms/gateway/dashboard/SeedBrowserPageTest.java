package io.etrms.gateway.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etrms.gateway.GatewayServer;
import io.etrms.model.Alert;
import io.etrms.testing.KafkaCluster;
import io.etrms.testing.KafkaClusterExtension;
import io.etrms.testing.SeedExamples;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The user's own browser page ({@code ### Browser-based WebSocket Client} in
 * {@code shared/seed/websocket-api-examples.md}), extracted at test time and loaded unchanged from a
 * {@code file://} URL in headless Chromium. It hardcodes {@code ws://localhost:8000} and no account,
 * so the gateway binds port 8000 and the data is for the default account {@code main}.
 */
@ExtendWith(KafkaClusterExtension.class)
class SeedBrowserPageTest {

    private static final List<String> ENDPOINTS = List.of("positions", "accounts", "risk-metrics", "alerts");

    @TempDir
    Path work;

    @Test
    void shouldShowConnectedAndDataInAllFourBoxesOfTheSeedPage(KafkaCluster kafka) throws Exception {
        String html = SeedExamples.block("Browser-based WebSocket Client", "html").code();
        assertThat(html).contains("const baseUrl = 'ws://localhost:8000/api/v1/ws';");
        Path page = Files.writeString(work.resolve("etrms-monitor.html"), html);
        try (DashboardStack stack = new DashboardStack(kafka)) {
            stack.send(stack.live.portfolio, "main", KnownAccount.portfolio("main"));
            stack.send(stack.live.accounts, "main", KnownAccount.accounts("main"));
            stack.send(stack.live.riskMetrics, "main", KnownAccount.riskMetrics("main", KnownAccount.TS, "30700", "ACTIVE"));
            try (GatewayServer gateway = stack.startGateway(8000);
                 HeadlessChromium chromium = HeadlessChromium.start(work.resolve("profile"))) {
                var driver = chromium.driver;
                WebDriverWait wait = chromium.waitUpTo(Duration.ofSeconds(20));
                driver.get(page.toUri().toString());
                for (String endpoint : ENDPOINTS) {
                    wait.until(ExpectedConditions.textToBe(By.id(endpoint + "-status"), "Connected"));
                }
                // the page subscribes to alerts from now on: publish once the gateway counts its connection
                await().atMost(Duration.ofSeconds(20)).until(() -> DashboardStack.connections(gateway, "alerts") == 1);
                stack.send(stack.live.alerts, "main", KnownAccount.alert("main", 1, Alert.TRIPPED, "max_drawdown", "critical", "Drawdown 6.25% exceeds 5%"));

                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("alerts-data"), "\"alert_id\": 1"));
                assertThat(text(driver, "positions-data")).contains("\"type\": \"positions\"", "\"account\": \"main\"", "\"total_position_value\": 43400",
                        "\"total_unrealized_pnl\": 600", "\"symbol\": \"ETH/USDT:USDT\"");
                assertThat(text(driver, "accounts-data")).contains("\"type\": \"accounts\"", "\"balance\": 9850", "\"equity\": 21250");
                assertThat(text(driver, "risk-metrics-data")).contains("\"type\": \"risk_metrics\"", "\"total_equity\": 30700",
                        "\"current_drawdown\": 4.0625", "\"trading_state\": \"ACTIVE\"");
                assertThat(text(driver, "alerts-data")).contains("\"type\": \"circuit_breaker\"", "\"condition_name\": \"max_drawdown\"");
                assertThat(text(driver, "alerts-list")).contains("Drawdown 6.25% exceeds 5%", "Exchange: * | Symbol: *",
                        "Action: published max_drawdown #1");
                for (String endpoint : ENDPOINTS) {
                    assertThat(text(driver, endpoint + "-status")).as(endpoint).isEqualTo("Connected");
                }
                chromium.screenshot(Path.of("target", "dashboard", "seed-browser-page.png"));
            }
        }
    }

    private static String text(org.openqa.selenium.WebDriver driver, String id) {
        return driver.findElement(By.id(id)).getText();
    }
}
