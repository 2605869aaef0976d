package io.etrms.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutputSummaryTest {

    private static String position(String size, String realized, String fees, String price) {
        return "{\"account\":\"a\",\"exchange\":\"x\",\"symbol\":\"S\",\"size\":" + size + ",\"entry_price\":100,\"current_price\":" + price
                + ",\"realized_pnl\":" + realized + ",\"fees\":" + fees + "}";
    }

    private static final String ACCOUNTS = "{\"type\":\"accounts\",\"account\":\"a\",\"timestamp\":1,\"accounts\":{\"x\":{\"balance\":10}}}";

    @Test
    void shouldAgreeWhenOnlyTheInterleavingOfTicksDiffers() {
        OutputSummary expected = OutputSummary.of(Map.of("a|x|S", List.of(position("1", "0", "0.1", "100"), position("1", "0", "0.1", "101"),
                position("2", "0", "0.2", "102"))), Map.of("a", List.of(ACCOUNTS)), true);
        OutputSummary actual = OutputSummary.of(Map.of("a|x|S", List.of(position("1", "0", "0.1", "100"), position("2", "0", "0.2", "100"),
                position("2", "0", "0.2", "102"))), Map.of("a", List.of(ACCOUNTS)), true);
        assertThat(expected.differencesFrom(actual)).isEmpty();
        assertThat(actual.fillsApplied("a|x|S")).isEqualTo(2);
    }

    @Test
    void shouldReportAFillAppliedTwiceEvenWhenTheLastValueAgrees() {
        OutputSummary expected = OutputSummary.of(Map.of("a|x|S", List.of(position("1", "0", "0.1", "100"), position("0", "5", "0.2", "105"))),
                Map.of(), true);
        OutputSummary actual = OutputSummary.of(Map.of("a|x|S", List.of(position("1", "0", "0.1", "100"), position("2", "0", "0.2", "100"),
                position("0", "5", "0.2", "105"))), Map.of(), true);
        assertThat(expected.differencesFrom(actual)).singleElement().asString()
                .contains("fill history of 3 states differs from the expected 2").contains("first at fill #2");
    }

    @Test
    void shouldReportMissingAndUnexpectedKeysAndOtherAccounts() {
        OutputSummary expected = OutputSummary.of(Map.of("a|x|S", List.of(position("1", "0", "0.1", "100"))), Map.of("a", List.of(ACCOUNTS)), false);
        OutputSummary actual = OutputSummary.of(Map.of("b|x|S", List.of(position("1", "0", "0.1", "100"))),
                Map.of("a", List.of(ACCOUNTS.replace("\"balance\":10", "\"balance\":11"))), false);
        assertThat(expected.differencesFrom(actual)).hasSize(3)
                .anyMatch(d -> d.startsWith("position a|x|S: missing"))
                .anyMatch(d -> d.startsWith("position b|x|S: not expected"))
                .anyMatch(d -> d.startsWith("account a: accounts {\"x\":{\"balance\":11}}"));
    }
}
