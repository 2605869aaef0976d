package io.etrms.model;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What stage 2 (partitioned by account) sends stage 3 (partitioned by group) on the internal topic
 * {@code group-updates}, key the group path: one account's part of one group. Sent to every group
 * of the account's lineage ({@code acme/desk-1} and {@code acme}). Binary
 * ({@link InternalCodecs#GROUP_UPDATE}); not a public contract.
 *
 * @param group         the group (the record's key)
 * @param account       the member account
 * @param kind          {@link #CONTRIBUTION} (the account's figures now), {@link #LEFT} (it is no
 *                      longer a member: its figures leave the group's sums) or {@link #RESET} (a
 *                      {@code risk-control} reset of a group condition, made on this member)
 * @param contribution  the account's figures ({@link #CONTRIBUTION} only)
 * @param conditionName the group condition reset ({@link #RESET} only)
 * @param requestedBy   who reset it ({@link #RESET} only)
 * @param reason        why ({@link #RESET} only; may be null)
 * @param timestamp     event time (epoch ms): the account's latest record, or the reset's time
 */
public record GroupUpdate(String group, String account, String kind, Contribution contribution, String conditionName,
                          String requestedBy, String reason, long timestamp) {

    public static final String CONTRIBUTION = "contribution";
    public static final String LEFT = "left";
    public static final String RESET = "reset";

    public static GroupUpdate contribution(String group, String account, Contribution contribution, long timestamp) {
        return new GroupUpdate(group, account, CONTRIBUTION, contribution, null, null, null, timestamp);
    }

    public static GroupUpdate left(String group, String account, long timestamp) {
        return new GroupUpdate(group, account, LEFT, null, null, null, null, timestamp);
    }

    public static GroupUpdate reset(String group, String account, String conditionName, String requestedBy, String reason, long timestamp) {
        return new GroupUpdate(group, account, RESET, null, conditionName, requestedBy, reason, timestamp);
    }

    /**
     * An account's figures as they count in its groups (from its risk metrics, exact decimals).
     *
     * @param totalExposure  Σ notional (gross)
     * @param netExposure    Σ signed notional
     * @param totalEquity    total equity
     * @param dailyPnl       the day's PnL
     * @param netTransfers   Σ transfers so far: a change of it moves the group's peak equity (a
     *                       deposit or withdrawal is not a gain or a loss)
     * @param symbolExposure per symbol (across exchanges) its gross exposure, symbols held only
     */
    public record Contribution(BigDecimal totalExposure, BigDecimal netExposure, BigDecimal totalEquity, BigDecimal dailyPnl,
                               BigDecimal netTransfers, Map<String, BigDecimal> symbolExposure) {

        /** An account without figures yet. */
        public static final Contribution NONE = new Contribution(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO,
                BigDecimal.ZERO, Map.of());

        /** The same figures, normalized (so that equal amounts compare equal whatever their scale). */
        public Contribution normalized() {
            Map<String, BigDecimal> symbols = new TreeMap<>();
            symbolExposure.forEach((symbol, exposure) -> {
                if (exposure.signum() != 0) {
                    symbols.put(symbol, Decimals.normalize(exposure));
                }
            });
            return new Contribution(Decimals.normalize(totalExposure), Decimals.normalize(netExposure), Decimals.normalize(totalEquity),
                    Decimals.normalize(dailyPnl), Decimals.normalize(netTransfers), symbols);
        }

        /** Whether both say the same amounts (scale aside). */
        public boolean sameFigures(Contribution other) {
            return other != null && Objects.equals(normalized(), other.normalized());
        }
    }
}
