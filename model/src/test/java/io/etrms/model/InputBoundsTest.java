package io.etrms.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bounds every input record obeys, checked on the record itself, so HTTP ingest, file replay
 * and the topology (which reads Kafka records with {@link Json#MAPPER} and calls the same
 * {@code problems()}) refuse the same values for the same reason, before any arithmetic.
 */
class InputBoundsTest {

    private static final long NOW = System.currentTimeMillis();
    /** Generous: the values below cost microseconds once bounded; unbounded, they ran the JVM out of memory. */
    private static final Duration SAFE = Duration.ofSeconds(5);

    private static Fill fillJson(String quantity, String price, String fee) throws JsonProcessingException {
        return Json.MAPPER.readValue(("{\"fill_id\":\"f-1\",\"account\":\"main\",\"exchange\":\"binance\",\"symbol\":\"BTC/USDT\","
                + "\"side\":\"buy\",\"quantity\":%s,\"price\":%s,\"fee\":%s,\"timestamp\":%d}").formatted(quantity, price, fee, NOW), Fill.class);
    }

    private static List<String> fillProblems(String quantity, String price, String fee) {
        return assertTimeoutPreemptively(SAFE, () -> fillJson(quantity, price, fee).problems());
    }

    @Test
    void shouldRefuseTheNumbersThatBrokeIngestWithoutExpandingThem() {
        assertThat(fillProblems("-1e-999999999", "65000", "0"))
                .containsExactly("quantity has more than 18 decimal places: -1E-999999999");
        assertThat(fillProblems("1", "1e999999999", "0"))
                .containsExactly("price out of range (magnitude below 1e15): 1E+999999999");
        assertThat(fillProblems("1e400", "1e-400", "1e999999"))
                .containsExactly("quantity out of range (magnitude below 1e15): 1E+400",
                        "price has more than 18 decimal places: 1E-400",
                        "fee out of range (magnitude below 1e15): 1E+999999");
        assertThat(fillProblems("-1e-1000000", "65000", "0"))
                .containsExactly("quantity has more than 18 decimal places: -1E-1000000");
    }

    @Test
    void shouldAcceptTheEdgesOfTheBoundsAndRefuseOneStepBeyond() {
        // 15 digits before the point and 18 after: the largest and the finest value allowed (33 digits)
        assertThat(fillProblems("999999999999999.999999999999999999", "0.000000000000000001", "0")).isEmpty();
        assertThat(fillProblems("1000000000000000", "0.0000000000000000001", "1E+14"))
                .containsExactly("quantity out of range (magnitude below 1e15): 1000000000000000",
                        "price has more than 18 decimal places: 1E-19");
        // trailing zeros count as written: 19 decimal places even though the value is 1
        assertThat(fillProblems("1.0000000000000000000", "1", "0"))
                .containsExactly("quantity has more than 18 decimal places: 1.0000000000000000000");
        // 39 significant digits with 18 places: caught by the precision rule before the magnitude
        assertThat(fillProblems("123456789012345678901.123456789012345678", "1", "0"))
                .containsExactly("quantity has more than 38 significant digits: 123456789012345678901.123456789012345678");
    }

    @Test
    void shouldJudgeAZeroWithAHugeExponentAsZero() {
        // 0E+999999999 is zero: its plain form is "0", so the sign rule may quote it
        assertThat(fillProblems("0e999999999", "65000", "-0e999999999"))
                .containsExactly("quantity must be > 0, was 0");
    }

    @Test
    void shouldBoundTransfersAndPricesToo() {
        Transfer transfer = new Transfer("t-1", "main", "binance", new BigDecimal("-1e-999999999"), NOW);
        assertThat(assertTimeoutPreemptively(SAFE, transfer::problems))
                .containsExactly("amount has more than 18 decimal places: -1E-999999999");
        assertThat(new Transfer("t-1", "main", "binance", BigDecimal.ZERO, NOW).problems()).containsExactly("amount must not be 0");
        assertThat(new Transfer("t-1", "main", "binance", new BigDecimal("-999999999999999"), NOW).problems()).isEmpty();
        assertThat(new PriceTick("binance", "BTC/USDT", new BigDecimal("1e15"), NOW).problems())
                .containsExactly("price out of range (magnitude below 1e15): 1E+15");
    }

    @Test
    void shouldLimitTheLengthOfIdsSymbolsAndReasons() {
        String id128 = "a".repeat(128);
        assertThat(new Fill(id128, id128, id128, "s".repeat(64), "buy", BigDecimal.ONE, BigDecimal.ONE, null, NOW).problems()).isEmpty();
        assertThat(new Fill(id128 + "f", id128 + "a", id128 + "e", "s".repeat(65), "buy", BigDecimal.ONE, BigDecimal.ONE, null, NOW).problems())
                .containsExactly("fill_id longer than 128 characters (129)", "account longer than 128 characters (129)",
                        "exchange longer than 128 characters (129)", "symbol longer than 64 characters (65)");
        assertThat(new RiskControl("main", "reset", null, null, "r".repeat(501), "ops", NOW).problems())
                .containsExactly("reason longer than 500 characters (501)");
        assertThat(new RiskControl("main", "reset", null, null, "r".repeat(500), "u".repeat(129), NOW).problems())
                .containsExactly("requested_by longer than 128 characters (129)");
    }

    @Test
    void shouldCutEchoedValuesToFortyCharacters() {
        String side = "x".repeat(1_000_000);
        List<String> problems = new Fill("f-1", "main", "binance", "BTC/USDT", side, BigDecimal.ONE, BigDecimal.ONE, null, NOW).problems();
        assertThat(problems).containsExactly("unknown side '" + "x".repeat(40) + "… (1000000 characters)' (buy or sell)");
        assertThat(new RiskControl("main", "y".repeat(50), null, null, null, null, NOW).problems())
                .containsExactly("unknown action '" + "y".repeat(40) + "… (50 characters)' (reset, set_state or halt)");
    }

    @Test
    void shouldRefuseAHugeNumericStringWhileParsing() {
        String digits = "1".repeat(200_000);
        assertThatThrownBy(() -> assertTimeoutPreemptively(SAFE, () -> fillJson("\"" + digits + "\"", "1", "0")))
                .isInstanceOf(JsonProcessingException.class)
                .hasMessageContaining("exceeds the maximum allowed (1000");
    }

    @Test
    void shouldRefuseDeepNestingWhileParsing() {
        String deep = "{\"a\":".repeat(65) + "1" + "}".repeat(65);
        assertThatThrownBy(() -> Json.MAPPER.readTree(deep)).isInstanceOf(JsonProcessingException.class)
                .hasMessageContaining("nesting depth (65) exceeds the maximum allowed (64");
    }

    @Test
    void shouldReadRiskLimitsWithinTheBounds() throws Exception {
        RiskLimits limits = Json.MAPPER.readValue("{\"max_drawdown_pct\":20.5,\"daily_loss_limit\":\"50000\",\"max_leverage\":0,"
                + "\"volatility_window_seconds\":86400,\"stale_price_seconds\":31536000,\"cooldown_seconds\":-1}", RiskLimits.class);
        assertThat(limits).isEqualTo(new RiskLimits(20.5, 50000.0, 0.0, null, null, null, 86400L, 31536000L, -1L));
    }

    @Test
    void shouldRefuseRiskLimitsOutsideTheBoundsSoTheTopologyKeepsThePreviousOnes() {
        assertThatThrownBy(() -> Json.MAPPER.readValue("{\"max_drawdown_pct\":1e-400}", RiskLimits.class))
                .isInstanceOf(JsonProcessingException.class)
                .hasMessageContaining("max_drawdown_pct has more than 18 decimal places: 1E-400");
        assertThatThrownBy(() -> Json.MAPPER.readValue("{\"max_gross_exposure\":1e400}", RiskLimits.class))
                .isInstanceOf(JsonProcessingException.class)
                .hasMessageContaining("max_gross_exposure out of range (magnitude below 1e15): 1E+400");
        assertThatThrownBy(() -> Json.MAPPER.readValue("{\"max_leverage\":\"-1e-999999999\"}", RiskLimits.class))
                .isInstanceOf(JsonProcessingException.class)
                .hasMessageContaining("max_leverage has more than 18 decimal places: -1E-999999999");
        assertThatThrownBy(() -> Json.MAPPER.readValue("{\"max_leverage\":\"five\"}", RiskLimits.class))
                .isInstanceOf(JsonProcessingException.class)
                .hasMessageContaining("max_leverage: 'five' is not a number");
        assertThatThrownBy(() -> Json.MAPPER.readValue("{\"volatility_window_seconds\":86401}", RiskLimits.class))
                .isInstanceOf(JsonProcessingException.class)
                .hasMessageContaining("volatility_window_seconds out of range (at most 86400): 86401");
        assertThatThrownBy(() -> Json.MAPPER.readValue("{\"cooldown_seconds\":9223372036854775807}", RiskLimits.class))
                .isInstanceOf(JsonProcessingException.class)
                .hasMessageContaining("cooldown_seconds out of range (at most 31536000)");
    }

    @Test
    void shouldGiveTheKafkaPathTheSameRecordAndProblems() {
        byte[] raw = ("{\"fill_id\":\"f-1\",\"account\":\"main\",\"exchange\":\"binance\",\"symbol\":\"BTC/USDT\",\"side\":\"buy\","
                + "\"quantity\":-1e-999999999,\"price\":65000,\"timestamp\":" + NOW + "}").getBytes(StandardCharsets.UTF_8);
        Fill fill = assertTimeoutPreemptively(SAFE, () -> JsonSerde.of(Fill.class).deserialize("etrms.fills", raw));
        assertThat(assertTimeoutPreemptively(SAFE, fill::problems))
                .containsExactly("quantity has more than 18 decimal places: -1E-999999999");
    }
}
