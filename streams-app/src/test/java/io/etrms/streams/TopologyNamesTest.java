package io.etrms.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.etrms.model.Topics;
import io.etrms.streams.account.AccountTopology;
import io.etrms.streams.instrument.InstrumentTopology;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Renaming a store renames its changelog and loses state on upgrade: these names are frozen.
 * (Processor names are not part of any state; they changed once, when each stage's processors
 * became one per stage.)
 */
class TopologyNamesTest {

    private final Topics topics = Topics.defaults();

    @Test
    void shouldKeepTheInstrumentStageNames() {
        String d = new InstrumentTopology(topics, Duration.ofSeconds(60), Duration.ofDays(7)).buildTopology().describe().toString();
        assertThat(d).contains(
                "Source: fills-source (topics: [etrms.fills])",
                "Source: prices-source (topics: [etrms.prices])",
                "Processor: instrument-processor (stores: [",
                "Sink: positions-sink (topic: etrms.positions)",
                "Sink: instrument-dead-letters-sink (topic: etrms.dead-letters)");
        assertThat(d).contains("instrument-positions", "instrument-state", "instrument-ticks", "fill-ids");
        assertThat(d).contains(
                "Source: instrument-risk-limits-source (topics: [etrms.risk-limits])",
                "Processor: instrument-risk-limits-processor (stores: [instrument-risk-limits])");
        assertThat(d).doesNotContain("KSTREAM-", "KTABLE-", "-repartition");
    }

    @Test
    void shouldKeepTheAccountStageNames() {
        String d = new AccountTopology(topics, Duration.ofDays(7)).buildTopology().describe().toString();
        assertThat(d).contains(
                "Source: positions-source (topics: [etrms.positions])",
                "Source: transfers-source (topics: [etrms.transfers])",
                "Processor: account-processor (stores: [",
                "Sink: portfolio-sink (topic: etrms.portfolio)",
                "Sink: accounts-sink (topic: etrms.accounts)",
                "Sink: risk-metrics-sink (topic: etrms.risk-metrics)",
                "Sink: account-dead-letters-sink (topic: etrms.dead-letters)",
                "Source: risk-control-source (topics: [etrms.risk-control])",
                "Sink: alerts-sink (topic: etrms.alerts)",
                "Sink: risk-commands-sink (topic: etrms.risk-commands)",
                "Source: risk-limits-source (topics: [etrms.risk-limits])",
                "Processor: risk-limits-processor (stores: [risk-limits])");
        assertThat(d).contains("account-positions", "account-state", "transfer-ids", "account-breakers");
        assertThat(d).doesNotContain("KSTREAM-", "KTABLE-", "-repartition");
    }
}
