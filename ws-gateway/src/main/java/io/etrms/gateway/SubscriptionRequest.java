package io.etrms.gateway;

import java.util.List;
import java.util.Map;

/**
 * What a client asked for, from the query of its upgrade (or REST) request: channel, account
 * (default: {@code etrms.default.account}), the {@code exchange}/{@code symbol} filters and, for
 * alerts, {@code since} (replay every alert with a larger {@code alert_id}).
 */
public record SubscriptionRequest(Channel channel, String account, SnapshotFilter filter, Long since) {

    /**
     * @throws IllegalArgumentException with a message fit for the client when a parameter is bad
     */
    public static SubscriptionRequest parse(Channel channel, Map<String, List<String>> query, String defaultAccount) {
        String account = single(query, "account");
        if (account == null) {
            account = defaultAccount;
        }
        if (account.isBlank() || account.contains("|")) {
            throw new IllegalArgumentException("account must be a non-blank id without '|'");
        }
        String since = single(query, "since");
        Long sinceId = null;
        if (since != null) {
            if (channel != Channel.ALERTS) {
                throw new IllegalArgumentException("since applies to alerts only");
            }
            try {
                sinceId = Long.parseLong(since.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("since must be an alert_id (an integer), was '" + since + "'");
            }
        }
        return new SubscriptionRequest(channel, account,
                new SnapshotFilter(single(query, "exchange"), single(query, "symbol")), sinceId);
    }

    /** The first value of a parameter; an empty value counts as absent. */
    static String single(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        if (values == null || values.isEmpty() || values.get(0) == null || values.get(0).isEmpty()) {
            return null;
        }
        return values.get(0);
    }
}
