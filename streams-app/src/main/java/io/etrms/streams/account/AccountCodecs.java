package io.etrms.streams.account;

import io.etrms.model.InternalCodecs;
import io.etrms.model.binary.BinaryCodec;
import io.etrms.model.binary.BinaryReader;
import io.etrms.model.binary.BinarySerde;
import io.etrms.model.binary.BinaryWriter;
import io.etrms.streams.breakers.BreakerState;
import io.etrms.streams.breakers.BreakerState.Tripped;
import io.etrms.streams.breakers.DrawdownBasis;
import io.etrms.streams.breakers.ExchangePosition;
import io.etrms.streams.breakers.Limits;
import io.etrms.streams.breakers.SessionCalendar;
import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The binary formats of stage 2's store values (pinned by {@code AccountCodecsTest}). Account state
 * and breaker state are at version 2 (session end; warning level, session rules, drawdown basis,
 * reconciliation limits and warnings given) and still read version 1 (read with the built-in rules:
 * the next punctuation sees the limits changed and evaluates again).
 */
final class AccountCodecs {

    private AccountCodecs() {
    }

    static final BinarySerde<StoredPosition> POSITION = new BinarySerde<>("stored position", 1, 104, new BinaryCodec<>() {
        @Override
        public void write(BinaryWriter out, StoredPosition p) {
            InternalCodecs.POSITION_CODEC.write(out, p.position());
            out.writeVarlong(p.markSequence());
        }

        @Override
        public StoredPosition read(BinaryReader in, int version) {
            return new StoredPosition(InternalCodecs.POSITION_CODEC.read(in, version), in.readVarlong());
        }
    });

    static final BinarySerde<Mark> MARK = new BinarySerde<>("mark", 1, 48, new BinaryCodec<>() {
        @Override
        public void write(BinaryWriter out, Mark m) {
            out.writeDecimal(m.price()).writeNullableLong(m.priceTimestamp()).writeNullableDouble(m.volatility())
                    .writeNullableDouble(m.priceMovePct()).writeVarlong(m.timestamp()).writeVarlong(m.sequence()).writeVarlong(m.wall())
                    .writeNullableLong(m.tickWall());
        }

        @Override
        public Mark read(BinaryReader in, int version) {
            return new Mark(in.readDecimal(), in.readNullableLong(), in.readNullableDouble(), in.readNullableDouble(), in.readVarlong(),
                    in.readVarlong(), in.readVarlong(), in.readNullableLong());
        }
    });

    static final BinarySerde<AccountState> STATE = new BinarySerde<>("account state", 2, 104, new BinaryCodec<>() {
        @Override
        public void write(BinaryWriter out, AccountState s) {
            writeMap(out, s.transfers(), out::writeDecimal);
            out.writeDecimal(s.peakEquity()).writeDouble(s.maxDrawdown()).writeVarlong(s.day()).writeDecimal(s.dayStartPnl())
                    .writeDecimal(s.lastTotalPnl()).writeVarlong(s.sessionEnd());
        }

        @Override
        public AccountState read(BinaryReader in, int version) {
            Map<String, BigDecimal> transfers = readMap(in, BinaryReader::readDecimal);
            BigDecimal peak = in.readDecimal();
            double maxDrawdown = in.readDouble();
            long day = in.readVarlong();
            BigDecimal dayStart = in.readDecimal();
            BigDecimal last = in.readDecimal();
            // Version 1 counted UTC days: its session ends at the next 00:00 UTC.
            long end = version >= 2 ? in.readVarlong() : day == Long.MIN_VALUE ? Long.MIN_VALUE : (day + 1) * 86_400_000L;
            return new AccountState(transfers, peak, maxDrawdown, day, dayStart, last, end);
        }
    });

