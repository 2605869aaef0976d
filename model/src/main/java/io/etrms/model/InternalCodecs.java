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

    /** Decimals by name, sorted as given. */
    public static void writeDecimals(BinaryWriter out, java.util.Map<String, java.math.BigDecimal> map) {
        out.writeUnsignedVarint(map.size());
        map.forEach((k, v) -> out.writeString(k).writeDecimal(v));
    }

    /** What {@link #writeDecimals} wrote, sorted by name. */
    public static java.util.Map<String, java.math.BigDecimal> readDecimals(BinaryReader in) {
        int count = in.readCount();
        java.util.Map<String, java.math.BigDecimal> map = new java.util.TreeMap<>();
        for (int i = 0; i < count; i++) {
            map.put(in.readString(), in.readDecimal());
        }
        return map;
    }

    /** A {@link GroupUpdate.Contribution} (version 1). */
    public static final BinaryCodec<GroupUpdate.Contribution> CONTRIBUTION_CODEC = new BinaryCodec<>() {
        @Override
        public void write(BinaryWriter out, GroupUpdate.Contribution c) {
            out.writeDecimal(c.totalExposure()).writeDecimal(c.netExposure()).writeDecimal(c.totalEquity()).writeDecimal(c.dailyPnl())
                    .writeDecimal(c.netTransfers());
            writeDecimals(out, c.symbolExposure());
        }

        @Override
        public GroupUpdate.Contribution read(BinaryReader in, int version) {
            return new GroupUpdate.Contribution(in.readDecimal(), in.readDecimal(), in.readDecimal(), in.readDecimal(), in.readDecimal(),
                    readDecimals(in));
        }
    };

    private static final BinaryCodec<GroupUpdate> GROUP_UPDATE_CODEC = new BinaryCodec<>() {
        @Override
        public void write(BinaryWriter out, GroupUpdate u) {
            out.writeString(u.group()).writeString(u.account()).writeString(u.kind()).writeBoolean(u.contribution() != null);
            if (u.contribution() != null) {
                CONTRIBUTION_CODEC.write(out, u.contribution());
            }
            out.writeString(u.conditionName()).writeString(u.requestedBy()).writeString(u.reason()).writeVarlong(u.timestamp());
        }

        @Override
        public GroupUpdate read(BinaryReader in, int version) {
            String group = in.readString();
            String account = in.readString();
            String kind = in.readString();
            GroupUpdate.Contribution contribution = in.readBoolean() ? CONTRIBUTION_CODEC.read(in, version) : null;
            return new GroupUpdate(group, account, kind, contribution, in.readString(), in.readString(), in.readString(), in.readVarlong());
        }
    };

    /** Version 2 adds the warning flag (version 1, written before group warnings, is a trip or re-arm). */
    private static final BinaryCodec<GroupAction> GROUP_ACTION_CODEC = new BinaryCodec<>() {
        @Override
        public void write(BinaryWriter out, GroupAction a) {
            out.writeString(a.account()).writeString(a.group()).writeString(a.conditionName()).writeString(a.exchange())
                    .writeString(a.symbol()).writeString(a.state()).writeString(a.description());
            writeDecimals(out, a.figures());
            out.writeVarlong(a.timestamp()).writeBoolean(a.warning());
        }

        @Override
        public GroupAction read(BinaryReader in, int version) {
            return new GroupAction(in.readString(), in.readString(), in.readString(), in.readString(), in.readString(), in.readString(),
                    in.readString(), readDecimals(in), in.readVarlong(), version >= 2 && in.readBoolean());
        }
    };

    /** The value serde of the internal topic {@code group-updates} (stage 2 → stage 3). */
    public static final BinarySerde<GroupUpdate> GROUP_UPDATE = new BinarySerde<>("group update", 1, 96, GROUP_UPDATE_CODEC);

    /** The value serde of the internal topic {@code group-actions} (stage 3 → stage 2). */
    public static final BinarySerde<GroupAction> GROUP_ACTION = new BinarySerde<>("group action", 2, 160, GROUP_ACTION_CODEC);

    /** Positions in state stores. */
    public static final BinarySerde<Position> POSITION = new BinarySerde<>("position", 1, 96, POSITION_CODEC);
}
