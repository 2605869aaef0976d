package io.etrms.gateway.http;

import java.util.Set;

/**
 * Who is calling, as proven by a token: the accounts it may read ({@code *} = every account) and
 * whether it holds the admin role (reads every account, may post risk-control). With
 * authentication off every caller is {@link #ANONYMOUS}, which may do everything.
 */
public record Caller(String subject, Set<String> accounts, boolean admin) {

    public static final String ALL_ACCOUNTS = "*";
    public static final Caller ANONYMOUS = new Caller("anonymous", Set.of(ALL_ACCOUNTS), true);

    public boolean canRead(String account) {
        return admin || accounts.contains(ALL_ACCOUNTS) || accounts.contains(account);
    }

    /** The accounts this caller may read, or null when it may read every account. */
    public Set<String> readableAccounts() {
        return admin || accounts.contains(ALL_ACCOUNTS) ? null : accounts;
    }
}
