package io.etrms.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
}
