package io.etrms.gateway.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etrms.gateway.DeskFixture;
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
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in headless Chromium against a real broker and gateway, at 1400 px and at 400 px:
 * <ul>
 *   <li>the firm overview at {@code /} lists every account of {@link DeskFixture} with its
 *       hand-computed figures, sorts by any column, and the page never scrolls sideways;</li>
 *   <li>an account's page: the chart draws the gateway's history at once (and again after a
 *       reload), then live points; limit bars and each position's distance to its limits from the
 *       payload; breakers grouped; alerts filtered by severity and acknowledged, which a reload
 *       keeps;</li>
 *   <li>3,000 snapshots at once cost far fewer renders; alerts published while the gateway restarts
 *       appear once each; the admin reset is accepted.</li>
 * </ul>
 * Screenshots go to {@code target/dashboard/}; with {@code -Detrms.update.screenshots=true} also
 * to {@code docs/dashboard.png} and {@code docs/dashboard-overview.png} (the README's).
 */
@ExtendWith(KafkaClusterExtension.class)
class DashboardPageTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @TempDir
    Path profile;

    @Test
    void shouldShowTheDeskOverviewAndAnAccountWithItsHistoryAtBothWidths(KafkaCluster kafka) throws Exception {
        try (DashboardStack stack = new DashboardStack(kafka)) {
            // Given the desk, with three seconds of alpha's history (event time close to now, so the 1 h window holds it)
            long now = System.currentTimeMillis();
            stack.sendRaw(stack.live.riskMetrics, "alpha", DeskFixture.alpha(now - 5_000, "31000", "ACTIVE"));
            stack.sendRaw(stack.live.riskMetrics, "alpha", DeskFixture.alpha(now - 3_000, "30800", "ACTIVE"));
            stack.sendRaw(stack.live.riskMetrics, "alpha", DeskFixture.alpha(now - 1_000, "30700", "ACTIVE"));
            stack.sendRaw(stack.live.riskMetrics, "beta", DeskFixture.beta(now - 1_000));
            stack.sendRaw(stack.live.riskMetrics, "gamma", DeskFixture.gamma(now - 1_000));
            stack.send(stack.live.portfolio, "alpha", DeskFixture.alphaPortfolio());
            stack.send(stack.live.portfolio, "beta", DeskFixture.betaPortfolio());
            stack.send(stack.live.accounts, "alpha", DeskFixture.alphaAccounts());
            for (Alert alert : DeskFixture.alerts()) {
                stack.send(stack.live.alerts, alert.account(), alert);
            }
            try (GatewayServer gateway = stack.startGateway(0);
                 HeadlessChromium chromium = HeadlessChromium.start(profile)) {
                WebDriver driver = chromium.driver;
                WebDriverWait wait = chromium.waitUpTo(DEADLINE);
                String base = "http://127.0.0.1:" + gateway.port() + "/";

                // When the desk opens the overview at 1400 px
                chromium.resize(1400, 1000);
                driver.get(base);
                wait.until(d -> overviewRows(d).size() == 3);
                wait.until(ExpectedConditions.textToBe(By.id("connection-status"), "Connected"));

                // Then every account is there with its figures (see DeskFixture), riskiest limit first
                assertThat(overviewRows(driver)).containsExactly(
                        List.of("beta", "HALTED", "$8,000.00", "-$2,500.00", "20.00%", "1.50×", "133.3% max_drawdown", "2"),
                        List.of("alpha", "ACTIVE", "$30,700.00", "-$300.00", "4.06%", "1.41×", "66.0% volatility BTC/USDT:USDT", "1"),
                        List.of("gamma", "REDUCE-ONLY", "$50,000.25", "$1,200.50", "0.00%", "3.00×", "no limit", "0"));
                assertThat(text(driver, "ov-accounts")).isEqualTo("3");
                assertThat(text(driver, "ov-equity")).isEqualTo("$88,700.25");       // 30700 + 8000 + 50000.25
                assertThat(text(driver, "ov-daily")).isEqualTo("-$1,599.50");        // -300 - 2500 + 1200.5
                assertThat(text(driver, "ov-exposure")).isEqualTo("$205,400.00");    // 43400 + 12000 + 150000
                assertThat(text(driver, "ov-halted")).isEqualTo("1");
                assertThat(text(driver, "ov-reduce")).isEqualTo("1");
                assertThat(text(driver, "ov-alerts")).isEqualTo("3");
                assertNoSidewaysScroll(chromium, "overview at 1400 px");
                chromium.resize(1400, 500);
                Path overviewShot = chromium.screenshot(Path.of("target", "dashboard", "dashboard-overview.png"));

                // When the desk sorts by equity, then again, then by account
                // (the table is redrawn at the next animation frame)
                sortBy(driver, "overview-table", "total_equity");
                wait.until(d -> overviewColumn(d, 0).equals(List.of("gamma", "alpha", "beta")));
                sortBy(driver, "overview-table", "total_equity");
                wait.until(d -> overviewColumn(d, 0).equals(List.of("beta", "alpha", "gamma")));
                sortBy(driver, "overview-table", "account");
                wait.until(d -> overviewColumn(d, 0).equals(List.of("alpha", "beta", "gamma")));
                assertThat(driver.findElement(By.cssSelector("#overview-table th[data-key='account']")).getAttribute("aria-sort")).isEqualTo("ascending");

                // and at 400 px the page still fits: the table scrolls inside its own box
                chromium.resize(400, 900);
                wait.until(d -> chromium.pageWidths()[0] <= 400);
                assertNoSidewaysScroll(chromium, "overview at 400 px");
                chromium.screenshot(Path.of("target", "dashboard", "dashboard-overview-400.png"));

                // When the desk clicks through to alpha
                chromium.resize(1400, 1250);
                driver.findElement(By.cssSelector("#overview-rows tr[data-account='alpha'] td.equity")).click();
                wait.until(ExpectedConditions.textToBe(By.id("kpi-equity"), "$30,700.00"));
                assertThat(driver.getCurrentUrl()).endsWith("/?account=alpha");

                // Then the chart starts with the gateway's history, and the limits come from the payload
                wait.until(d -> chartPoints(d) == 3);
                assertThat(text(driver, "kpi-drawdown")).isEqualTo("4.06%");                   // (32000 - 30700) / 32000
                assertThat(text(driver, "trading-state")).isEqualTo("ACTIVE");
                assertThat(limitText(driver, "max_drawdown")).isEqualTo("4.06% / 20.00% (20.3%)");
                assertThat(limitText(driver, "daily_loss")).isEqualTo("$300.00 / $1,000.00 (30.0%)");
                assertThat(limitText(driver, "max_leverage")).isEqualTo("1.41× / 3.00× (47.1%)");
                assertThat(limitText(driver, "max_gross_exposure")).isEqualTo("$43,400.00 / $100,000.00 (43.4%)");
                wait.until(ExpectedConditions.textToBe(By.id("positions-value"), "$43,400.00"));
                // positions: closest to a limit first; BTC used 66 % of its price-move limit, ETH 42 %
                assertThat(positionColumn(driver, "limit-distance")).containsExactly("34.0% left · Price move", "58.0% left · Price move");
                sortBy(driver, "positions-table", "notional");
                wait.until(d -> positionColumn(d, "notional").equals(List.of("$31,000.00", "$12,400.00")));
                sortBy(driver, "positions-table", "notional");
                wait.until(d -> positionColumn(d, "notional").equals(List.of("$12,400.00", "$31,000.00")));
                // breakers: the tripped one first, the cleared ones folded away
                assertThat(driver.findElement(By.id("breakers-tripped")).getText()).isEqualTo("volatility · binance/BTC/USDT:USDT: tripped");
                assertThat(driver.findElement(By.cssSelector("#breakers-cleared summary")).getText()).isEqualTo("1 cleared");
                assertThat(driver.findElement(By.id("breakers-cleared")).getAttribute("open")).isNull();

                // When the desk hides warnings, then acknowledges the volatility alert
                wait.until(d -> alertIds(d).equals(List.of("3", "2", "1")));
                driver.findElement(By.cssSelector("#alert-tools input[data-severity='warning']")).click();
                wait.until(d -> alertIds(d).equals(List.of("2")));
                driver.findElement(By.cssSelector("#alert-tools input[data-severity='warning']")).click();
                wait.until(d -> alertIds(d).equals(List.of("3", "2", "1")));
                driver.findElement(By.cssSelector("[data-alert-id='3'] button")).click();
                wait.until(d -> alertIds(d).equals(List.of("2", "1")));
                assertThat(text(driver, "alerts-count")).startsWith("2 to acknowledge, 3 in all");

                // When a live snapshot arrives, the chart grows by one point
                stack.sendRaw(stack.live.riskMetrics, "alpha", DeskFixture.alpha(System.currentTimeMillis(), "30000", "REDUCE_ONLY"));
                wait.until(ExpectedConditions.textToBe(By.id("kpi-drawdown"), "6.25%"));         // (32000 - 30000) / 32000
                wait.until(d -> chartPoints(d) == 4);
                assertNoSidewaysScroll(chromium, "account at 1400 px");
                Path accountShot = chromium.screenshot(Path.of("target", "dashboard", "dashboard.png"));

                // When the page is reloaded, the chart is drawn from the history again and the acknowledgement is kept
                driver.navigate().refresh();
                wait.until(ExpectedConditions.textToBe(By.id("kpi-drawdown"), "6.25%"));
                wait.until(d -> chartPoints(d) == 4);
                assertThat(driver.findElement(By.cssSelector("#chart canvas")).getSize().getWidth()).isGreaterThan(300);
                wait.until(d -> alertIds(d).equals(List.of("2", "1")));
                driver.findElement(By.id("show-acknowledged")).click();
                wait.until(d -> alertIds(d).equals(List.of("3", "2", "1")));
                assertThat(driver.findElement(By.cssSelector("[data-alert-id='3']")).getAttribute("class")).contains("acknowledged");

                // and at 400 px the account page fits too
                chromium.resize(400, 900);
                wait.until(d -> chromium.pageWidths()[0] <= 400);
                assertNoSidewaysScroll(chromium, "account at 400 px");
                chromium.screenshot(Path.of("target", "dashboard", "dashboard-400.png"));

                if (Boolean.getBoolean("etrms.update.screenshots")) {
                    Path docs = SeedExamples.repoRoot().resolve("docs");
                    Files.copy(accountShot, docs.resolve("dashboard.png"), StandardCopyOption.REPLACE_EXISTING);
                    Files.copy(overviewShot, docs.resolve("dashboard-overview.png"), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    @Test
    void shouldKeepUpWithABurstRideOutAGatewayRestartWithoutLosingAlertsAndPostTheAdminReset(KafkaCluster kafka) throws Exception {
        try (DashboardStack stack = new DashboardStack(kafka)) {
            stack.send(stack.live.portfolio, "alpha", DeskFixture.alphaPortfolio());
            stack.sendRaw(stack.live.riskMetrics, "alpha", DeskFixture.alpha(DeskFixture.TS, "30700", "ACTIVE"));
            GatewayServer gateway = stack.startGateway(0);
            int port = gateway.port();
            try (HeadlessChromium chromium = HeadlessChromium.start(profile)) {
                WebDriver driver = chromium.driver;
                WebDriverWait wait = chromium.waitUpTo(DEADLINE);
                driver.get("http://127.0.0.1:" + port + "/?account=alpha");
                wait.until(ExpectedConditions.textToBe(By.id("connection-status"), "Connected"));
                wait.until(ExpectedConditions.textToBe(By.id("kpi-equity"), "$30,700.00"));
                // the history is from long ago: the 1 h window is empty, so the chart shows everything kept
                wait.until(d -> chartPoints(d) == 1);
                assertThat(text(driver, "chart-note")).isEqualTo("nothing in this window: everything the gateway keeps is shown");

                // When 3000 snapshots arrive as fast as the broker takes them, the page keeps up and ends on the last one
                int burst = 3000;
                for (int i = 1; i <= burst; i++) {
                    String equity = i == burst ? "29600" : Integer.toString(30000 - i % 500);
                    stack.sendAsyncRaw(stack.live.riskMetrics, "alpha", DeskFixture.alpha(DeskFixture.TS + 2000 + i, equity, "REDUCE_ONLY"));
                }
                stack.flush();
                wait.until(ExpectedConditions.textToBe(By.id("kpi-drawdown"), "7.50%"));         // (32000 - 29600) / 32000
                long messages = Long.parseLong(driver.findElement(By.tagName("body")).getAttribute("data-messages"));
                long frames = Long.parseLong(driver.findElement(By.tagName("body")).getAttribute("data-frames"));
                System.out.printf("dashboard burst: %d messages received, %d frames rendered%n", messages, frames);
                assertThat(frames).as("renders are per frame, not per message").isLessThan(messages);
                // one point per second of event time: 30700 at TS, then the burst spans TS + 2.001 s .. TS + 5 s
                wait.until(d -> chartPoints(d) == 5);

                // When a breaker trips, its alert appears
                awaitAlertSubscriber(gateway);
                stack.send(stack.live.alerts, "alpha", DeskFixture.alert("alpha", 1, Alert.TRIPPED, "max_drawdown", Alert.ANY, Alert.ANY,
                        Alert.CRITICAL, "Drawdown 7.5% exceeds 5%"));
                wait.until(d -> alertIds(d).equals(List.of("1")));
                assertThat(driver.findElement(By.cssSelector("[data-alert-id='1']")).getText()).contains("CRITICAL", "max_drawdown", "Drawdown 7.5% exceeds 5%");

                // When the gateway restarts and two alerts are published while it is down
                gateway.close();
                wait.until(ExpectedConditions.textToBe(By.id("connection-status"), "Reconnecting…"));
                stack.send(stack.live.alerts, "alpha", DeskFixture.alert("alpha", 2, Alert.TRIPPED, "max_leverage", Alert.ANY, Alert.ANY,
                        Alert.WARNING, "Leverage 1.45 exceeds 1.4"));
                stack.send(stack.live.alerts, "alpha", DeskFixture.alert("alpha", 3, Alert.CLEARED, "max_leverage", Alert.ANY, Alert.ANY,
                        Alert.INFO, "Leverage back under 1.26"));
                gateway = stack.startGateway(port);

                // Then the page reconnects by itself and shows them once each, newest first, and goes on live
                chromium.waitUpTo(Duration.ofSeconds(30)).until(ExpectedConditions.textToBe(By.id("connection-status"), "Connected"));
                wait.until(d -> alertIds(d).equals(List.of("3", "2", "1")));
                awaitAlertSubscriber(gateway);
                stack.send(stack.live.alerts, "alpha", DeskFixture.alert("alpha", 4, Alert.TRIPPED, "daily_loss", Alert.ANY, Alert.ANY,
                        Alert.CRITICAL, "Daily loss 300 exceeds 250"));
                wait.until(d -> alertIds(d).equals(List.of("4", "3", "2", "1")));
                assertThat(driver.findElement(By.cssSelector("[data-alert-id='3']")).getAttribute("class")).contains("sev-info", "cleared");
                assertThat(driver.findElement(By.id("breakers-tripped")).getText()).contains("max_drawdown · account: tripped",
                        "daily_loss · account: tripped");
                assertThat(driver.findElement(By.id("breakers-tripped")).getText()).doesNotContain("max_leverage");

                // When an admin types a token and resets the breakers, the gateway accepts the request (202)
                assertThat(driver.findElement(By.id("reset-button")).isEnabled()).isFalse();
                driver.findElement(By.id("token-input")).sendKeys("any-token-auth-is-off");
                driver.findElement(By.id("reset-button")).click();
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("admin-result"),
                        "Reset of all breakers for alpha published (202)."));
            } finally {
                gateway.close();
            }
        }
    }

    private static void assertNoSidewaysScroll(HeadlessChromium chromium, String what) {
        long[] widths = chromium.pageWidths();
        assertThat(widths[1]).as("%s: page content width %d <= viewport width %d", what, widths[1], widths[0]).isLessThanOrEqualTo(widths[0]);
    }

    private static void sortBy(WebDriver driver, String table, String key) {
        driver.findElement(By.cssSelector("#" + table + " th[data-key='" + key + "'] button")).click();
    }

    /** The gateway counts the page's alerts connection (the browser sees it open a little earlier). */
    private static void awaitAlertSubscriber(GatewayServer gateway) {
        await().atMost(DEADLINE).until(() -> DashboardStack.connections(gateway, "alerts") == 1);
    }

    private static String text(WebDriver driver, String id) {
        return driver.findElement(By.id(id)).getText();
    }

    private static String limitText(WebDriver driver, String condition) {
        return driver.findElement(By.cssSelector("[data-limit='" + condition + "'] .txt")).getText();
    }

    private static int chartPoints(WebDriver driver) {
        return Integer.parseInt(driver.findElement(By.id("chart")).getAttribute("data-points"));
    }

    // one script call each: the page re-renders parts of itself at each animation frame, so element handles would go stale

    @SuppressWarnings("unchecked")
    private static List<List<String>> overviewRows(WebDriver driver) {
        return (List<List<String>>) ((JavascriptExecutor) driver).executeScript(
                "return Array.from(document.querySelectorAll('#overview-rows tr[data-account]'),"
                        + " tr => Array.from(tr.cells, td => td.innerText.trim()));");
    }

    private static List<String> overviewColumn(WebDriver driver, int column) {
        return overviewRows(driver).stream().map(row -> row.get(column)).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<String> positionColumn(WebDriver driver, String cellClass) {
        return (List<String>) ((JavascriptExecutor) driver).executeScript(
                "return Array.from(document.querySelectorAll('#positions-table tbody tr td." + cellClass + "'), td => td.innerText.trim());");
    }

    private static List<String> alertIds(WebDriver driver) {
        List<?> ids = (List<?>) ((JavascriptExecutor) driver).executeScript(
                "return Array.from(document.querySelectorAll('#alerts [data-alert-id]'), e => e.dataset.alertId);");
        return ids.stream().map(String::valueOf).toList();
    }
}
