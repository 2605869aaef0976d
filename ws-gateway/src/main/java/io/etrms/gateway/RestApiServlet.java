package io.etrms.gateway;

import io.etrms.http.AddressCounts;
import io.etrms.model.Json;
import io.etrms.model.Validation;
import io.etrms.model.RiskControl;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * The REST API of DESIGN.md under {@code /api/v1/}, every answer in the envelope
 * {@code {status, message, data}}:
 * <ul>
 *   <li>{@code GET positions|accounts|risk-metrics?account=&exchange=&symbol=}: data is what the
 *       WebSocket channel sends (404 when the account has no snapshot, 503 before the gateway is
 *       ready);</li>
 *   <li>{@code GET alerts?account=&since=&limit=&exchange=&symbol=}: a list of alerts, oldest first,
 *       from the {@link AlertHistory}: with {@code since} the first {@code limit} after it, without
 *       the latest {@code limit} (default 100); 503 before the gateway has read the alerts topic, or
 *       beyond {@code etrms.gateway.max.replays.per.ip} replays from the caller's address at once;</li>
 *   <li>{@code POST accounts/{account}/risk-control}: publishes a {@link RiskControl} (admin only,
 *       checked by {@link RequestGuard}, which also decoded the account from the path); 202 with
 *       the published record, 400 with the reason for a bad body, 408 for a body too slow to arrive.</li>
 * </ul>
 */
