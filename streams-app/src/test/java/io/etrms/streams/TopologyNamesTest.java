package io.etrms.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.etrms.model.EtrmsConfig;
import io.etrms.model.Topics;
import io.etrms.streams.account.AccountSettings;
import io.etrms.streams.account.AccountTopology;
import io.etrms.streams.group.GroupSettings;
import io.etrms.streams.group.GroupTopology;
import io.etrms.streams.instrument.InstrumentSettings;
import io.etrms.streams.instrument.InstrumentTopology;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Renaming a store renames its changelog and loses state on upgrade: these names are frozen.
 * (They were set anew with topology v2, whose internal formats and internal topic changed: see
 * docs/operations.md, "Upgrading".)
 */
class TopologyNamesTest {

    private final Topics topics = Topics.defaults();
    private final EtrmsConfig config = EtrmsConfig.of(Map.of());

    @Test
    void shouldKeepTheInstrumentStageNames() {
        String d = new InstrumentTopology(topics, InstrumentSettings.from(config)).buildTopology().describe().toString();
        assertThat(d).contains(
                "Source: fills-source (topics: [etrms.fills])",
                "Source: prices-source (topics: [etrms.prices])",
                "Processor: fills-processor (stores: [",
                "Processor: prices-processor (stores: [",
                "Sink: account-updates-sink (topic: etrms.account-updates)",
                "Sink: instrument-dead-letters-sink (topic: etrms.dead-letters)");
        assertThat(d).contains("instrument-positions", "instrument-state", "instrument-ticks", "instrument-held-ticks", "fill-ids");
        assertThat(d).contains(
                "Source: instrument-risk-limits-source (topics: [etrms.risk-limits])",
                "Processor: instrument-risk-limits-processor (stores: [instrument-risk-limits])");
        assertThat(d).doesNotContain("KSTREAM-", "KTABLE-", "-repartition");
    }

    @Test
    void shouldKeepTheAccountStageNames() {
        String d = new AccountTopology(topics, AccountSettings.from(config)).buildTopology().describe().toString();
        assertThat(d).contains(
                "Source: account-updates-source (topics: [etrms.account-updates])",
                "Source: transfers-source (topics: [etrms.transfers])",
                "Source: risk-control-source (topics: [etrms.risk-control])",
                "Source: position-snapshots-source (topics: [etrms.position-snapshots])",
                "Processor: position-snapshots-processor (stores: [])",
                "Processor: transfers-processor (stores: [transfer-ids])",
                "Processor: risk-control-processor (stores: [])",
                "Processor: account-processor (stores: [",
                "Sink: positions-sink (topic: etrms.positions)",
                "Sink: portfolio-sink (topic: etrms.portfolio)",
                "Sink: accounts-sink (topic: etrms.accounts)",
                "Sink: risk-metrics-sink (topic: etrms.risk-metrics)",
                "Sink: account-dead-letters-sink (topic: etrms.dead-letters)",
                "Sink: alerts-sink (topic: etrms.alerts)",
                "Sink: risk-commands-sink (topic: etrms.risk-commands)",
                "Source: risk-limits-source (topics: [etrms.risk-limits])",
                "Processor: risk-limits-processor (stores: [risk-limits])",
                "Source: account-group-limits-source (topics: [etrms.group-limits])",
                "Processor: account-group-limits-processor (stores: [account-group-limits])");
        assertThat(d).contains("account-positions", "account-marks", "account-state", "transfer-ids", "account-breakers",
                "account-position-snapshots");
        assertThat(d).contains(
                "Source: account-groups-source (topics: [etrms.account-groups])",
                "Source: group-actions-source (topics: [etrms.group-actions])",
                "Processor: account-groups-processor (stores: [])",
                "Sink: group-updates-sink (topic: etrms.group-updates)",
                "account-group-membership");
        assertThat(d).doesNotContain("KSTREAM-", "KTABLE-", "-repartition");
    }

    @Test
    void shouldKeepTheGroupStageNames() {
        String d = new GroupTopology(topics, GroupSettings.from(config)).buildTopology().describe().toString();
        assertThat(d).contains(
                "Source: group-updates-source (topics: [etrms.group-updates])",
                "Processor: group-processor (stores: [",
                "group-state", "group-members",
                "Sink: group-actions-sink (topic: etrms.group-actions)",
                "Source: group-limits-source (topics: [etrms.group-limits])",
                "Processor: group-limits-processor (stores: [group-limits])");
        assertThat(d).doesNotContain("KSTREAM-", "KTABLE-", "-repartition");
    }
}
