package io.etrms.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.etrms.model.Json;
import io.etrms.model.Keys;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

class DataSetTest {

    private static final long START = 1_764_028_800_000L;

    @Test
    void shouldGiveTheSameRecordsForTheSameSpec() {
        DataSet a = DataSet.generate(DataSet.spec(4, 500, 7, START));
        DataSet b = DataSet.generate(DataSet.spec(4, 500, 7, START));
        assertThat(a.all()).isEqualTo(b.all());
        assertThat(DataSet.generate(DataSet.spec(4, 500, 8, START)).all()).isNotEqualTo(a.all());
    }

    @Test
    void shouldShiftOnlyTheEventTimesWhenStartedElsewhere() throws Exception {
        DataSet a = DataSet.generate(DataSet.spec(4, 500, 7, START));
        DataSet b = DataSet.generate(DataSet.spec(4, 500, 7, START).startingAt(START - 3_600_000));

        // The last closing tick is the last event.
        List<DataSet.Input> closing = a.closingTicks();
        assertThat(a.lastEventTime()).isEqualTo(Json.MAPPER.readTree(closing.get(closing.size() - 1).json()).path("timestamp").asLong());
        assertThat(b.lastEventTime()).isEqualTo(a.lastEventTime() - 3_600_000);
        assertThat(b.all()).hasSameSizeAs(a.all());
        for (int i = 0; i < a.all().size(); i++) {
            ObjectNode x = (ObjectNode) Json.MAPPER.readTree(a.all().get(i).json());
            ObjectNode y = (ObjectNode) Json.MAPPER.readTree(b.all().get(i).json());
            assertThat(y.path("timestamp").asLong()).isEqualTo(x.path("timestamp").asLong() - 3_600_000);
            x.remove("timestamp");
            y.remove("timestamp");
            assertThat(y).isEqualTo(x);
        }
    }

    @Test
    void shouldPickAccountsThatCoverEveryPartition() {
        List<String> accounts = DataSet.accountsCovering(6, 6);
        Set<Integer> partitions = new HashSet<>();
        accounts.forEach(a -> partitions.add(Utils.toPositive(Utils.murmur2(a.getBytes(StandardCharsets.UTF_8))) % 6));
        assertThat(accounts).hasSize(6).doesNotHaveDuplicates();
        assertThat(partitions).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
    }

    @Test
    void shouldEndNoPositionFlatAndResendOnlyFillsAlreadySent() throws Exception {
        DataSet data = DataSet.generate(DataSet.spec(2, 2_000, 20_261_125L, START));
        Map<String, BigDecimal> sizes = new HashMap<>();
        Set<String> sent = new HashSet<>();
        int resent = 0;
        for (DataSet.Input input : data.records()) {
            if (!input.topic().equals("fills")) {
                continue;
            }
            JsonNode fill = Json.MAPPER.readTree(input.json());
            if (!sent.add(fill.get("exchange").asText() + "|" + fill.get("fill_id").asText())) {
                resent++;
                continue;
            }
            BigDecimal quantity = fill.get("quantity").decimalValue();
            sizes.merge(Keys.position(fill.get("account").asText(), fill.get("exchange").asText(), fill.get("symbol").asText()),
                    fill.get("side").asText().equals("buy") ? quantity : quantity.negate(), BigDecimal::add);
        }
        assertThat(sent).hasSize(data.fills());
        assertThat(resent).isEqualTo(data.duplicates()).isPositive();
        assertThat(sizes.values()).noneMatch(size -> size.signum() == 0);
        assertThat(data.closingTicks()).hasSize(6).allMatch(tick -> tick.topic().equals("prices"));
    }

    @Test
    void shouldPlantTheBreachFillsAndTheirLimits() throws Exception {
        DataSet.Spec spec = DataSet.spec(2, 500, 7, START);
        List<String> planted = spec.accounts().subList(0, 2);
        DataSet data = DataSet.generate(spec, new DataSet.Breaches(planted, "binance", "ETH/USDT", new BigDecimal("30"),
                new BigDecimal("50000"), 5, List.of(new DataSet.Episode(0.1, 0.2))));

        // every condition off for every account; the planted accounts get their notional limit and cooldown
        assertThat(data.limits()).extracting(DataSet.Input::topic).containsOnly("risk-limits");
        assertThat(data.limits()).extracting(DataSet.Input::key).containsExactly("*", planted.get(0), planted.get(1));
        JsonNode all = Json.MAPPER.readTree(data.limits().get(0).json());
        for (String field : List.of("max_drawdown_pct", "daily_loss_limit", "max_leverage", "max_gross_exposure",
                "max_position_notional", "volatility_move_pct", "stale_price_seconds")) {
            assertThat(all.path(field).asDouble(-1)).as(field).isZero();
        }
        assertThat(all.has("volatility_window_seconds")).isFalse();
        JsonNode own = Json.MAPPER.readTree(data.limits().get(1).json());
        assertThat(own.path("max_position_notional").decimalValue()).isEqualByComparingTo("50000");
        assertThat(own.path("cooldown_seconds").asLong()).isEqualTo(5);
        assertThat(own.size()).isEqualTo(2);

        // one buy of 30 per planted account after 50 fills, the sell back after 100, in that order
        List<JsonNode> breaches = new java.util.ArrayList<>();
        Set<String> distinct = new HashSet<>();
        for (DataSet.Input input : data.records()) {
            if (input.topic().equals("fills")) {
                JsonNode fill = Json.MAPPER.readTree(input.json());
                if (fill.get("fill_id").asText().startsWith("breach-")) {
                    breaches.add(fill);
                    assertThat(distinct).as("distinct fills before breach fill %d", breaches.size()).hasSize(breaches.size() <= 2 ? 50 : 100);
                } else {
                    distinct.add(fill.get("exchange").asText() + "|" + fill.get("fill_id").asText());
                }
            }
        }
        assertThat(breaches).extracting(f -> f.get("account").asText()).containsExactly(planted.get(0), planted.get(1), planted.get(0), planted.get(1));
        assertThat(breaches).extracting(f -> f.get("side").asText()).containsExactly("buy", "buy", "sell", "sell");
        assertThat(breaches).allSatisfy(f -> {
            assertThat(f.get("quantity").decimalValue()).isEqualByComparingTo("30");
            assertThat(f.get("exchange").asText() + "|" + f.get("symbol").asText()).isEqualTo("binance|ETH/USDT");
        });
        assertThat(data.fills()).isEqualTo(distinct.size() + 4);
        assertThat(DataSet.generate(spec, null).all()).isEqualTo(DataSet.generate(spec).all());
        assertThat(DataSet.generate(spec).limits()).isEmpty();
    }
}
