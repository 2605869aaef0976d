package io.etrms.streams.breakers;

import io.etrms.model.RiskLimits;

/**
 * The limits in force for one account: each field of the account's {@code risk-limits} record,
 * else of the {@code *} record, else the configured default. A limit of 0 or less switches its
 * condition off (see {@link #enabled(Double)}).
 */
public record Limits(
        double maxDrawdownPct,
        double dailyLossLimit,
        double maxLeverage,
        double maxGrossExposure,
        double maxPositionNotional,
        double volatilityMovePct,
        long volatilityWindowSeconds,
        long stalePriceSeconds,
        long cooldownSeconds) {

    /**
     * The built-in defaults (each overridable by configuration, {@code etrms.limits.*}): sized for
     * the local simulator's accounts of 100 000 per exchange, whose scenarios trip each condition.
     */
    public static final Limits DEFAULTS = new Limits(20, 50_000, 5, 1_000_000, 200_000, 10, 60, 30, 60);

    /** Field by field: {@code account} over {@code fallback} over these limits; null records are skipped. */
    public Limits merge(RiskLimits account, RiskLimits fallback) {
        return new Limits(
                pick(account == null ? null : account.maxDrawdownPct(), fallback == null ? null : fallback.maxDrawdownPct(), maxDrawdownPct),
                pick(account == null ? null : account.dailyLossLimit(), fallback == null ? null : fallback.dailyLossLimit(), dailyLossLimit),
                pick(account == null ? null : account.maxLeverage(), fallback == null ? null : fallback.maxLeverage(), maxLeverage),
                pick(account == null ? null : account.maxGrossExposure(), fallback == null ? null : fallback.maxGrossExposure(), maxGrossExposure),
                pick(account == null ? null : account.maxPositionNotional(), fallback == null ? null : fallback.maxPositionNotional(), maxPositionNotional),
                pick(account == null ? null : account.volatilityMovePct(), fallback == null ? null : fallback.volatilityMovePct(), volatilityMovePct),
                // one volatility window per deployment: only the default record may move it (see RiskLimits)
                positiveOr(fallback == null ? null : fallback.volatilityWindowSeconds(), volatilityWindowSeconds),
                pick(account == null ? null : account.stalePriceSeconds(), fallback == null ? null : fallback.stalePriceSeconds(), stalePriceSeconds),
                pick(account == null ? null : account.cooldownSeconds(), fallback == null ? null : fallback.cooldownSeconds(), cooldownSeconds));
    }

    /** The limit of {@code condition}, or null when the condition is switched off. */
    public Double limitOf(Condition condition) {
        double value = switch (condition) {
            case MAX_DRAWDOWN -> maxDrawdownPct;
            case DAILY_LOSS -> dailyLossLimit;
            case MAX_LEVERAGE -> maxLeverage;
            case MAX_GROSS_EXPOSURE -> maxGrossExposure;
            case MAX_POSITION_NOTIONAL -> maxPositionNotional;
            case VOLATILITY -> volatilityMovePct;
            case STALE_PRICE -> stalePriceSeconds;
            case MANUAL -> 0;
            // judged on the group's figures by stage 3, not on the account's
            case GROUP_MAX_DRAWDOWN, GROUP_DAILY_LOSS, GROUP_MAX_GROSS_EXPOSURE, GROUP_MAX_NET_EXPOSURE, GROUP_CONCENTRATION -> 0;
        };
        return enabled(value) ? value : null;
    }

    public long cooldownMs() {
        return Math.max(0, cooldownSeconds) * 1000L;
    }

    static boolean enabled(Double limit) {
        return limit != null && limit > 0 && !limit.isInfinite();
    }

    private static double pick(Double first, Double second, double fallback) {
        return first != null ? first : second != null ? second : fallback;
    }

    private static long pick(Long first, Long second, long fallback) {
        return first != null ? first : second != null ? second : fallback;
    }

    private static long positiveOr(Long value, long fallback) {
        return value != null && value > 0 ? value : fallback;
    }
}
