package io.etrms.streams.instrument;

import java.time.Duration;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The one processor of the instrument stage: fills and prices of a task go through the same
 * {@link InstrumentBook}, so a tick re-marks the positions the fills before it made without
 * reading them back from the store.
 */
final class InstrumentProcessor implements Processor<String, byte[], String, Object> {

    private final String fillsTopic;
    private final FillHandler fills;
    private final PriceHandler prices;
    private ProcessorContext<String, Object> context;

    InstrumentProcessor(String fillsTopic, FillHandler fills, PriceHandler prices) {
        this.fillsTopic = fillsTopic;
        this.fills = fills;
        this.prices = prices;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        InstrumentBook book = new InstrumentBook(context);
        fills.init(context, book);
        prices.init(context, book);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (fillsTopic.equals(context.recordMetadata().map(RecordMetadata::topic).orElse(null))) {
            fills.process(record);
        } else {
            prices.process(record);
        }
    }

    static InstrumentProcessor create(String fillsTopic, Duration dedupRetention, long windowMs, double outlierPct, long holdMs) {
        return new InstrumentProcessor(fillsTopic, new FillHandler(dedupRetention), new PriceHandler(windowMs, outlierPct, holdMs));
    }
}
