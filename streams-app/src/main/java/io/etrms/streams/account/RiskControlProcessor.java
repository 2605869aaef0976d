package io.etrms.streams.account;

import io.etrms.model.RiskControl;
import io.etrms.streams.breakers.Limits;
import io.etrms.streams.common.DeadLetters;
import io.etrms.streams.common.Parsed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Applies a manual {@link RiskControl} ({@code reset} or {@code set_state}) to its account's
 * breakers and publishes the resulting alerts, risk commands and, when the trading state changed,
 * a risk-metrics snapshot. A record that does not parse, breaks a rule or whose key is not its
 * account goes to dead-letters.
 */
final class RiskControlProcessor implements Processor<String, byte[], String, Object> {

    private final Limits defaultLimits;
    private AccountBreakers breakers;
    private DeadLetters deadLetters;

    RiskControlProcessor(Limits defaultLimits) {
        this.defaultLimits = defaultLimits;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.breakers = new AccountBreakers(context, defaultLimits);
        this.deadLetters = new DeadLetters(context, AccountTopology.DEAD_LETTERS_SINK);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        deadLetters.guard(record, record.value(), () -> handle(record));
    }

    private void handle(Record<String, byte[]> record) {
        Parsed<RiskControl> parsed = Parsed.of(record.value(), RiskControl.class, RiskControl::problems);
        if (!parsed.ok()) {
            deadLetters.send(record, record.value(), parsed.error());
            return;
        }
        RiskControl control = parsed.value();
        if (record.key() != null && !record.key().equals(control.account())) {
            deadLetters.send(record, record.value(), "key '" + record.key() + "' does not match account '" + control.account() + "'");
            return;
        }
        breakers.control(control);
    }
}
