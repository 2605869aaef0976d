package io.etrms.streams.group;

import io.etrms.model.Alert;
import io.etrms.model.Decimals;
import io.etrms.model.GroupLimits;
import io.etrms.model.TradingState;
import io.etrms.streams.group.GroupState.Tripped;
import io.etrms.streams.group.GroupState.Warned;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The breakers of a group on its aggregated figures, as pure functions of its {@link GroupState}
 * and {@link GroupLimits}, with the rules of the account breakers: a breaker trips on the update
 * whose value crosses the limit (value &gt; limit; daily PnL &lt; −limit), stays silent while
 * tripped, and a non-halting one re-arms once its value is at most 90 % of the limit and the
 * cooldown has passed since it tripped (at once when its limit is switched off). Halting ones
 * ({@code group_max_drawdown}, {@code group_daily_loss}) latch until a reset. Money is compared
 * exactly; percentages are computed at 34 significant digits from the exact sums.
 *
 * <p>Every condition also warns, one level lower, as an account's breaker does: once per crossing
 * of its warning level ({@code warning_pct} of the limit), re-armed at or below 90 % of that level
 * once the cooldown has passed; a value that goes straight past the limit gives the trip alone.
 */
final class GroupBreakers {

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    private static final BigDecimal REARM = new BigDecimal("0.9");

    private GroupBreakers() {
    }

    /**
     * A trip, re-arm or warning, to tell every member.
     *
     * @param state   HALTED or REDUCE_ONLY for a trip, ACTIVE for a re-arm or a warning
     * @param warning the value crossed the warning level (nothing tripped or re-armed)
     */
    record Change(String condition, String symbol, String state, String description, Map<String, BigDecimal> figures, long at,
                  boolean warning) {

        Change(String condition, String symbol, String state, String description, Map<String, BigDecimal> figures, long at) {
            this(condition, symbol, state, description, figures, at, false);
        }
    }

    record Outcome(GroupState state, List<Change> changes) {
    }

    /**
     * One condition measured on the group for one scope.
     *
     * @param warningLevel  the value at which it warns (daily loss: −share × limit); null: no warning
     * @param warning       beyond the warning level
     * @param warningInside at or within 90 % of the warning level: its warning re-arms
     */
    private record Measure(String condition, String symbol, boolean breached, boolean inside, String label, BigDecimal value,
                           Map<String, BigDecimal> figures, BigDecimal warningLevel, boolean warning, boolean warningInside) {
    }

    /**
     * Evaluates every condition of the group at event time {@code clock}.
     *
     * @param defaultWarningPct the warning level of a group whose limits set none (percent; 0 or less: no warnings)
     */
    static Outcome evaluate(String group, GroupState state, GroupLimits limits, long clock, long defaultCooldownSeconds,
                            double defaultWarningPct) {
        Map<String, Measure> measured = new LinkedHashMap<>();
        BigDecimal warningPct = warningPct(limits, defaultWarningPct);
        for (Measure m : measure(group, state, limits, warningPct)) {
            measured.put(GroupState.key(m.condition(), m.symbol()), m);
        }
        Map<String, Tripped> tripped = new TreeMap<>(state.tripped());
        List<Change> changes = new ArrayList<>();
        long cooldownMs = Math.max(0, limits == null || limits.cooldownSeconds() == null ? defaultCooldownSeconds
                : limits.cooldownSeconds()) * 1000L;
        for (Tripped t : state.tripped().values()) {
            if (latches(t.condition())) {
                continue;
            }
            String key = GroupState.key(t.condition(), t.symbol());
            Measure m = measured.get(key);
            if (limitOf(limits, t.condition()) == null) {
                tripped.remove(key);
                changes.add(clear(group, t, label(t) + " of group " + group + ": condition switched off (limit 0 or less)", Map.of(), clock));
                continue;
            }
            boolean inside = m == null || m.inside();
            if (inside && clock - t.since() >= cooldownMs) {
                tripped.remove(key);
                String why = m == null
                        ? label(t) + " of group " + group + ": " + t.symbol() + " is no longer held in the group"
                        : label(t) + " of group " + group + ": " + m.label() + " back to " + show(m.value()) + " (re-armed at or below "
                        + show(m.figures().get("rearm_threshold")) + ", limit " + show(m.figures().get("limit")) + ")";
                changes.add(clear(group, t, why, m == null ? Map.of() : m.figures(), clock));
            } else if (inside != t.inside()) {
                tripped.put(key, t.withInside(inside));
            }
        }
        for (Measure m : measured.values()) {
            String key = GroupState.key(m.condition(), m.symbol());
            if (m.breached() && !tripped.containsKey(key)) {
                String description = m.label() + " " + show(m.value())
                        + (Alert.GROUP_DAILY_LOSS.equals(m.condition()) ? " is below " + show(m.figures().get("threshold"))
                        : " exceeds the limit of " + show(m.figures().get("limit")));
                String imposed = latches(m.condition()) ? TradingState.HALTED : TradingState.REDUCE_ONLY;
                tripped.put(key, new Tripped(m.condition(), m.symbol(), clock, m.inside(), imposed, description, m.figures()));
                changes.add(new Change(m.condition(), m.symbol(), imposed, description, m.figures(), clock));
            }
        }
        Map<String, Warned> warned = warnings(group, measured, tripped, state.warned(), warningPct, clock, cooldownMs, changes);
        return new Outcome(state.withTripped(tripped).withWarned(warned), changes);
    }