    static final BinarySerde<BreakerState> BREAKERS = new BinarySerde<>("breaker state", 2, 144, new BinaryCodec<>() {
        @Override
        public void write(BinaryWriter out, BreakerState s) {
            out.writeVarlong(s.nextAlertId()).writeVarlong(s.nextCommandId()).writeNullableLong(s.lastEventTime())
                    .writeNullableLong(s.lastRecordWall());
            writeMap(out, s.tripped(), t -> out.writeString(t.condition()).writeString(t.exchange()).writeString(t.symbol())
                    .writeVarlong(t.alertId()).writeVarlong(t.since()).writeBoolean(t.inside()).writeString(t.action()));
            writeMap(out, s.published(), out::writeString);
            writeMap(out, s.tickWall(), out::writeVarlong);
            if (s.limits() == null) {
                out.writeByte(0);
            } else {
                Limits l = s.limits();
                out.writeByte(1).writeDouble(l.maxDrawdownPct()).writeDouble(l.dailyLossLimit()).writeDouble(l.maxLeverage())
                        .writeDouble(l.maxGrossExposure()).writeDouble(l.maxPositionNotional()).writeDouble(l.volatilityMovePct())
                        .writeVarlong(l.volatilityWindowSeconds()).writeVarlong(l.stalePriceSeconds()).writeVarlong(l.cooldownSeconds())
                        .writeDouble(l.warningPct()).writeString(l.session().startText()).writeString(l.session().zone().getId())
                        .writeBoolean(l.session().lockUntilNextSession()).writeString(l.drawdownBasis().text())
                        .writeDouble(l.reconciliationTolerance()).writeVarlong(l.reconciliationGraceSeconds());
            }
            writeMap(out, s.warned(), w -> out.writeVarlong(w.alertId()).writeVarlong(w.since()).writeBoolean(w.inside()));
        }

        @Override
        public BreakerState read(BinaryReader in, int version) {
            long nextAlert = in.readVarlong();
            long nextCommand = in.readVarlong();
            Long lastEvent = in.readNullableLong();
            Long lastWall = in.readNullableLong();
            Map<String, Tripped> tripped = readMap(in, r -> new Tripped(r.readString(), r.readString(), r.readString(), r.readVarlong(),
                    r.readVarlong(), r.readBoolean(), r.readString()));
            Map<String, String> published = readMap(in, BinaryReader::readString);
            Map<String, Long> tickWall = readMap(in, BinaryReader::readVarlong);
            Limits limits = null;
            if (in.present()) {
                limits = new Limits(in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble(),
                        in.readVarlong(), in.readVarlong(), in.readVarlong());
                if (version >= 2) {
                    limits = limits.withRules(in.readDouble(), SessionCalendar.of(in.readString(), in.readString(), in.readBoolean()),
                            DrawdownBasis.parse(in.readString()))
                            .withReconciliation(in.readDouble(), in.readVarlong());
                }
            }
            Map<String, BreakerState.Warned> warned = version >= 2
                    ? readMap(in, r -> new BreakerState.Warned(r.readVarlong(), r.readVarlong(), r.readBoolean())) : new TreeMap<>();
            return new BreakerState(nextAlert, nextCommand, lastEvent, lastWall, tripped, published, tickWall, limits, warned);
        }
    });

    static final BinarySerde<ExchangePosition> EXCHANGE_POSITION = new BinarySerde<>("exchange position", 1, 48, new BinaryCodec<>() {
        @Override
        public void write(BinaryWriter out, ExchangePosition x) {
            out.writeString(x.exchange()).writeString(x.symbol()).writeDecimal(x.size()).writeVarlong(x.timestamp())
                    .writeNullableLong(x.differsSince());
        }

        @Override
        public ExchangePosition read(BinaryReader in, int version) {
            return new ExchangePosition(in.readString(), in.readString(), in.readDecimal(), in.readVarlong(), in.readNullableLong());
        }
    });

    static final BinarySerde<Membership> MEMBERSHIP = new BinarySerde<>("group membership", 1, 96, new BinaryCodec<>() {
        @Override
        public void write(BinaryWriter out, Membership m) {
            out.writeString(m.group()).writeBoolean(m.sent() != null);
            if (m.sent() != null) {
                InternalCodecs.CONTRIBUTION_CODEC.write(out, m.sent());
            }
            writeMap(out, m.trippedBy(), groups -> {
                out.writeUnsignedVarint(groups.size());
                groups.forEach(out::writeString);
            });
        }

        @Override
        public Membership read(BinaryReader in, int version) {
            String group = in.readString();
            io.etrms.model.GroupUpdate.Contribution sent = in.readBoolean() ? InternalCodecs.CONTRIBUTION_CODEC.read(in, version) : null;
            Map<String, java.util.Set<String>> trippedBy = readMap(in, r -> {
                int count = r.readCount();
                java.util.Set<String> groups = new java.util.TreeSet<>();
                for (int i = 0; i < count; i++) {
                    groups.add(r.readString());
                }
                return groups;
            });
            return new Membership(group, sent, trippedBy);
        }
    });

    private interface ValueWriter<V> {
        void write(V value);
    }

    private static <V> void writeMap(BinaryWriter out, Map<String, V> map, ValueWriter<V> values) {
        out.writeUnsignedVarint(map.size());
        map.forEach((k, v) -> {
            out.writeString(k);
            values.write(v);
        });
    }

    private static <V> Map<String, V> readMap(BinaryReader in, Function<BinaryReader, V> values) {
        int count = in.readCount();
        Map<String, V> map = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            map.put(in.readString(), values.apply(in));
        }
        return map;
    }
}
