package io.etrms.http;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.HostPort;

/**
 * Which browser pages may use a port, by the {@code Origin} header browsers send with every
 * WebSocket upgrade and every cross-site POST. Entries (comma-separated in configuration):
 * <ul>
 *   <li>{@code same-origin}: the page's origin names the host and port the request was sent to
 *       (its {@code Host} header; without a port there, the origin scheme's default port);</li>
 *   <li>{@code null}: the literal origin of a page loaded from a {@code file://} URL (and of
 *       sandboxed frames); allowed for reads only, never for a state change;</li>
 *   <li>{@code *}: any origin;</li>
 *   <li>an origin such as {@code https://desk.example.com:8443}.</li>
 * </ul>
 * A request without {@code Origin} is not from a browser page (a script, the seed's Python and
 * Node clients) and passes: the policy is about what a browser lets a page forge.
 */
public final class OriginPolicy {

    public static final String SAME_ORIGIN = "same-origin";
    public static final String NULL = "null";
    public static final String ANY = "*";

    private final Set<String> origins = new LinkedHashSet<>();
    private final boolean sameOrigin;
    private final boolean nullOrigin;
    private final boolean any;

    private OriginPolicy(List<String> entries) {
        boolean same = false;
        boolean nul = false;
        boolean star = false;
        for (String entry : entries) {
            String e = entry.trim().toLowerCase(Locale.ROOT);
            switch (e) {
                case "" -> { }
                case SAME_ORIGIN -> same = true;
                case NULL -> nul = true;
                case ANY -> star = true;
                default -> origins.add(normalize(e));
            }
        }
        this.sameOrigin = same;
        this.nullOrigin = nul;
        this.any = star;
    }

    public static OriginPolicy of(List<String> entries) {
        return new OriginPolicy(entries);
    }

    /** A read (WebSocket upgrade, GET): no Origin, a listed one, the request's own, or {@code null} when listed. */
    public boolean allowsRead(Request request) {
        return allows(request, true);
    }

    /** A state change (POST): as {@link #allowsRead} except that the {@code null} origin never passes. */
    public boolean allowsWrite(Request request) {
        return allows(request, false);
    }

    private boolean allows(Request request, boolean read) {
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (origin == null) {
            return true;
        }
        String o = origin.trim().toLowerCase(Locale.ROOT);
        if (o.equals(NULL)) {
            return read && (nullOrigin || any);
        }
        return any || origins.contains(normalize(o)) || (sameOrigin && isSameOrigin(o, request.getHeaders().get(HttpHeader.HOST)));
    }

    private static boolean isSameOrigin(String origin, String hostHeader) {
        if (hostHeader == null) {
            return false;
        }
        try {
            URI uri = URI.create(origin);
            if (uri.getHost() == null || uri.getScheme() == null) {
                return false;
            }
            int originPort = uri.getPort() >= 0 ? uri.getPort() : defaultPort(uri.getScheme());
            HostPort host = new HostPort(hostHeader);
            int hostPort = host.getPort() > 0 ? host.getPort() : defaultPort(uri.getScheme());
            return originPort == hostPort && unbracket(uri.getHost()).equalsIgnoreCase(unbracket(host.getHost()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String unbracket(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static int defaultPort(String scheme) {
        return scheme.equals("https") || scheme.equals("wss") ? 443 : 80;
    }

    /** An origin without a trailing slash and without the default port of its scheme. */
    private static String normalize(String origin) {
        String o = origin.endsWith("/") ? origin.substring(0, origin.length() - 1) : origin;
        if (o.startsWith("http://") && o.endsWith(":80")) {
            return o.substring(0, o.length() - 3);
        }
        if (o.startsWith("https://") && o.endsWith(":443")) {
            return o.substring(0, o.length() - 4);
        }
        return o;
    }
}