    /**
     * The warnings, after this evaluation's re-arms and trips: a condition whose value crosses its
     * warning level while its breaker is not tripped gives one warning. While tripped, its warning
     * counts as given (so a trip straight past the limit gives no warning, and a breaker re-armed
     * into the warning band does not warn again until the value has left it). A warning re-arms
     * once the value is at or within 90 % of the warning level and the cooldown has passed since it.
     */
    private static Map<String, Warned> warnings(String group, Map<String, Measure> measured, Map<String, Tripped> tripped,
                                                Map<String, Warned> before, BigDecimal warningPct, long clock, long cooldownMs,
                                                List<Change> changes) {
        Map<String, Warned> warned = new TreeMap<>(before);
        for (Map.Entry<String, Measure> e : measured.entrySet()) {
            Measure m = e.getValue();
            if (m.warningLevel() == null) {
                continue;
            }
            String key = e.getKey();
            Warned w = warned.get(key);
            boolean isTripped = tripped.containsKey(key);
            if (w == null) {
                if (isTripped) {
                    warned.put(key, new Warned(clock, m.warningInside()));
                } else if (m.warning()) {
                    warned.put(key, new Warned(clock, m.warningInside()));
                    changes.add(warning(group, m, warningPct, clock));
                }
            } else if (!isTripped && m.warningInside() && clock - w.since() >= cooldownMs) {
                warned.remove(key);
            } else if (m.warningInside() != w.inside()) {
                warned.put(key, new Warned(w.since(), m.warningInside()));
            }
        }
        // A condition no longer measured (switched off, warnings off, the symbol no longer held) has no warning to keep.
        warned.keySet().removeIf(key -> !tripped.containsKey(key) && (!measured.containsKey(key) || measured.get(key).warningLevel() == null));
        return warned;
    }

    private static Change warning(String group, Measure m, BigDecimal warningPct, long clock) {
        boolean loss = Alert.GROUP_DAILY_LOSS.equals(m.condition());
        BigDecimal trips = m.figures().get("threshold"); // where the breaker trips: the limit, or −limit for daily loss
        Map<String, BigDecimal> figures = new LinkedHashMap<>(m.figures());
        figures.put("threshold", Decimals.normalize(m.warningLevel()));
        figures.put("rearm_threshold", Decimals.normalize(m.warningLevel().multiply(REARM)));
        figures.put("warning_pct", Decimals.normalize(warningPct));
        figures.put("trip_threshold", trips);
        String description = m.label() + " " + show(m.value()) + (loss ? " is below" : " is above") + " the warning level "
                + show(m.warningLevel()) + " (" + show(warningPct) + " % of the limit; " + m.condition() + " trips "
                + (loss ? "below " : "above ") + show(trips) + ")";
        return new Change(m.condition(), m.symbol(), TradingState.ACTIVE, description, figures, clock, true);
    }

