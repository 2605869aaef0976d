package io.etrms.gateway;

import io.etrms.model.Validation;
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
        if (account.isBlank() || account.contains("|") || account.length() > Validation.MAX_ID_LENGTH) {
            throw new IllegalArgumentException("account must be a non-blank id without '|' of at most " + Validation.MAX_ID_LENGTH + " characters");
        }
        String exchange = single(query, "exchange");
        String symbol = single(query, "symbol");
        if (exchange != null && exchange.length() > Validation.MAX_ID_LENGTH) {
            throw new IllegalArgumentException("exchange longer than " + Validation.MAX_ID_LENGTH + " characters");
        }
        if (symbol != null && symbol.length() > Validation.MAX_SYMBOL_LENGTH) {
            throw new IllegalArgumentException("symbol longer than " + Validation.MAX_SYMBOL_LENGTH + " characters");
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
                throw new IllegalArgumentException("since must be an alert_id (an integer), was '" + Validation.echo(since) + "'");
            }
        }
        return new SubscriptionRequest(channel, account,
                new SnapshotFilter(exchange, symbol), sinceId);
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
