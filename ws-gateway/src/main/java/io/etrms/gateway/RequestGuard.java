package io.etrms.gateway;

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
 *       refuses (WebSocket upgrades as reads, risk-control posts as writes: the requests a
 *       browser page could forge);</li>
 *   <li>415: a risk-control post whose {@code Content-Type} is not {@code application/json} (the
 *       only types an HTML form can send are form types and {@code text/plain});</li>
 *   <li>503: a WebSocket upgrade beyond {@code etrms.gateway.max.websockets} open connections, or
 *       {@code etrms.gateway.max.websockets.per.ip} from the caller's address;</li>
 *   <li>400: a bad query parameter ({@code account}, {@code since});</li>
 *   <li>401: authentication on and no valid token ({@code ?token=} or {@code Authorization: Bearer});</li>
 *   <li>403: the token may not read the account, or a risk-control post without the admin role.</li>
 * </ul>
 * The verified {@link Caller} travels on as request attribute {@link #CALLER}; the account of a
 * risk-control post, decoded once from the path here, as {@link #CONTROL_ACCOUNT} (the servlet
 * uses it and never parses the path again, so the account checked is the account changed).
 * {@code /healthz}, {@code /readyz}, {@code /metrics} and the dashboard need no token.
 */
final class RequestGuard extends Handler.Wrapper {

    static final String CALLER = "etrms.caller";
    static final String CONTROL_ACCOUNT = "etrms.control.account";
    static final String API_PREFIX = "/api/v1/";
    static final Pattern CONTROL_PATH = Pattern.compile("^/api/v1/accounts/([^/]+)/risk-control$");

    private final GatewayContext context;
    private final JwtAuthenticator authenticator;
    private final OriginPolicy origins;

    RequestGuard(GatewayContext context, JwtAuthenticator authenticator, Handler next) {
        super(next);
        this.context = context;
        this.authenticator = authenticator;
        this.origins = OriginPolicy.of(context.settings().allowedOrigins());
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
                return reject(response, callback, 404, "no such channel: " + path);
            }
            if (!origins.allowsRead(request)) {
                return reject(response, callback, 403, "origin not allowed: " + Validation.echo(request.getHeaders().get(HttpHeader.ORIGIN)));
            }
            String full = connectionsFull(request);
            if (full != null) {
                return reject(response, callback, 503, full);
            }
            try {
                account = SubscriptionRequest.parse(channel.get(), query, context.settings().defaultAccount()).account();
            } catch (IllegalArgumentException e) {
                return reject(response, callback, 400, e.getMessage());
            }
        } else {
            Matcher matcher = CONTROL_PATH.matcher(path);
            Optional<Channel> resource = Channel.byPath(path.substring(API_PREFIX.length()));
            if (matcher.matches()) {
                control = true;
                account = matcher.group(1);
                if (!origins.allowsWrite(request)) {
                    return reject(response, callback, 403, "origin not allowed: " + Validation.echo(request.getHeaders().get(HttpHeader.ORIGIN)));
                }
                if (!"application/json".equals(HttpHardening.mediaType(request))) {
                    return reject(response, callback, 415, "Content-Type must be application/json");
                }
                request.setAttribute(CONTROL_ACCOUNT, account);
            } else if (resource.isPresent()) {
                String named = SubscriptionRequest.single(query, "account");
                account = named == null ? context.settings().defaultAccount() : named;
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
                return reject(response, callback, 401, e.getMessage());
            }
        }
        if (control && !caller.admin()) {
            return reject(response, callback, 403, "risk-control needs the admin role");
        }
        if (!control && !caller.canRead(account)) {
            return reject(response, callback, 403, "token may not read account " + account);
        }
        request.setAttribute(CALLER, caller);
        return super.handle(request, response, callback);
    }

    /** Why one more WebSocket would break a connection cap, or null. */
    private String connectionsFull(Request request) {
        GatewaySettings settings = context.settings();
        ConnectionSupervisor supervisor = context.supervisor();
        if (supervisor.size() >= settings.maxWebSockets()) {
            return "too many WebSocket connections (" + GatewaySettings.MAX_WEBSOCKETS + "=" + settings.maxWebSockets() + "); retry later";
        }
        InetAddress from = AddressCounts.of(request.getConnectionMetaData().getRemoteSocketAddress());
        if (from != null && supervisor.openFrom(from) >= settings.maxWebSocketsPerIp()) {
            return "too many WebSocket connections from " + from.getHostAddress() + " (" + GatewaySettings.MAX_WEBSOCKETS_PER_IP + "="
                    + settings.maxWebSocketsPerIp() + "); retry later";
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

    static Map<String, List<String>> query(Request request) {
        Fields fields = Request.extractQueryParameters(request);
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Fields.Field field : fields) {
            out.put(field.getName(), field.getValues());
        }
        return out;
    }

    private boolean reject(Response response, Callback callback, int status, String message) {
        context.metrics().upgradeRejected(status);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(ApiEnvelope.error(message).getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }
}
