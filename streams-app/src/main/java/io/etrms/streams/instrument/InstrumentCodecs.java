package io.etrms.streams.instrument;

import io.etrms.model.binary.BinaryCodec;
import io.etrms.model.binary.BinaryReader;
import io.etrms.model.binary.BinarySerde;
import io.etrms.model.binary.BinaryWriter;

/** The binary formats of stage 1's store values (version 1 each; pinned by {@code InstrumentCodecsTest}). */
final class InstrumentCodecs {

    private InstrumentCodecs() {
    }

    static final BinarySerde<InstrumentState> STATE = new BinarySerde<>("instrument state", 1, 96, new BinaryCodec<>() {
        @Override
        public void write(BinaryWriter out, InstrumentState s) {
            out.writeDecimal(s.price()).writeNullableLong(s.priceTimestamp()).writeVarlong(s.tickSequence())
                    .writeVarlong(s.oldestSequence()).writeVarint(s.returns()).writeDouble(s.sumReturns()).writeDouble(s.sumSquares())
                    .writeDecimal(s.oldestPrice()).writeVarlong(s.lateTicks()).writeVarlong(s.outlierTicks());
            int[] counts = s.holders().counts();
            out.writeUnsignedVarint(counts.length);
            for (int c : counts) {
                out.writeUnsignedVarint(c);
            }
            out.writeBoolean(s.holding());
        }

        @Override
        public InstrumentState read(BinaryReader in, int version) {
            var price = in.readDecimal();
            Long priceTimestamp = in.readNullableLong();
            long sequence = in.readVarlong();
            long oldest = in.readVarlong();
            int returns = in.readVarint();
            double sum = in.readDouble();
            double squares = in.readDouble();
            var oldestPrice = in.readDecimal();
            long late = in.readVarlong();
            long outliers = in.readVarlong();
            int[] counts = new int[in.readCount()];
            for (int i = 0; i < counts.length; i++) {
                counts[i] = in.readUnsignedVarint();
            }
            return new InstrumentState(price, priceTimestamp, sequence, oldest, returns, sum, squares, oldestPrice, late, outliers,
                    counts.length == 0 ? PartitionCounts.NONE : new PartitionCounts(counts), in.readBoolean());
        }
    });

    static final BinarySerde<TickEntry> TICK = new BinarySerde<>("tick", 1, 24, new BinaryCodec<>() {
        @Override
        public void write(BinaryWriter out, TickEntry t) {
            out.writeDecimal(t.price()).writeVarlong(t.timestamp()).writeNullableDouble(t.logReturn());
        }

        @Override
        public TickEntry read(BinaryReader in, int version) {
            return new TickEntry(in.readDecimal(), in.readVarlong(), in.readNullableDouble());
        }
    });

    static final BinarySerde<HeldTick> HELD = new BinarySerde<>("held tick", 1, 64, new BinaryCodec<>() {
        @Override
        public void write(BinaryWriter out, HeldTick h) {
            out.writeDecimal(h.price()).writeVarlong(h.timestamp()).writeString(h.topic())
                    .writeNullableLong(h.partition() == null ? null : h.partition().longValue()).writeNullableLong(h.offset())
                    .writeVarlong(h.heldAt());
        }

        @Override
        public HeldTick read(BinaryReader in, int version) {
            var price = in.readDecimal();
            long timestamp = in.readVarlong();
            String topic = in.readString();
            Long partition = in.readNullableLong();
            return new HeldTick(price, timestamp, topic, partition == null ? null : partition.intValue(), in.readNullableLong(), in.readVarlong());
        }
    });
}