    /** The group's warning level, percent of each limit: its own, else the deployment's; null when warnings are off. */
    static BigDecimal warningPct(GroupLimits limits, double defaultWarningPct) {
        double pct = limits != null && limits.warningPct() != null ? limits.warningPct() : defaultWarningPct;
        return pct > 0 && pct < 100 ? BigDecimal.valueOf(pct) : null;
    }

    /** Re-arms the group's breakers of {@code condition}, whatever their value and cooldown (a {@code risk-control} reset on a member). */
    static Outcome reset(String group, GroupState state, String condition, String requestedBy, String reason, long at) {
        Map<String, Tripped> tripped = new TreeMap<>(state.tripped());
        List<Change> changes = new ArrayList<>();
        for (Tripped t : state.tripped().values()) {
            if (t.condition().equals(condition)) {
                tripped.remove(GroupState.key(t.condition(), t.symbol()));
                changes.add(clear(group, t, label(t) + " of group " + group + " reset by " + requestedBy
                        + (reason == null || reason.isBlank() ? "" : ": " + reason), Map.of(), at));
            }
        }
        return new Outcome(state.withTripped(tripped), changes);
    }

    static boolean latches(String condition) {
        return Alert.GROUP_MAX_DRAWDOWN.equals(condition) || Alert.GROUP_DAILY_LOSS.equals(condition);
    }

    private static Change clear(String group, Tripped t, String description, Map<String, BigDecimal> figures, long at) {
        return new Change(t.condition(), t.symbol(), TradingState.ACTIVE, description, figures, at);
    }

    private static String label(Tripped t) {
        return Alert.ANY.equals(t.symbol()) ? t.condition() : t.condition() + " of " + t.symbol();
    }

    /** Every switched-on condition of the group, the symbols in order. */
    private static List<Measure> measure(String group, GroupState s, GroupLimits limits, BigDecimal warningPct) {
        List<Measure> out = new ArrayList<>();
        if (limits == null || s.members() == 0) {
            return out;
        }
        BigDecimal warn = warningPct == null ? null : warningPct.divide(HUNDRED);
        BigDecimal drawdownLimit = limitOf(limits, Alert.GROUP_MAX_DRAWDOWN);
        if (drawdownLimit != null) {
            BigDecimal peak = s.peakEquity();
            BigDecimal drawdown = peak.signum() <= 0 ? BigDecimal.ZERO
                    : peak.subtract(s.totalEquity()).multiply(HUNDRED).divide(peak, Decimals.DIVISION);
            out.add(upper(Alert.GROUP_MAX_DRAWDOWN, Alert.ANY, "Drawdown (%) of group " + group, drawdown, drawdownLimit,
                    Map.of("current_drawdown", drawdown, "peak_equity", peak, "total_equity", s.totalEquity()), s, warn));
        }
        BigDecimal lossLimit = limitOf(limits, Alert.GROUP_DAILY_LOSS);
        if (lossLimit != null) {
            BigDecimal threshold = lossLimit.negate();
            BigDecimal rearm = threshold.multiply(REARM);
            Map<String, BigDecimal> figures = figures(s, s.dailyPnl(), threshold, rearm, lossLimit);
            figures.put("daily_pnl", Decimals.normalize(s.dailyPnl()));
            BigDecimal level = warn == null ? null : threshold.multiply(warn);
            out.add(new Measure(Alert.GROUP_DAILY_LOSS, Alert.ANY, s.dailyPnl().compareTo(threshold) < 0, s.dailyPnl().compareTo(rearm) >= 0,
                    "Daily PnL of group " + group, s.dailyPnl(), figures, level, level != null && s.dailyPnl().compareTo(level) < 0,
                    level == null || s.dailyPnl().compareTo(level.multiply(REARM)) >= 0));
        }
        BigDecimal grossLimit = limitOf(limits, Alert.GROUP_MAX_GROSS_EXPOSURE);
        if (grossLimit != null) {
            out.add(upper(Alert.GROUP_MAX_GROSS_EXPOSURE, Alert.ANY, "Gross exposure of group " + group, s.grossExposure(), grossLimit,
                    Map.of("gross_exposure", s.grossExposure()), s, warn));
        }
        BigDecimal netLimit = limitOf(limits, Alert.GROUP_MAX_NET_EXPOSURE);
        if (netLimit != null) {
            out.add(upper(Alert.GROUP_MAX_NET_EXPOSURE, Alert.ANY, "Net exposure (absolute) of group " + group, s.netExposure().abs(), netLimit,
                    Map.of("net_exposure", s.netExposure()), s, warn));
        }
        BigDecimal shareLimit = limitOf(limits, Alert.GROUP_CONCENTRATION);
        if (shareLimit != null && s.grossExposure().signum() > 0) {
            for (Map.Entry<String, BigDecimal> e : s.symbolExposure().entrySet()) {
                BigDecimal share = e.getValue().multiply(HUNDRED).divide(s.grossExposure(), Decimals.DIVISION);
                out.add(upper(Alert.GROUP_CONCENTRATION, e.getKey(), "Share (%) of " + e.getKey() + " in the gross exposure of group " + group,
                        share, shareLimit, Map.of("symbol_exposure", e.getValue(), "gross_exposure", s.grossExposure()), s, warn));
            }
        }
        return out;
    }

