package io.etrms.gateway.http;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a change request changes, decoded once from its path by {@link RequestGuard}:
 * <ul>
 *   <li>{@code PUT|DELETE /api/v1/accounts/{account}/limits} ({@code *}: the default of every account);</li>
 *   <li>{@code PUT|DELETE /api/v1/accounts/{account}/group};</li>
 *   <li>{@code PUT|DELETE /api/v1/groups/{group}/limits} (the group path keeps its {@code /}: {@code groups/acme/desk-1/limits});</li>
 *   <li>{@code POST /api/v1/groups/{group}/risk-control}.</li>
 * </ul>
 *
 * @param resource {@link #LIMITS}, {@link #GROUP}, {@link #GROUP_LIMITS} or {@link #GROUP_CONTROL}
 * @param id       the account or the group path
 * @param refusal  why the method does not apply (405), or null
 */
record ChangeTarget(String resource, String id, String refusal) {

    static final String LIMITS = "limits";
    static final String GROUP = "group";
    static final String GROUP_LIMITS = "group-limits";
    static final String GROUP_CONTROL = "group-risk-control";

    private static final Pattern ACCOUNT = Pattern.compile("^/api/v1/accounts/([^/]+)/(limits|group)$");
    private static final Pattern GROUPS = Pattern.compile("^/api/v1/groups/(.+)/(limits|risk-control)$");
    private static final Set<String> PUT_DELETE = Set.of("PUT", "DELETE");

    /** The target of {@code method path}, or null when the path is none of the change paths. */
    static ChangeTarget of(String method, String path) {
        Matcher account = ACCOUNT.matcher(path);
        if (account.matches()) {
            return target(account.group(2).equals("limits") ? LIMITS : GROUP, account.group(1), method, PUT_DELETE);
        }
        Matcher group = GROUPS.matcher(path);
        if (group.matches()) {
            return group.group(2).equals("limits")
                    ? target(GROUP_LIMITS, group.group(1), method, PUT_DELETE)
                    : target(GROUP_CONTROL, group.group(1), method, Set.of("POST"));
        }
        return null;
    }

    private static ChangeTarget target(String resource, String id, String method, Set<String> methods) {
        String refusal = methods.contains(method) ? null : "method " + method + " not allowed here (" + String.join(" or ", methods.stream().sorted().toList()) + ")";
        return new ChangeTarget(resource, id, refusal);
    }
}
