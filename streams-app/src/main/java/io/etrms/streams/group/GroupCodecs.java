package io.etrms.streams.group;

import io.etrms.model.GroupLimits;
import io.etrms.model.GroupUpdate.Contribution;
import io.etrms.model.InternalCodecs;
import io.etrms.model.binary.BinaryCodec;
import io.etrms.model.binary.BinaryReader;
import io.etrms.model.binary.BinarySerde;
import io.etrms.model.binary.BinaryWriter;
import io.etrms.streams.group.GroupState.Tripped;
import io.etrms.streams.group.GroupState.Warned;
import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/** The binary formats of stage 3's store values (the group state and {@link #LIMITS} in version 2, reading version 1; the others version 1). */
final class GroupCodecs {

    private GroupCodecs() {
    }

    /** A member's figures in its group. */
    static final BinarySerde<Contribution> MEMBER = new BinarySerde<>("group member", 1, 64, InternalCodecs.CONTRIBUTION_CODEC);

    /** Version 2 adds the warnings given; version 1 (before group warnings) reads as none given. */
    static final BinarySerde<GroupState> STATE = new BinarySerde<>("group state", 2, 128, new BinaryCodec<>() {
        @Override
        public void write(BinaryWriter out, GroupState s) {
            out.writeUnsignedVarint(s.members()).writeDecimal(s.grossExposure()).writeDecimal(s.netExposure()).writeDecimal(s.totalEquity())
                    .writeDecimal(s.dailyPnl());
            InternalCodecs.writeDecimals(out, s.symbolExposure());
            out.writeDecimal(s.peakEquity()).writeUnsignedVarint(s.tripped().size());
            s.tripped().forEach((key, t) -> {
                out.writeString(key).writeString(t.condition()).writeString(t.symbol()).writeVarlong(t.since()).writeBoolean(t.inside())
                        .writeString(t.state()).writeString(t.description());
                InternalCodecs.writeDecimals(out, t.figures());
            });
            out.writeNullableLong(s.lastEventTime()).writeNullableLong(s.lastRecordWall()).writeUnsignedVarint(s.warned().size());
            s.warned().forEach((key, w) -> out.writeString(key).writeVarlong(w.since()).writeBoolean(w.inside()));
        }

        @Override
        public GroupState read(BinaryReader in, int version) {
            int members = in.readUnsignedVarint();
            BigDecimal gross = in.readDecimal();
            BigDecimal net = in.readDecimal();
            BigDecimal equity = in.readDecimal();
            BigDecimal pnl = in.readDecimal();
            Map<String, BigDecimal> symbols = InternalCodecs.readDecimals(in);
            BigDecimal peak = in.readDecimal();
            int count = in.readCount();
            Map<String, Tripped> tripped = new TreeMap<>();
            for (int i = 0; i < count; i++) {
                tripped.put(in.readString(), new Tripped(in.readString(), in.readString(), in.readVarlong(), in.readBoolean(), in.readString(),
                        in.readString(), InternalCodecs.readDecimals(in)));
            }
            Long lastEventTime = in.readNullableLong();
            Long lastRecordWall = in.readNullableLong();
            Map<String, Warned> warned = new TreeMap<>();
            if (version >= 2) {
                int warnings = in.readCount();
                for (int i = 0; i < warnings; i++) {
                    warned.put(in.readString(), new Warned(in.readVarlong(), in.readBoolean()));
                }
            }
            return new GroupState(members, gross, net, equity, pnl, symbols, peak, tripped, lastEventTime, lastRecordWall, warned);
        }
    });

    /**
     * {@code group-limits} records in the global stores (stage 3's, and stage 2's for its members'
     * rules). Version 2 adds the members' session rules and drawdown basis; version 1 is read with them null.
     */
    static final BinarySerde<GroupLimits> LIMITS = new BinarySerde<>("group limits", 2, 64, new BinaryCodec<>() {
        @Override
        public void write(BinaryWriter out, GroupLimits l) {
            out.writeNullableDouble(l.maxGrossExposure()).writeNullableDouble(l.maxNetExposure()).writeNullableDouble(l.dailyLossLimit())
                    .writeNullableDouble(l.maxDrawdownPct()).writeNullableDouble(l.maxConcentrationPct()).writeNullableDouble(l.warningPct())
                    .writeNullableLong(l.cooldownSeconds());
            out.writeString(l.sessionStart()).writeString(l.sessionTimeZone())
                    .writeByte(l.lockUntilNextSession() == null ? 0 : l.lockUntilNextSession() ? 2 : 1).writeString(l.drawdownBasis());
        }

        @Override
        public GroupLimits read(BinaryReader in, int version) {
            GroupLimits first = new GroupLimits(in.readNullableDouble(), in.readNullableDouble(), in.readNullableDouble(),
                    in.readNullableDouble(), in.readNullableDouble(), in.readNullableDouble(), in.readNullableLong());
            if (version < 2) {
                return first;
            }
            String start = in.readString();
            String zone = in.readString();
            int lock = in.readByte();
            return new GroupLimits(first.maxGrossExposure(), first.maxNetExposure(), first.dailyLossLimit(), first.maxDrawdownPct(),
                    first.maxConcentrationPct(), first.warningPct(), first.cooldownSeconds(), start, zone, lock == 0 ? null : lock == 2,
                    in.readString());
        }
    });
}