    /**
     * An upper limit: breached when value &gt; limit, inside when value ≤ 0.9 × limit; warned when
     * value &gt; warn × limit, its warning inside when value ≤ 0.9 × warn × limit.
     */
    private static Measure upper(String condition, String symbol, String label, BigDecimal value, BigDecimal limit,
                                 Map<String, BigDecimal> extra, GroupState s, BigDecimal warn) {
        BigDecimal rearm = limit.multiply(REARM);
        Map<String, BigDecimal> figures = figures(s, value, limit, rearm, limit);
        new TreeMap<>(extra).forEach((k, v) -> figures.put(k, Decimals.normalize(v)));
        BigDecimal level = warn == null ? null : limit.multiply(warn);
        return new Measure(condition, symbol, value.compareTo(limit) > 0, value.compareTo(rearm) <= 0, label, value, figures,
                level, level != null && value.compareTo(level) > 0, level == null || value.compareTo(level.multiply(REARM)) <= 0);
    }

    private static Map<String, BigDecimal> figures(GroupState s, BigDecimal value, BigDecimal threshold, BigDecimal rearm, BigDecimal limit) {
        Map<String, BigDecimal> figures = new LinkedHashMap<>();
        figures.put("value", Decimals.normalize(value));
        figures.put("threshold", Decimals.normalize(threshold));
        figures.put("rearm_threshold", Decimals.normalize(rearm));
        figures.put("limit", Decimals.normalize(limit));
        figures.put("members", BigDecimal.valueOf(s.members()));
        return figures;
    }

    /** The group's limit of {@code condition}, exact; null when switched off (no record, null, 0 or less). */
    static BigDecimal limitOf(GroupLimits limits, String condition) {
        if (limits == null) {
            return null;
        }
        Double value = switch (condition) {
            case Alert.GROUP_MAX_DRAWDOWN -> limits.maxDrawdownPct();
            case Alert.GROUP_DAILY_LOSS -> limits.dailyLossLimit();
            case Alert.GROUP_MAX_GROSS_EXPOSURE -> limits.maxGrossExposure();
            case Alert.GROUP_MAX_NET_EXPOSURE -> limits.maxNetExposure();
            case Alert.GROUP_CONCENTRATION -> limits.maxConcentrationPct();
            default -> null;
        };
        return value == null || value <= 0 || value.isInfinite() || value.isNaN() ? null : BigDecimal.valueOf(value);
    }

    /** A number for a description: to at most 4 decimal places. */
    static String show(BigDecimal value) {
        return Decimals.normalize(value.setScale(4, RoundingMode.HALF_EVEN)).toPlainString();
    }
}
