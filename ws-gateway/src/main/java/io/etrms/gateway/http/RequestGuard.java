package io.etrms.gateway.http;

import io.etrms.gateway.fanout.Channel;
import io.etrms.gateway.fanout.SubscriptionRequest;
import io.etrms.gateway.metrics.GatewayMetrics;
import io.etrms.http.AddressCounts;
import io.etrms.http.HttpHardening;
import io.etrms.http.OriginPolicy;
import io.etrms.model.Validation;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * Checks every API request before Jetty's WebSocket upgrade or a servlet sees it, and answers a
 * refused one with a plain HTTP status and the JSON error envelope:
 * <ul>
 *   <li>404: a WebSocket path that is no channel;</li>
 *   <li>403: an {@code Origin} the {@link OriginPolicy} of {@code etrms.http.allowed.origins}
 *       refuses (WebSocket upgrades as reads, risk-control posts and the other changes as writes:
 *       the requests a browser page could forge);</li>
 *   <li>415: a risk-control post or a change with a body whose {@code Content-Type} is not {@code application/json} (the
 *       only types an HTML form can send are form types and {@code text/plain});</li>
 *   <li>503: a WebSocket upgrade beyond {@code etrms.gateway.max.websockets} open connections, or
 *       {@code etrms.gateway.max.websockets.per.ip} from the caller's address;</li>
 *   <li>400: a bad query parameter ({@code account}, {@code since});</li>
 *   <li>401: authentication on and no valid token ({@code ?token=} or {@code Authorization: Bearer});</li>
 *   <li>403: the token may not read the account, or a risk-control post or another change without the admin role;</li>
 *   <li>405: a change path with a method it does not take ({@link ChangeTarget}).</li>
 * </ul>
 * The overview ({@code /api/v1/ws/overview}, {@code GET /api/v1/accounts} without {@code account})
 * is never refused for its accounts: it shows those the token may read.
 * The verified {@link Caller} travels on as request attribute {@link #CALLER}; the account of a
 * risk-control post, decoded once from the path here, as {@link #CONTROL_ACCOUNT} (the servlet
 * uses it and never parses the path again, so the account checked is the account changed); the
 * other changes ({@link ChangeTarget}: limits, groups, group risk-control; admin only, 405 for
 * another method) as {@link #CHANGE}. {@code GET audit} is scoped to the caller's accounts.
 * {@code /healthz}, {@code /readyz}, {@code /metrics} and the dashboard need no token.
 */
public final class RequestGuard extends Handler.Wrapper {

    public static final String CALLER = "etrms.caller";
    static final String CONTROL_ACCOUNT = "etrms.control.account";
    static final String CHANGE = "etrms.change";
    static final String API_PREFIX = "/api/v1/";
    static final Pattern CONTROL_PATH = Pattern.compile("^/api/v1/accounts/([^/]+)/risk-control$");

    private final ApiRules rules;
    private final OpenWebSockets webSockets;
    private final GatewayMetrics metrics;
    private final JwtAuthenticator authenticator;
    private final OriginPolicy origins;

    /** @param authenticator null when authentication is off */
    public RequestGuard(ApiRules rules, OpenWebSockets webSockets, GatewayMetrics metrics, JwtAuthenticator authenticator, Handler next) {
        super(next);
        this.rules = rules;
        this.webSockets = webSockets;
        this.metrics = metrics;
        this.authenticator = authenticator;
        this.origins = OriginPolicy.of(rules.allowedOrigins());
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        if (!path.startsWith(API_PREFIX)) {
            return super.handle(request, response, callback);
        }
        Map<String, List<String>> query = query(request);
        String account;
        boolean control = false;
        if (path.startsWith(Channel.WS_PREFIX)) {
            Optional<Channel> channel = Channel.byPath(path.substring(Channel.WS_PREFIX.length()));
            if (channel.isEmpty()) {
                return reject(request, response, callback, 404, "no such channel: " + path);
            }
            if (!origins.allowsRead(request)) {
                return reject(request, response, callback, 403, "origin not allowed: " + Validation.echo(request.getHeaders().get(HttpHeader.ORIGIN)));
            }
            String full = connectionsFull(request);
            if (full != null) {
                return reject(request, response, callback, 503, full);
            }
            try {
                account = SubscriptionRequest.parse(channel.get(), query, rules.defaultAccount()).account();
            } catch (IllegalArgumentException e) {
                return reject(request, response, callback, 400, e.getMessage());
            }
            if (channel.get() == Channel.OVERVIEW) {
                account = null; // every account the caller may read: the overview is scoped, not refused
            }
        } else {
            Matcher matcher = CONTROL_PATH.matcher(path);
            String resource = path.substring(API_PREFIX.length());
            String named = SubscriptionRequest.single(query, "account");
            ChangeTarget change = ChangeTarget.of(request.getMethod(), path);
            if (change != null) {
                control = true;
                account = null;
                if (change.refusal() != null) {
                    return reject(request, response, callback, 405, change.refusal());
                }
                if (!origins.allowsWrite(request)) {
                    return reject(request, response, callback, 403, "origin not allowed: " + Validation.echo(request.getHeaders().get(HttpHeader.ORIGIN)));
                }
                if (!"DELETE".equals(request.getMethod()) && !"application/json".equals(HttpHardening.mediaType(request))) {
                    return reject(request, response, callback, 415, "Content-Type must be application/json");
                }
                request.setAttribute(CHANGE, change);
            } else if (resource.equals(RestApiServlet.AUDIT)) {
                account = named; // without account: every record the caller may read
            } else if (matcher.matches()) {
                control = true;
                account = matcher.group(1);
                if (!origins.allowsWrite(request)) {
                    return reject(request, response, callback, 403, "origin not allowed: " + Validation.echo(request.getHeaders().get(HttpHeader.ORIGIN)));
                }
                if (!"application/json".equals(HttpHardening.mediaType(request))) {
                    return reject(request, response, callback, 415, "Content-Type must be application/json");
                }
                request.setAttribute(CONTROL_ACCOUNT, account);
            } else if (resource.equals(RestApiServlet.ACCOUNTS) && named == null) {
                account = null; // the list of accounts: scoped to the caller's accounts, not refused
            } else if (resource.equals(RestApiServlet.HISTORY) || Channel.byPath(resource).filter(c -> c != Channel.OVERVIEW).isPresent()) {
                account = named == null ? rules.defaultAccount() : named;
            } else {
                return super.handle(request, response, callback);
            }
        }

        Caller caller = Caller.ANONYMOUS;
        if (authenticator != null) {
            try {
                caller = authenticator.authenticate(token(request, query));
            } catch (JwtAuthenticator.InvalidTokenException e) {
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"etrms\"");
                return reject(request, response, callback, 401, e.getMessage());
            }
        }
        if (control && !caller.admin()) {
            return reject(request, response, callback, 403, request.getAttribute(CHANGE) != null
                    ? "changes need the admin role" : "risk-control needs the admin role");
        }
        if (!control && account != null && !caller.canRead(account)) {
            return reject(request, response, callback, 403, "token may not read account " + account);
        }
        request.setAttribute(CALLER, caller);
        return super.handle(request, response, callback);
    }

    /** Why one more WebSocket would break a connection cap, or null. */
    private String connectionsFull(Request request) {
        if (webSockets.size() >= rules.maxWebSockets()) {
            return "too many WebSocket connections (" + ApiRules.MAX_WEBSOCKETS + "=" + rules.maxWebSockets() + "); retry later";
        }
        InetAddress from = AddressCounts.of(request.getConnectionMetaData().getRemoteSocketAddress());
        if (from != null && webSockets.openFrom(from) >= rules.maxWebSocketsPerIp()) {
            return "too many WebSocket connections from " + from.getHostAddress() + " (" + ApiRules.MAX_WEBSOCKETS_PER_IP + "="
                    + rules.maxWebSocketsPerIp() + "); retry later";
        }
        return null;
    }

    private static String token(Request request, Map<String, List<String>> query) {
        String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return header.substring(7);
        }
        return SubscriptionRequest.single(query, "token");
    }

    /** The query parameters of {@code request}. */
    public static Map<String, List<String>> query(Request request) {
        Fields fields = Request.extractQueryParameters(request);
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Fields.Field field : fields) {
            out.put(field.getName(), field.getValues());
        }
        return out;
    }

    /** Every refusal comes before the body is read ({@link HttpHardening#closeIfBodyUnread}). */
    private boolean reject(Request request, Response response, Callback callback, int status, String message) {
        HttpHardening.closeIfBodyUnread(request, response);
        metrics.upgradeRejected(status);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(ApiEnvelope.error(message).getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }
}
