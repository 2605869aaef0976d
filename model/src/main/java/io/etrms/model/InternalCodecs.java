package io.etrms.model;

import io.etrms.model.binary.BinaryCodec;
import io.etrms.model.binary.BinaryReader;
import io.etrms.model.binary.BinarySerde;
import io.etrms.model.binary.BinaryWriter;
import java.util.Set;
import java.util.TreeSet;

/**
 * The binary formats of the model's records where they travel inside ETRMS (internal topic,
 * state stores). Changing a layout means a new format version that still reads the old one: these
 * bytes live in changelogs. {@code InternalCodecsTest} pins each layout byte by byte.
 */
public final class InternalCodecs {

    private static final byte POSITION_CHANGE = 1;
    private static final byte INSTRUMENT_MARK = 2;

    private InternalCodecs() {
    }

    /** A {@link Position}, every field (version 1). */
    public static final BinaryCodec<Position> POSITION_CODEC = new BinaryCodec<>() {
        @Override
        public void write(BinaryWriter out, Position p) {
            out.writeString(p.account()).writeString(p.exchange()).writeString(p.symbol())
                    .writeDecimal(p.size()).writeDecimal(p.entryPrice()).writeDecimal(p.currentPrice())
                    .writeDecimal(p.unrealizedPnl()).writeDecimal(p.realizedPnl()).writeDecimal(p.notional()).writeDecimal(p.fees())
                    .writeNullableDouble(p.volatility()).writeNullableDouble(p.priceMovePct())
                    .writeNullableLong(p.priceTimestamp()).writeNullableLong(p.timestamp());
        }

        @Override
        public Position read(BinaryReader in, int version) {
            return new Position(in.readString(), in.readString(), in.readString(),
                    in.readDecimal(), in.readDecimal(), in.readDecimal(), in.readDecimal(), in.readDecimal(), in.readDecimal(), in.readDecimal(),
                    in.readNullableDouble(), in.readNullableDouble(), in.readNullableLong(), in.readNullableLong());
        }
    };

    private static final BinaryCodec<AccountUpdate> ACCOUNT_UPDATE_CODEC = new BinaryCodec<>() {
        @Override
        public void write(BinaryWriter out, AccountUpdate update) {
            if (update instanceof PositionChange change) {
                out.writeByte(POSITION_CHANGE);
                POSITION_CODEC.write(out, change.position());
            } else if (update instanceof InstrumentMark m) {
                out.writeByte(INSTRUMENT_MARK).writeString(m.exchange()).writeString(m.symbol()).writeDecimal(m.price())
                        .writeNullableLong(m.priceTimestamp()).writeNullableDouble(m.volatility()).writeNullableDouble(m.priceMovePct())
                        .writeVarlong(m.timestamp()).writeUnsignedVarint(m.partitions().size());
                for (int partition : m.partitions()) {
                    out.writeUnsignedVarint(partition);
                }
            } else {
                throw new IllegalArgumentException("not an account update: " + update);
            }
        }

        @Override
        public AccountUpdate read(BinaryReader in, int version) {
            int kind = in.readByte();
            if (kind == POSITION_CHANGE) {
                return new PositionChange(POSITION_CODEC.read(in, version));
            }
            if (kind != INSTRUMENT_MARK) {
                throw new IllegalArgumentException("unknown account update kind " + kind);
            }
            String exchange = in.readString();
            String symbol = in.readString();
            java.math.BigDecimal price = in.readDecimal();
            Long priceTimestamp = in.readNullableLong();
            Double volatility = in.readNullableDouble();
            Double move = in.readNullableDouble();
            long timestamp = in.readVarlong();
            int count = in.readCount();
            Set<Integer> partitions = new TreeSet<>();
            for (int i = 0; i < count; i++) {
                partitions.add(in.readUnsignedVarint());
            }
            return new InstrumentMark(exchange, symbol, price, priceTimestamp, volatility, move, timestamp, partitions);
        }
    };

    /** The value serde of the internal topic {@code account-updates}. */
    public static final BinarySerde<AccountUpdate> ACCOUNT_UPDATE = new BinarySerde<>("account update", 1, 96, ACCOUNT_UPDATE_CODEC);

    /** Positions in state stores. */
    public static final BinarySerde<Position> POSITION = new BinarySerde<>("position", 1, 96, POSITION_CODEC);
}
