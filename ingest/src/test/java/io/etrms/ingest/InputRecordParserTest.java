package io.etrms.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.etrms.ingest.InputRecordParser.Result;
import io.etrms.model.Fill;
import io.etrms.model.PositionSnapshot;
import io.etrms.model.PriceTick;
import io.etrms.model.Transfer;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class InputRecordParserTest {

    private static final String FILL = "{\"fill_id\":\"f-1\",\"account\":\"main\",\"exchange\":\"binance\",\"symbol\":\"BTC/USDT:USDT\","
            + "\"side\":\"buy\",\"quantity\":0.25,\"price\":65000.5,\"fee\":13,\"timestamp\":1763971200000}";

    @Test
    void shouldParseAValidFillWithItsKey() {
        Result result = InputRecordParser.parseJson(FILL, InputKind.FILLS);

        assertThat(result.isValid()).isTrue();
        assertThat(result.key()).isEqualTo("binance|BTC/USDT:USDT");
        assertThat(result.record().value()).isEqualTo(new Fill("f-1", "main", "binance", "BTC/USDT:USDT", "buy",
                new BigDecimal("0.25"), new BigDecimal("65000.5"), new BigDecimal("13"), 1_763_971_200_000L));
    }

    @Test
    void shouldTakeTheTypeFromATypeFieldAndAcceptIsoTimestampsAndNumericStrings() {
        Result price = InputRecordParser.parseJson(
                "{\"type\":\"price\",\"exchange\":\"coinbase\",\"symbol\":\"ETH/USDT\",\"price\":\"3200.25\",\"timestamp\":\"2025-11-24T08:00:00.250Z\"}", null);
        Result transfer = InputRecordParser.parseJson(
                "{\"type\":\"transfers\",\"transfer_id\":\"w-1\",\"account\":\"main\",\"exchange\":\"binance\",\"amount\":-250.5,\"timestamp\":1763971200000}", null);

        assertThat(price.record().value()).isEqualTo(new PriceTick("coinbase", "ETH/USDT", new BigDecimal("3200.25"), 1_763_971_200_250L));
        assertThat(transfer.record().value()).isEqualTo(new Transfer("w-1", "main", "binance", new BigDecimal("-250.5"), 1_763_971_200_000L));
        assertThat(transfer.key()).isEqualTo("main");
    }

    @Test
    void shouldParseAPositionSnapshotKeyedByAccountWithASignedOrZeroSize() {
        Result shortOne = InputRecordParser.parseJson("{\"type\":\"position_snapshot\",\"account\":\"main\",\"exchange\":\"binance\","
                + "\"symbol\":\"BTC/USDT:USDT\",\"size\":\"-2.5\",\"timestamp\":\"2025-11-24T08:00:00Z\"}", null);
        Result flat = InputRecordParser.parseJson("{\"account\":\"alt\",\"exchange\":\"okx\",\"symbol\":\"ETH/USDT\",\"size\":0,"
                + "\"timestamp\":1763971200000}", InputKind.POSITION_SNAPSHOTS);
        Result noSize = InputRecordParser.parseJson("{\"account\":\"alt\",\"exchange\":\"okx\",\"symbol\":\"ETH/USDT\","
                + "\"timestamp\":1763971200000}", InputKind.POSITION_SNAPSHOTS);

        assertThat(shortOne.record().value()).isEqualTo(new PositionSnapshot("main", "binance", "BTC/USDT:USDT", new BigDecimal("-2.5"),
                1_763_971_200_000L));
        assertThat(shortOne.key()).isEqualTo("main");
        assertThat(flat.record().value()).isEqualTo(new PositionSnapshot("alt", "okx", "ETH/USDT", BigDecimal.ZERO, 1_763_971_200_000L));
        assertThat(noSize.error()).isEqualTo("missing field size");
        assertThat(noSize.key()).isEqualTo("alt");
    }

    @Test
    void shouldGiveTheReasonForEachKindOfRejection() {
        assertThat(reason("not json", InputKind.FILLS)).startsWith("invalid JSON: Unrecognized token 'not'");
        assertThat(reason("[1,2]", InputKind.FILLS)).isEqualTo("expected a JSON object, got an array");
        assertThat(reason("{\"type\":\"price\"}", InputKind.FILLS)).isEqualTo("field type: 'price' does not match the expected fills");
        assertThat(reason("{\"type\":\"order\"}", null)).isEqualTo("field type: unknown record type 'order' (fill, price, transfer or position_snapshot)");
        assertThat(reason("{\"price\":1}", null)).startsWith("record type unknown: add a type field");
        assertThat(reason(FILL.replace("0.25", "\"abc\""), InputKind.FILLS)).isEqualTo("field quantity: 'abc' is not a number");
        assertThat(reason(FILL.replace("0.25", "{}"), InputKind.FILLS)).isEqualTo("field quantity: expected a number");
        assertThat(reason(FILL.replace("1763971200000", "\"yesterday\""), InputKind.FILLS))
                .isEqualTo("field timestamp: 'yesterday' is neither epoch milliseconds nor an ISO-8601 instant");
        assertThat(reason(FILL.replace("1763971200000", "1763971200"), InputKind.FILLS))
                .isEqualTo("timestamp out of range (epoch millis between 2000-01-01 and now + 1 day): 1763971200");
        assertThat(reason(FILL.replace("\"buy\"", "\"hold\"").replace("0.25", "0").replace("\"fill_id\":\"f-1\",", ""), InputKind.FILLS))
                .isEqualTo("missing field fill_id; unknown side 'hold' (buy or sell); quantity must be > 0, was 0");
        assertThat(reason(FILL.replace("\"binance\"", "\"bin|ance\""), InputKind.FILLS)).isEqualTo("exchange must not contain '|'");
        assertThat(reason(FILL.replace("}", ",\"fee\":1}"), InputKind.FILLS)).startsWith("invalid JSON: Duplicate field 'fee'");
        assertThat(reason("{\"transfer_id\":\"t\",\"account\":\"main\",\"exchange\":\"binance\",\"amount\":0,\"timestamp\":1763971200000}",
                InputKind.TRANSFERS)).isEqualTo("amount must not be 0");
        assertThat(reason("{\"exchange\":\"binance\",\"symbol\":\"X\",\"price\":-1,\"timestamp\":1763971200000}", InputKind.PRICES))
                .isEqualTo("price must be > 0, was -1");
    }

    @Test
    void shouldKeepTheKeyOfARejectedRecordWhenItsFieldsAreThere() {
        Result result = InputRecordParser.parseJson(FILL.replace("0.25", "\"abc\""), InputKind.FILLS);
        Result invalidSide = InputRecordParser.parseJson(FILL.replace("\"buy\"", "\"hold\""), InputKind.FILLS);
        Result notJson = InputRecordParser.parseJson("{", InputKind.FILLS);

        assertThat(result.key()).isEqualTo("binance|BTC/USDT:USDT");
        assertThat(invalidSide.key()).isEqualTo("binance|BTC/USDT:USDT");
        assertThat(notJson.key()).isNull();
    }

    private static String reason(String json, InputKind kind) {
        Result result = InputRecordParser.parseJson(json, kind);
        assertThat(result.isValid()).as(json).isFalse();
        return result.error();
    }
}
