package io.etrms.streams.account;

import io.etrms.model.EtrmsConfig;
import io.etrms.model.Topics;
import io.etrms.streams.breakers.Limits;
import io.etrms.streams.common.DeadLetterCounts;
import io.etrms.streams.common.DeadLetterHandler;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/** The settings and driver properties the stage-2 tests share. */
final class AccountStage {

    private AccountStage() {
    }

    /** The production settings with every snapshot published at once (the tests read each record's). */
    static AccountSettings settings() {
        return AccountSettings.from(EtrmsConfig.of(Map.of())).withSnapshotIntervals(Duration.ZERO, Duration.ZERO);
    }

    static AccountSettings settings(Limits limits) {
        return settings().withLimits(limits);
    }

    /** {@code props} with the production exception handlers, dead-lettering to the default topic. */
    static Properties properties(Properties props) {
        return properties(props, new DeadLetterCounts());
    }

    static Properties properties(Properties props, DeadLetterCounts counts) {
        DeadLetterHandler.configure(props, Topics.defaults().deadLetters.name(), counts);
        return props;
    }
}
