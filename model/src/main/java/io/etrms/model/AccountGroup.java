package io.etrms.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Which group an account belongs to: topic {@code account-groups} (compacted), key account. A
 * group is a path of ids from the firm down, separated by {@code /} ({@code acme/desk-1}); the
 * account belongs to the group and to every group above it ({@code acme}). A tombstone, or a
 * record without {@code group}, takes the account out of every group.
 *
 * @param account     the account (the record's key)
 * @param group       the group path; null: no group
 * @param requestedBy who made the change (the token subject when made through the gateway)
 * @param timestamp   when (epoch ms)
 */
public record AccountGroup(String account, String group, String requestedBy, Long timestamp) {

    /** Separates the levels of a group path. */
    public static final char LEVEL_SEPARATOR = '/';
    /** Deepest group path: firm / division / desk / team. */
    public static final int MAX_DEPTH = 4;

    /** Every rule this record breaks; empty when it is valid. */
    public List<String> problems() {
        Validation v = new Validation()
                .id("account", account)
                .optionalText("requested_by", requestedBy, Validation.MAX_ID_LENGTH);
        if (group != null) {
            v.check(groupProblem(group) == null, "group " + groupProblem(group));
        }
        if (timestamp != null) {
            v.timestamp("timestamp", timestamp);
        }
        return v.problems();
    }

    /** The group and every group above it, from the top: {@code acme/desk-1} gives {@code [acme, acme/desk-1]}. */
    public List<String> groups() {
        return group == null ? List.of() : lineage(group);
    }

    /** {@code path} and every group above it, from the top. */
    public static List<String> lineage(String path) {
        List<String> out = new ArrayList<>();
        for (int i = path.indexOf(LEVEL_SEPARATOR); i >= 0; i = path.indexOf(LEVEL_SEPARATOR, i + 1)) {
            out.add(path.substring(0, i));
        }
        out.add(path);
        return out;
    }

    /** Why {@code path} is not a valid group path, or null when it is. */
    public static String groupProblem(String path) {
        if (path == null || path.isEmpty()) {
            return "must not be empty";
        }
        if (path.length() > Validation.MAX_ID_LENGTH) {
            return "longer than " + Validation.MAX_ID_LENGTH + " characters (" + path.length() + ")";
        }
        String[] levels = path.split("/", -1);
        if (levels.length > MAX_DEPTH) {
            return "'" + Validation.echo(path) + "' is deeper than " + MAX_DEPTH + " levels";
        }
        for (String level : levels) {
            if (level.isBlank() || level.chars().anyMatch(c -> Character.isISOControl(c) || c == '|' || Character.isWhitespace(c))) {
                return "'" + Validation.echo(path) + "' must be ids separated by '/' (no empty level, '|', spaces or control characters)";
            }
        }
        return null;
    }
}
