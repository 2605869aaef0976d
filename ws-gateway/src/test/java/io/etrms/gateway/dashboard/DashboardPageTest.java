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
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard at {@code GET /} in headless Chromium against a real broker and gateway fed the
 * hand-computed payloads of {@link KnownAccount}: the figures, a live update, an alert, a
 * gateway restart that the page rides out without losing or repeating an alert, the admin reset.
 * Leaves a screenshot in {@code target/dashboard/dashboard.png} and {@code docs/dashboard.png}.
 */
@ExtendWith(KafkaClusterExtension.class)
class DashboardPageTest {

    private static final String ACCOUNT = "alpha";
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @TempDir
    Path profile;

    @Test
    void shouldShowHandComputedFiguresAlertsAcrossAGatewayRestartAndTheAdminReset(KafkaCluster kafka) throws Exception {
        try (DashboardStack stack = new DashboardStack(kafka)) {
            // Given the hand-computed account on the output topics
            stack.send(stack.live.portfolio, ACCOUNT, KnownAccount.portfolio(ACCOUNT));
            stack.send(stack.live.accounts, ACCOUNT, KnownAccount.accounts(ACCOUNT));
            stack.send(stack.live.riskMetrics, ACCOUNT, KnownAccount.riskMetrics(ACCOUNT, KnownAccount.TS, "30700", "ACTIVE"));
            GatewayServer gateway = stack.startGateway(0);
            int port = gateway.port();
            try (HeadlessChromium chromium = HeadlessChromium.start(profile)) {
                var driver = chromium.driver;
                WebDriverWait wait = chromium.waitUpTo(DEADLINE);

                // When the page opens on the default account and the user picks "alpha" in the selector
                driver.get("http://127.0.0.1:" + port + "/");
                wait.until(ExpectedConditions.textToBe(By.id("connection-status"), "Connected"));
                WebElement selector = driver.findElement(By.id("account-input"));
                selector.clear();
                selector.sendKeys(ACCOUNT, Keys.ENTER);

                // Then it shows the hand-computed figures (see KnownAccount for the arithmetic)
                wait.until(ExpectedConditions.textToBe(By.id("kpi-equity"), "$30,700.00"));       // 21250 + 9450
                assertThat(driver.getCurrentUrl()).endsWith("?account=alpha");
                assertThat(text(driver, "kpi-peak")).isEqualTo("$32,000.00");
                assertThat(text(driver, "kpi-total-pnl")).isEqualTo("$700.00");                   // 250 - 150 + 600
                assertThat(text(driver, "kpi-daily-pnl")).isEqualTo("-$300.00");
                assertThat(driver.findElement(By.id("kpi-daily-pnl")).getAttribute("class")).contains("neg");
                assertThat(text(driver, "kpi-exposure")).isEqualTo("$43,400.00");                 // 31000 + 12400
                assertThat(text(driver, "kpi-net-exposure")).isEqualTo("$18,600.00");             // 31000 - 12400
                assertThat(text(driver, "kpi-drawdown")).isEqualTo("4.06%");                      // (32000 - 30700) / 32000 = 4.0625 %
                assertThat(text(driver, "kpi-max-drawdown")).isEqualTo("5.50%");
                assertThat(text(driver, "kpi-leverage")).isEqualTo("1.41×");                      // 43400 / 30700 = 1.4137
                assertThat(text(driver, "trading-state")).isEqualTo("ACTIVE");
                wait.until(ExpectedConditions.textToBe(By.id("positions-value"), "$43,400.00"));
                assertThat(text(driver, "positions-upnl")).isEqualTo("$600.00");                  // 1000 - 400
                WebElement eth = driver.findElement(By.cssSelector("tr.position[data-exchange='okx'][data-symbol='ETH/USDT:USDT'] td.upnl"));
                assertThat(eth.getText()).isEqualTo("-$400.00");                                   // (3100 - 3000) x -4
                assertThat(eth.getAttribute("class")).contains("neg");
                WebElement btc = driver.findElement(By.cssSelector("tr.position[data-exchange='binance'] td.upnl"));
                assertThat(btc.getText()).isEqualTo("$1,000.00");                                  // (62000 - 60000) x 0.5
                assertThat(btc.getAttribute("class")).contains("pos");
                assertThat(driver.findElement(By.cssSelector("#accounts tr[data-exchange='okx'] td.balance")).getText()).isEqualTo("$9,850.00");
                assertThat(driver.findElement(By.cssSelector("#accounts tr[data-exchange='okx'] td.equity")).getText()).isEqualTo("$9,450.00");
                assertThat(driver.findElement(By.cssSelector("#accounts tr[data-exchange='binance'] td.leverage")).getText()).isEqualTo("1.46×"); // 31000 / 21250
                assertThat(driver.findElement(By.id("accounts-total")).getText()).contains("$30,100.00", "$30,700.00"); // balances 20250 + 9850
                // no limits in the payload: the bars say so instead of inventing a utilisation
                assertThat(driver.findElement(By.cssSelector("[data-limit='Drawdown']")).getText()).contains("4.06%", "no limit published");

                // When equity falls to 30000 two seconds later (event time), the figures and the chart follow
                stack.send(stack.live.riskMetrics, ACCOUNT, KnownAccount.riskMetrics(ACCOUNT, KnownAccount.TS + 2000, "30000", "REDUCE_ONLY"));
                wait.until(ExpectedConditions.textToBe(By.id("kpi-drawdown"), "6.25%"));         // (32000 - 30000) / 32000
                assertThat(text(driver, "trading-state")).isEqualTo("REDUCE-ONLY");
                assertThat(driver.findElement(By.id("chart")).getAttribute("data-points")).isEqualTo("2");   // one point per second of event time

                // When 3000 snapshots arrive as fast as the broker takes them, the page keeps up and ends on the last one
                int burst = 3000;
                for (int i = 1; i <= burst; i++) {
                    String equity = i == burst ? "29600" : Integer.toString(30000 - i % 500);
                    stack.sendAsync(stack.live.riskMetrics, ACCOUNT, KnownAccount.riskMetrics(ACCOUNT, KnownAccount.TS + 2000 + i, equity, "REDUCE_ONLY"));
                }
                stack.flush();
                wait.until(ExpectedConditions.textToBe(By.id("kpi-drawdown"), "7.50%"));         // (32000 - 29600) / 32000
                assertThat(text(driver, "kpi-equity")).isEqualTo("$29,600.00");
                WebElement body = driver.findElement(By.tagName("body"));
                System.out.printf("dashboard burst: %s messages received, %s frames rendered%n",
                        body.getAttribute("data-messages"), body.getAttribute("data-frames"));
                assertThat(Long.parseLong(body.getAttribute("data-frames"))).as("renders are per frame, not per message").isLessThan(Long.parseLong(body.getAttribute("data-messages")));

                // When a breaker trips, its alert appears with its severity
                awaitAlertSubscriber(gateway);
                stack.send(stack.live.alerts, ACCOUNT, KnownAccount.alert(ACCOUNT, 1, Alert.TRIPPED, "max_drawdown", "critical", "Drawdown 6.25% exceeds 5%"));
                wait.until(d -> alertIds(d).equals(List.of("1")));
                assertThat(driver.findElement(By.cssSelector("[data-alert-id='1']")).getText()).contains("CRITICAL", "max_drawdown", "Drawdown 6.25% exceeds 5%");
                assertThat(driver.findElement(By.id("breakers")).getText()).contains("max_drawdown · account: tripped");

                // When the gateway restarts and two alerts are published while it is down
                gateway.close();
                wait.until(ExpectedConditions.textToBe(By.id("connection-status"), "Reconnecting…"));
                stack.send(stack.live.alerts, ACCOUNT, KnownAccount.alert(ACCOUNT, 2, Alert.TRIPPED, "max_leverage", "warning", "Leverage 1.45 exceeds 1.4"));
                stack.send(stack.live.alerts, ACCOUNT, KnownAccount.alert(ACCOUNT, 3, Alert.CLEARED, "max_leverage", "info", "Leverage back under 1.26"));
                gateway = stack.startGateway(port);

                // Then the page reconnects by itself and shows them once each, newest first, and goes on live
                chromium.waitUpTo(Duration.ofSeconds(30)).until(ExpectedConditions.textToBe(By.id("connection-status"), "Connected"));
                wait.until(d -> alertIds(d).equals(List.of("3", "2", "1")));
                awaitAlertSubscriber(gateway);
                stack.send(stack.live.alerts, ACCOUNT, KnownAccount.alert(ACCOUNT, 4, Alert.TRIPPED, "daily_loss", "critical", "Daily loss 300 exceeds 250"));
                wait.until(d -> alertIds(d).equals(List.of("4", "3", "2", "1")));
                assertThat(driver.findElement(By.cssSelector("[data-alert-id='3']")).getAttribute("class")).contains("sev-info", "cleared");
                assertThat(driver.findElement(By.id("breakers")).getText()).contains("max_leverage · account: cleared", "daily_loss · account: tripped");

                // When an admin types a token and resets the breakers, the gateway accepts the request (202)
                assertThat(driver.findElement(By.id("reset-button")).isEnabled()).isFalse();
                driver.findElement(By.id("token-input")).sendKeys("any-token-auth-is-off");
                driver.findElement(By.id("reset-button")).click();
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("admin-result"),
                        "Reset of all breakers for alpha published (202)."));

                Path shot = chromium.screenshot(Path.of("target", "dashboard", "dashboard.png"));
                assertThat(Files.size(shot)).isGreaterThan(10_000);
                Path docs = SeedExamples.repoRoot().resolve("docs");
                if (Files.isDirectory(docs)) {
                    Files.copy(shot, docs.resolve("dashboard.png"), StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                gateway.close();
            }
        }
    }

    /** The gateway counts the page's alerts connection (the browser sees it open a little earlier). */
    private static void awaitAlertSubscriber(GatewayServer gateway) {
        await().atMost(DEADLINE).until(() -> DashboardStack.connections(gateway, "alerts") == 1);
    }

    private static String text(org.openqa.selenium.WebDriver driver, String id) {
        return driver.findElement(By.id(id)).getText();
    }

    private static List<String> alertIds(org.openqa.selenium.WebDriver driver) {
        // one script call: the feed is re-rendered as alerts arrive, so element handles would go stale
        List<?> ids = (List<?>) ((org.openqa.selenium.JavascriptExecutor) driver).executeScript(
                "return Array.from(document.querySelectorAll('#alerts [data-alert-id]'), e => e.dataset.alertId);");
        return ids.stream().map(String::valueOf).toList();
    }
}
