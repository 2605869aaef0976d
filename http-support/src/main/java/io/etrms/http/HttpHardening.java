package io.etrms.http;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.MinimumDataRateHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.HostPort;

/**
 * What both HTTP services (the gateway on 8000, ingest on 8001) put in front of their own
 * handlers, from Jetty's own parts where Jetty has them:
 * <ul>
 *   <li>{@link NetworkConnectionLimit}: at most {@link HttpLimits#maxConnections()} TCP connections;</li>
 *   <li>{@link PerIpConnectionLimit}: at most {@link HttpLimits#maxConnectionsPerIp()} from one address;</li>
 *   <li>Jetty's idle timeout, a request-head size limit (431), no {@code Server} header;</li>
 *   <li>{@link RequestDeadlines}: the request-head and request-body deadlines;</li>
 *   <li>{@link MinimumDataRateHandler}: a body slower than {@link HttpLimits#minRequestDataRate()} fails to read;</li>
 *   <li>TRACE and TRACK answered 405 (a TRACE echo would hand a page the caller's headers);</li>
 *   <li>on a loopback address, a {@code Host} header that names another host answered 403 (a
 *       page of a rebound DNS name is same-origin with itself, so only the Host tells);</li>
 *   <li>{@link JsonErrorHandler}: Jetty's own errors in the JSON envelope.</li>
 * </ul>
 */
public final class HttpHardening {

    private final ServerConnector connector;
    private final NetworkConnectionLimit connectionLimit;
    private final PerIpConnectionLimit perIp;
    private final RequestDeadlines deadlines;

    private HttpHardening(ServerConnector connector, NetworkConnectionLimit connectionLimit, PerIpConnectionLimit perIp,
                          RequestDeadlines deadlines) {
        this.connector = connector;
        this.connectionLimit = connectionLimit;
        this.perIp = perIp;
        this.deadlines = deadlines;
    }

    /**
     * Adds a connector on {@code host:port} to {@code server} and sets its handler to {@code app}
     * behind the protections above. The server is not started.
     */
    public static HttpHardening install(Server server, String host, int port, HttpLimits limits, Handler app) {
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setRequestHeaderSize(limits.maxRequestHeaderBytes());
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(limits.idleTimeout().toMillis());
        PerIpConnectionLimit perIp = new PerIpConnectionLimit(limits.maxConnectionsPerIp());
        RequestDeadlines deadlines = new RequestDeadlines(limits.headerTimeout(), limits.bodyTimeout());
        connector.addBean(perIp);
        connector.addBean(deadlines);
        server.addConnector(connector);
        NetworkConnectionLimit connectionLimit = new NetworkConnectionLimit(limits.maxConnections(), connector);
        server.addBean(connectionLimit);
        server.setErrorHandler(new JsonErrorHandler());

        Handler inner = limits.minRequestDataRate() > 0 ? new MinimumDataRateHandler(app, limits.minRequestDataRate(), 0) : app;
        server.setHandler(deadlines.handler(new RequestRules(isLoopback(host), inner)));
        return new HttpHardening(connector, connectionLimit, perIp, deadlines);
    }

    public ServerConnector connector() {
        return connector;
    }

    /**
     * Meters under {@code prefix}: {@code <prefix>.connections} (open TCP connections) and
     * {@code <prefix>.connections.closed{reason=per_ip_limit|header_timeout|body_timeout}}.
     */
    public void bindMetrics(MeterRegistry registry, String prefix) {
        Gauge.builder(prefix + ".connections", connectionLimit, NetworkConnectionLimit::getNetworkConnectionCount)
                .description("open TCP connections").register(registry);
        FunctionCounter.builder(prefix + ".connections.closed", perIp, PerIpConnectionLimit::refused).tag("reason", "per_ip_limit")
                .description("connections closed by a limit").register(registry);
        FunctionCounter.builder(prefix + ".connections.closed", deadlines, RequestDeadlines::headerCloses).tag("reason", "header_timeout")
                .description("connections closed by a limit").register(registry);
        FunctionCounter.builder(prefix + ".connections.closed", deadlines, RequestDeadlines::bodyCloses).tag("reason", "body_timeout")
                .description("connections closed by a limit").register(registry);
    }

    /**
     * The interface to listen on. Blank: {@code 127.0.0.1} when the service has no authentication,
     * {@code 0.0.0.0} when it has. An address other than loopback without authentication is refused
     * unless {@code allowRemoteUnauthenticated} says so explicitly.
     *
     * @throws IllegalArgumentException naming both keys when the address is refused
     */
    public static String bindHost(String configured, boolean authenticated, boolean allowRemoteUnauthenticated,
                                  String hostKey, String authHint, String allowKey) {
        String host = configured == null ? "" : configured.trim();
        if (host.isEmpty()) {
            return authenticated ? "0.0.0.0" : "127.0.0.1";
        }
        if (!authenticated && !allowRemoteUnauthenticated && !isLoopback(host)) {
            throw new IllegalArgumentException("refusing to listen on " + host + " (" + hostKey + ") without authentication: anyone who can reach it could "
                    + "use it. Turn authentication on (" + authHint + "), listen on 127.0.0.1, or set " + allowKey + "=true to accept the risk");
        }
        return host;
    }

    /** The media type of the request body, lower case, without parameters ({@code ; charset=utf-8}); null without one. */
    public static String mediaType(Request request) {
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        return type == null ? null : HttpField.getValueParameters(type, null).trim().toLowerCase(Locale.ROOT);
    }

    /**
     * For an answer given without reading the request's body: {@code Connection: close} when it has
     * one. Jetty closes such a connection after the answer (it cannot tell where the next request
     * would start); a keep-alive client that is not told sends its next request into the closing
     * socket and gets no answer at all (RFC 9112, section 9.6).
     */
    public static void closeIfBodyUnread(Request request, Response response) {
        if (request.getLength() != 0) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** TRACE/TRACK refused; on a loopback connector, a Host naming another host refused. */
    private static final class RequestRules extends Handler.Wrapper {
        private final boolean loopback;

        RequestRules(boolean loopback, Handler next) {
            super(next);
            this.loopback = loopback;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            String method = request.getMethod();
            if (HttpMethod.TRACE.is(method) || "TRACK".equalsIgnoreCase(method)) {
                response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD, POST");
                return reject(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, method + " is not allowed");
            }
            if (loopback && !loopbackName(request.getHeaders().get(HttpHeader.HOST))) {
                return reject(response, callback, HttpStatus.FORBIDDEN_403,
                        "this port listens on loopback only: the Host header must name localhost, 127.0.0.1 or [::1]");
            }
            return super.handle(request, response, callback);
        }

        private static boolean loopbackName(String hostHeader) {
            if (hostHeader == null) {
                return true; // HTTP/1.0 without Host: not a browser
            }
            try {
                String host = new HostPort(hostHeader).getHost().toLowerCase(Locale.ROOT);
                String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
                return bare.equals("localhost") || bare.endsWith(".localhost") || bare.equals("::1") || bare.matches("127(\\.\\d{1,3}){3}");
            } catch (IllegalArgumentException e) {
                return false;
            }
        }

        private static boolean reject(Response response, Callback callback, int status, String message) {
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.write(true, ByteBuffer.wrap(JsonErrorHandler.envelope(message).getBytes(StandardCharsets.UTF_8)), callback);
            return true;
        }
    }
}