final class RestApiServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final int DEFAULT_ALERT_LIMIT = 100;
    private static final int MAX_BODY = 16 * 1024;

    private final transient GatewayContext context;
    private final transient RiskControlPublisher publisher;

    RestApiServlet(GatewayContext context, RiskControlPublisher publisher) {
        this.context = context;
        this.publisher = publisher;
    }

    /**
     * Any unexpected failure still answers in the envelope (500), never with a bare error page.
     * Every call is timed into {@code etrms_gateway_rest_request_seconds}.
     */
    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws jakarta.servlet.ServletException, IOException {
        long started = System.nanoTime();
        try {
            super.service(req, resp);
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(RestApiServlet.class).warn("{} {} failed", req.getMethod(), req.getRequestURI(), e);
            if (!resp.isCommitted()) {
                resp.reset();
                write(resp, 500, ApiEnvelope.error("internal error: " + e.getClass().getSimpleName()));
            }
        } finally {
            context.metrics().restRequest(resource(req), resp.getStatus(), System.nanoTime() - started);
        }
    }

    /** The resource label of a call: the channel of a GET, risk-control for a POST, else other. */
    private static String resource(HttpServletRequest req) {
        String path = req.getRequestURI().substring(req.getContextPath().length());
        if ("POST".equals(req.getMethod()) && RequestGuard.CONTROL_PATH.matcher(path).matches()) {
            return GatewayMetrics.RISK_CONTROL;
        }
        return path.startsWith(RequestGuard.API_PREFIX)
                ? Channel.byPath(path.substring(RequestGuard.API_PREFIX.length())).map(Channel::path).orElse(GatewayMetrics.OTHER)
                : GatewayMetrics.OTHER;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getRequestURI().substring(req.getContextPath().length());
        Optional<Channel> channel = path.startsWith(RequestGuard.API_PREFIX)
                ? Channel.byPath(path.substring(RequestGuard.API_PREFIX.length())) : Optional.empty();
        if (channel.isEmpty()) {
            write(resp, 404, ApiEnvelope.error("no such resource: " + Validation.echo(path)));
            return;
        }
        Map<String, List<String>> query = query(req);
        SubscriptionRequest request;
        try {
            request = SubscriptionRequest.parse(channel.get(), query, context.settings().defaultAccount());
        } catch (IllegalArgumentException e) {
            write(resp, 400, ApiEnvelope.error(e.getMessage()));
            return;
        }
        if (channel.get() == Channel.ALERTS) {
            alerts(request, query, req, resp);
            return;
        }
        Optional<String> data = context.broadcaster().latest(request.channel(), request.account())
                .flatMap(message -> message.render(request.filter()));
        if (data.isPresent()) {
            write(resp, 200, ApiEnvelope.success(request.channel().path() + " of " + request.account(), data.get()));
        } else if (!context.reader().isReady()) {
            write(resp, 503, ApiEnvelope.error("not ready: still reading the state topics"));
        } else {
            write(resp, 404, ApiEnvelope.error("no " + request.channel().path() + " for account " + request.account()));
        }
    }

    private void alerts(SubscriptionRequest request, Map<String, List<String>> query, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        int max = context.settings().restAlertLimitMax();
        String limitText = SubscriptionRequest.single(query, "limit");
        int limit = DEFAULT_ALERT_LIMIT;
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText.trim());
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > max) {
                write(resp, 400, ApiEnvelope.error("limit must be an integer between 1 and " + max));
                return;
            }
        }
        if (!context.reader().isReady()) {
            write(resp, 503, ApiEnvelope.error("not ready: still reading the alerts topic"));
            return;
        }
        InetAddress from = AddressCounts.of(new InetSocketAddress(req.getRemoteAddr(), req.getRemotePort()));
        if (from != null && !context.replays().tryIncrement(from, context.settings().maxReplaysPerIp())) {
            write(resp, 503, ApiEnvelope.error("too many alert replays from this address at once; retry"));
            return;
        }
        try {
            List<ChannelMessage> alerts = request.since() != null
                    ? context.history().after(request.account(), request.since(), limit, request.filter())
                    : context.history().latest(request.account(), limit, request.filter());
            context.metrics().alertReplay();
            StringBuilder data = new StringBuilder("[");
            for (ChannelMessage alert : alerts) {
                alert.render(request.filter()).ifPresent(text -> data.append(data.length() > 1 ? "," : "").append(text));
            }
            data.append(']');
            write(resp, 200, ApiEnvelope.success(alerts.size() + " alerts of " + request.account(), data.toString()));
        } finally {
            if (from != null) {
                context.replays().decrement(from);
            }
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String account = (String) req.getAttribute(RequestGuard.CONTROL_ACCOUNT);
        if (account == null) {
            write(resp, 404, ApiEnvelope.error("no such resource: " + Validation.echo(req.getRequestURI())));
            return;
        }
        byte[] body;
        try {
            body = req.getInputStream().readNBytes(MAX_BODY + 1);
        } catch (IOException e) {
            write(resp, 408, ApiEnvelope.error("request body too slow: " + Validation.echo(e.getMessage())));
            return;
        }
        if (body.length > MAX_BODY) {
            write(resp, 413, ApiEnvelope.error("body larger than " + MAX_BODY + " bytes"));
            return;
        }
        Caller caller = (Caller) req.getAttribute(RequestGuard.CALLER);
        RiskControl control;
        try {
            control = RiskControlRequest.parse(account, new String(body, StandardCharsets.UTF_8),
                    caller == null ? Caller.ANONYMOUS.subject() : caller.subject(), System.currentTimeMillis());
        } catch (IllegalArgumentException e) {
            write(resp, 400, ApiEnvelope.error(e.getMessage()));
            return;
        }
        try {
            publisher.publish(control);
        } catch (IllegalStateException e) {
            write(resp, 503, ApiEnvelope.error(e.getMessage()));
            return;
        }
        write(resp, 202, ApiEnvelope.success("published to risk-control", Json.write(control)));
    }

    private static Map<String, List<String>> query(HttpServletRequest req) {
        Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        req.getParameterMap().forEach((k, v) -> out.put(k, List.of(v)));
        return out;
    }

    static void write(HttpServletResponse resp, int status, String json) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.getOutputStream().write(json.getBytes(StandardCharsets.UTF_8));
    }
}
