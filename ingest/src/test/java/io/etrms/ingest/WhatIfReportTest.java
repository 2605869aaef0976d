package io.etrms.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.etrms.model.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WhatIfReportTest {

    @TempDir
    Path dir;

    /** 2026-11-02T09:00:00Z and ten minutes later. */
    private static final long FROM = 1_793_610_000_000L;
    private static final long TO = FROM + 600_000;

    private static WhatIfReport report() throws Exception {
        Map<String, Long> replayed = new LinkedHashMap<>();
        replayed.put("transfers", 1L);
        replayed.put("fills", 2L);
        replayed.put("prices", 1L);
        WhatIfReport.Side whatIf = new WhatIfReport.Side(
                List.of(new WhatIfReport.AlertChange("trip", "max_drawdown", "*", 1_793_610_300L, "halt"),
                        new WhatIfReport.AlertChange("trip", "volatility", "binance|BTC/USDT", 1_793_610_360L, "reduce_only")),
                new WhatIfReport.FinalState("HALTED", new BigDecimal("8800"), 12.0, 12.0, FROM + 300_000));
        WhatIfReport.Side actual = new WhatIfReport.Side(List.of(), null);
        return new WhatIfReport("etrms.", "whatif-0123abcd.", FROM, TO, "2026-11-02T09:00:00Z", "2026-11-02T09:10:00Z",
                Map.of("acct", Json.MAPPER.readTree("{\"max_drawdown_pct\":10}")), replayed, 0, 1,
                Map.of("other", new WhatIfReport.EarlierRecords(1, 0)), WhatIfReport.IGNORED_CONDITIONS, false,
                Map.of("acct", new WhatIfReport.AccountComparison(whatIf, actual)));
    }

    @Test
    void shouldPrintOneTableOfBothSidesPerAccount() throws Exception {
        StringWriter out = new StringWriter();

        report().print(new PrintWriter(out));

        // 1,793,610,300 s = 2026-11-02T09:05:00Z; 1,793,610,360 s = 09:06:00Z
        assertThat(out.toString()).isEqualTo(String.join(System.lineSeparator(),
                "What-if replay of etrms. over [2026-11-02T09:00:00Z, 2026-11-02T09:10:00Z): 2 fills, 1 prices, 1 transfers (replayed on whatif-0123abcd.)",
                "  1 replayed records were refused by the topology (dead letters)",
                "  warning: other has 1 fills and 0 transfers before the window: the replay starts it flat with no balance",
                "",
                "account acct",
                "  SIDE     CHANGE CONDITION              SCOPE                        TRIGGERED_AT           ACTION",
                "  what-if  trip   max_drawdown           *                            2026-11-02T09:05:00Z   halt",
                "  what-if  trip   volatility             binance|BTC/USDT             2026-11-02T09:06:00Z   reduce_only",
                "  actual   (no alert)",
                "  final trading state: what-if HALTED (drawdown 12.0 %), actual unknown",
                ""));
    }

    @Test
    void shouldWriteTheSameAsSnakeCaseJsonLeavingOutAnUnknownFinalState() throws Exception {
        Path file = dir.resolve("sub/report.json");

        report().write(file);

        assertThat(Json.MAPPER.readTree(Files.readString(file))).isEqualTo(Json.MAPPER.readTree("""
                {"source_prefix":"etrms.","replay_prefix":"whatif-0123abcd.","from":1793610000000,"to":1793610600000,
                 "from_iso":"2026-11-02T09:00:00Z","to_iso":"2026-11-02T09:10:00Z",
                 "candidate_limits":{"acct":{"max_drawdown_pct":10}},
                 "replayed":{"transfers":1,"fills":2,"prices":1},"skipped_without_timestamp":0,"dead_letters":1,
                 "earlier_records":{"other":{"fills":1,"transfers":0}},"ignored_conditions":["stale_price","reconciliation"],"topics_kept":false,
                 "accounts":{"acct":{
                   "what_if":{"alerts":[
                       {"change":"trip","condition_name":"max_drawdown","scope":"*","triggered_at":1793610300,"action":"halt"},
                       {"change":"trip","condition_name":"volatility","scope":"binance|BTC/USDT","triggered_at":1793610360,"action":"reduce_only"}],
                     "final_state":{"trading_state":"HALTED","total_equity":8800,"current_drawdown":12.0,"max_drawdown":12.0,"timestamp":1793610300000}},
                   "actual":{"alerts":[]}}}}
                """));
    }

    @Test
    void shouldNameEachKindOfAlert() {
        java.util.function.Function<String, String> changeOf = type -> WhatIfReport.AlertChange.of(new io.etrms.model.Alert(type, 1L, "acct",
                "max_drawdown", "d", "*", "*", "warning", 1_793_610_300L, Map.of(), "alert_only", "r", FROM)).change();
        assertThat(changeOf.apply(io.etrms.model.Alert.TRIPPED)).isEqualTo("trip");
        assertThat(changeOf.apply(io.etrms.model.Alert.CLEARED)).isEqualTo("clear");
        assertThat(changeOf.apply(io.etrms.model.Alert.WARNED)).isEqualTo("warning");
    }
}
