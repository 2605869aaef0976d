package io.etrms.gateway.http;

import io.etrms.gateway.fanout.Channel;
import io.etrms.gateway.fanout.ChannelMessage;
import io.etrms.gateway.fanout.SnapshotFilter;
import io.etrms.gateway.fanout.SubscriptionRequest;
import io.etrms.gateway.fanout.TopicBroadcaster;
import io.etrms.gateway.kafka.AdminView;
import io.etrms.gateway.kafka.AlertHistory;
import io.etrms.gateway.kafka.EquityHistoryStore;
import io.etrms.gateway.kafka.TopicReader;
import io.etrms.gateway.metrics.GatewayMetrics;
import io.etrms.http.AddressCounts;
import io.etrms.model.AccountGroup;
import io.etrms.model.AuditRecord;
import io.etrms.model.EquityHistory;
import io.etrms.model.GroupLimits;
import io.etrms.model.RiskLimits;
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
 * The REST API of docs/api/rest.md under {@code /api/v1/}, every answer in the envelope
 * {@code {status, message, data}}:
 * <ul>
 *   <li>{@code GET positions|accounts|risk-metrics?account=&exchange=&symbol=}: data is what the
 *       WebSocket channel sends (404 when the account has no snapshot, 503 before the gateway is
 *       ready);</li>
 *   <li>{@code GET accounts} without {@code account}: the firm overview, every account the token
 *       may read (what the {@code overview} channel sends);</li>
 *   <li>{@code GET history?account=&from=}: the account's equity/drawdown series from the
 *       {@link EquityHistoryStore} (all kept, or the points at or after {@code from}, epoch ms);
 *       404 for an account without one;</li>
 *   <li>{@code GET alerts?account=&since=&limit=&exchange=&symbol=}: a list of alerts, oldest first,
 *       from the {@link AlertHistory}: with {@code since} the first {@code limit} after it, without
 *       the latest {@code limit} (default 100); 503 before the gateway has read the alerts topic, or
 *       beyond {@code etrms.gateway.max.replays.per.ip} replays from the caller's address at once;</li>
 *   <li>{@code POST accounts/{account}/risk-control}: publishes a {@link RiskControl} (admin only,
 *       checked by {@link RequestGuard}, which also decoded the account from the path); 202 with
 *       the published record, 400 with the reason for a bad body, 408 for a body too slow to arrive;
 *       with two approvals required, a reset of a HALTED account may be held (202) or refused (409);</li>
 *   <li>{@code PUT|DELETE accounts/{account}/limits}, {@code accounts/{account}/group},
 *       {@code groups/{group}/limits} and {@code POST groups/{group}/risk-control} (admin only,
 *       see {@link ChangeTarget}): written with their audit record by {@link AuditedChanges};</li>
 *   <li>{@code GET audit?account=&group=&limit=}: the latest audit records, oldest first, scoped to
 *       the caller's accounts.</li>
 * </ul>
 */
public final class RestApiServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final int DEFAULT_ALERT_LIMIT = 100;
    /** The resource that lists every account (without {@code account}). */
    static final String ACCOUNTS = "accounts";
    static final String HISTORY = "history";
    static final String AUDIT = "audit";
    private static final int MAX_BODY = 16 * 1024;

    private final transient ApiRules rules;
    private final transient TopicBroadcaster broadcaster;
    private final transient TopicReader reader;
    private final transient AlertHistory history;
    private final transient EquityHistoryStore equity;
    private final transient AddressCounts replays;
    private final transient GatewayMetrics metrics;
    private final transient AuditedChanges changes;
    private final transient AdminView admin;

    /** @param replays alert replays in progress per client address (shared with the WebSocket {@code since} replays) */
    public RestApiServlet(ApiRules rules, TopicBroadcaster broadcaster, TopicReader reader, AlertHistory history, EquityHistoryStore equity,
                          AddressCounts replays, GatewayMetrics metrics, AuditedChanges changes, AdminView admin) {
        this.rules = rules;
        this.broadcaster = broadcaster;
        this.equity = equity;
        this.reader = reader;
        this.history = history;
        this.replays = replays;
        this.metrics = metrics;
        this.changes = changes;
        this.admin = admin;
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
            metrics.restRequest(resource(req), resp.getStatus(), System.nanoTime() - started);
        }
    }

    /** The resource label of a call: the channel of a GET, risk-control for a POST, changes, audit, else other. */
    private static String resource(HttpServletRequest req) {
        String path = req.getRequestURI().substring(req.getContextPath().length());
        if ("POST".equals(req.getMethod()) && RequestGuard.CONTROL_PATH.matcher(path).matches()) {
            return GatewayMetrics.RISK_CONTROL;
        }
        if (req.getAttribute(RequestGuard.CHANGE) != null) {
            return GatewayMetrics.CHANGES;
        }
        if (path.equals(RequestGuard.API_PREFIX + AUDIT)) {
            return GatewayMetrics.AUDIT;
        }
        return path.startsWith(RequestGuard.API_PREFIX)
                ? Channel.byPath(path.substring(RequestGuard.API_PREFIX.length())).map(Channel::path).orElse(GatewayMetrics.OTHER)
                : GatewayMetrics.OTHER;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getRequestURI().substring(req.getContextPath().length());
        String resource = path.startsWith(RequestGuard.API_PREFIX) ? path.substring(RequestGuard.API_PREFIX.length()) : "";
        Map<String, List<String>> query = query(req);
        if (resource.equals(ACCOUNTS) && SubscriptionRequest.single(query, "account") == null) {
            overview(req, resp);
            return;
        }
        if (resource.equals(HISTORY)) {
            history(query, resp);
            return;
        }
        if (resource.equals(AUDIT)) {
            audit(req, query, resp);
            return;
        }
        Optional<Channel> channel = Channel.byPath(resource).filter(c -> c != Channel.OVERVIEW);
        if (channel.isEmpty()) {
            write(resp, 404, ApiEnvelope.error("no such resource: " + Validation.echo(path)));
            return;
        }
        SubscriptionRequest request;
        try {
            request = SubscriptionRequest.parse(channel.get(), query, rules.defaultAccount());
        } catch (IllegalArgumentException e) {
            write(resp, 400, ApiEnvelope.error(e.getMessage()));
            return;
        }
        if (channel.get() == Channel.ALERTS) {
            alerts(request, query, req, resp);
            return;
        }
        Optional<String> data = broadcaster.latest(request.channel(), request.account())
                .flatMap(message -> message.render(request.filter()));
        if (data.isPresent()) {
            write(resp, 200, ApiEnvelope.success(request.channel().path() + " of " + request.account(), data.get()));
        } else if (!reader.isReady()) {
            write(resp, 503, ApiEnvelope.error("not ready: still reading the state topics"));
        } else {
            write(resp, 404, ApiEnvelope.error("no " + request.channel().path() + " for account " + request.account()));
        }
    }

    /** Every account the caller may read (the overview channel's message, scoped). */
    private void overview(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Caller caller = (Caller) req.getAttribute(RequestGuard.CALLER);
        SnapshotFilter scope = SnapshotFilter.NONE.withAccounts(caller == null ? null : caller.readableAccounts());
        Optional<String> data = broadcaster.latest(Channel.OVERVIEW, Channel.EVERY_ACCOUNT).flatMap(message -> message.render(scope));
        if (data.isPresent()) {
            write(resp, 200, ApiEnvelope.success("overview of every account", data.get()));
        } else {
            write(resp, 503, ApiEnvelope.error("not ready: still reading the state topics"));
        }
    }

    private void history(Map<String, List<String>> query, HttpServletResponse resp) throws IOException {
        String account;
        try {
            account = SubscriptionRequest.parse(Channel.RISK_METRICS, query, rules.defaultAccount()).account();
        } catch (IllegalArgumentException e) {
            write(resp, 400, ApiEnvelope.error(e.getMessage()));
            return;
        }
        String fromText = SubscriptionRequest.single(query, "from");
        Long from = null;
        if (fromText != null) {
            try {
                from = Long.parseLong(fromText.trim());
            } catch (NumberFormatException e) {
                from = -1L;
            }
            if (from < 0) {
                write(resp, 400, ApiEnvelope.error("from must be epoch milliseconds (an integer >= 0), was '" + Validation.echo(fromText) + "'"));
                return;
            }
        }
        EquityHistory points = equity.since(account, from);
        if (points != null) {
            write(resp, 200, ApiEnvelope.success(points.timestamps().length + " points of " + account, Json.write(points)));
        } else if (!reader.isReady()) {
            write(resp, 503, ApiEnvelope.error("not ready: still reading the state topics"));
        } else {
            write(resp, 404, ApiEnvelope.error("no history for account " + Validation.echo(account)));
        }
    }

    private void alerts(SubscriptionRequest request, Map<String, List<String>> query, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        int max = rules.restAlertLimitMax();
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
        if (!reader.isReady()) {
            write(resp, 503, ApiEnvelope.error("not ready: still reading the alerts topic"));
            return;
        }
        InetAddress from = AddressCounts.of(new InetSocketAddress(req.getRemoteAddr(), req.getRemotePort()));
        if (from != null && !replays.tryIncrement(from, rules.maxReplaysPerIp())) {
            write(resp, 503, ApiEnvelope.error("too many alert replays from this address at once; retry"));
            return;
        }
        try {
            List<ChannelMessage> alerts = request.since() != null
                    ? history.after(request.account(), request.since(), limit, request.filter())
                    : history.latest(request.account(), limit, request.filter());
            metrics.alertReplay();
            StringBuilder data = new StringBuilder("[");
            for (ChannelMessage alert : alerts) {
                alert.render(request.filter()).ifPresent(text -> data.append(data.length() > 1 ? "," : "").append(text));
            }
            data.append(']');
            write(resp, 200, ApiEnvelope.success(alerts.size() + " alerts of " + request.account(), data.toString()));
        } finally {
            if (from != null) {
                replays.decrement(from);
            }
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        ChangeTarget change = (ChangeTarget) req.getAttribute(RequestGuard.CHANGE);
        String account = (String) req.getAttribute(RequestGuard.CONTROL_ACCOUNT);
        if (account == null && change == null) {
            write(resp, 404, ApiEnvelope.error("no such resource: " + Validation.echo(req.getRequestURI())));
            return;
        }
        String body = body(req, resp);
        if (body == null || !changesReady(resp)) {
            return;
        }
        String who = subject(req);
        RiskControl control;
        try {
            if (change != null) {
                groupPath(change.id());
            }
            control = change != null ? RiskControlRequest.parseForGroup(body, who, changes.now())
                    : RiskControlRequest.parse(account, body, who, changes.now());
        } catch (IllegalArgumentException e) {
            invalid(resp, e.getMessage());
            return;
        }
        answer(resp, () -> change != null ? changes.groupControl(change.id(), control) : changes.control(control));
    }

    /** {@code PUT} of limits, a group membership or group limits (see {@link ChangeTarget}). */
    @Override
    protected void doPut(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        ChangeTarget change = (ChangeTarget) req.getAttribute(RequestGuard.CHANGE);
        if (change == null) {
            write(resp, 404, ApiEnvelope.error("no such resource: " + Validation.echo(req.getRequestURI())));
            return;
        }
        String body = body(req, resp);
        if (body == null || !changesReady(resp)) {
            return;
        }
        String who = subject(req);
        String reason = SubscriptionRequest.single(query(req), "reason");
        try {
            checkReason(reason);
            switch (change.resource()) {
                case ChangeTarget.LIMITS -> {
                    limitsKey(change.id());
                    RiskLimits limits = ChangeRequests.riskLimits(body);
                    answer(resp, () -> changes.riskLimits(change.id(), limits, who, reason));
                }
                case ChangeTarget.GROUP -> {
                    memberAccount(change.id());
                    AccountGroup group = ChangeRequests.accountGroup(change.id(), body, who, changes.now());
                    answer(resp, () -> changes.accountGroup(change.id(), group, who, reason));
                }
                default -> {
                    groupPath(change.id());
                    GroupLimits limits = ChangeRequests.groupLimits(body);
                    answer(resp, () -> changes.groupLimits(change.id(), limits, who, reason));
                }
            }
        } catch (IllegalArgumentException e) {
            invalid(resp, e.getMessage());
        }
    }

    /** {@code DELETE} of limits, a group membership or group limits: a tombstone. */
    @Override
    protected void doDelete(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        ChangeTarget change = (ChangeTarget) req.getAttribute(RequestGuard.CHANGE);
        if (change == null) {
            write(resp, 404, ApiEnvelope.error("no such resource: " + Validation.echo(req.getRequestURI())));
            return;
        }
        if (!changesReady(resp)) {
            return;
        }
        String who = subject(req);
        String reason = SubscriptionRequest.single(query(req), "reason");
        try {
            checkReason(reason);
            switch (change.resource()) {
                case ChangeTarget.LIMITS -> limitsKey(change.id());
                case ChangeTarget.GROUP -> memberAccount(change.id());
                default -> groupPath(change.id());
            }
        } catch (IllegalArgumentException e) {
            invalid(resp, e.getMessage());
            return;
        }
        answer(resp, () -> switch (change.resource()) {
            case ChangeTarget.LIMITS -> changes.riskLimits(change.id(), null, who, reason);
            case ChangeTarget.GROUP -> changes.accountGroup(change.id(), null, who, reason);
            default -> changes.groupLimits(change.id(), null, who, reason);
        });
    }

    private static void limitsKey(String key) {
        List<String> problems = new Validation().id("account", key).problems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    private static void memberAccount(String account) {
        limitsKey(account);
        if (Caller.ALL_ACCOUNTS.equals(account)) {
            throw new IllegalArgumentException("* is the default of risk-limits, not an account that can join a group");
        }
    }

    private static void groupPath(String group) {
        String problem = AccountGroup.groupProblem(group);
        if (problem != null) {
            throw new IllegalArgumentException("group " + problem);
        }
    }

    private static void checkReason(String reason) {
        List<String> problems = new Validation().optionalText("reason", reason, Validation.MAX_REASON_LENGTH).problems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    private void invalid(HttpServletResponse resp, String reason) throws IOException {
        metrics.change("invalid");
        write(resp, 400, ApiEnvelope.error(reason));
    }

    private static String subject(HttpServletRequest req) {
        Caller caller = (Caller) req.getAttribute(RequestGuard.CALLER);
        return caller == null ? Caller.ANONYMOUS.subject() : caller.subject();
    }

    /** 503 until the gateway has read the admin topics (the old values and pending approvals would be wrong). */
    private boolean changesReady(HttpServletResponse resp) throws IOException {
        if (!changes.isReady()) {
            write(resp, 503, ApiEnvelope.error("not ready: still reading risk-limits, account-groups, group-limits and audit"));
            return false;
        }
        return true;
    }

    private static void answer(HttpServletResponse resp, java.util.function.Supplier<AuditedChanges.Answer> change) throws IOException {
        AuditedChanges.Answer answer;
        try {
            answer = change.get();
        } catch (IllegalStateException e) {
            write(resp, 503, ApiEnvelope.error(e.getMessage()));
            return;
        }
        write(resp, answer.status(), answer.body());
    }

    /** The request body as text, or null after answering 408 or 413. */
    private static String body(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        byte[] body;
        try {
            body = req.getInputStream().readNBytes(MAX_BODY + 1);
        } catch (IOException e) {
            write(resp, 408, ApiEnvelope.error("request body too slow: " + Validation.echo(e.getMessage())));
            return null;
        }
        if (body.length > MAX_BODY) {
            write(resp, 413, ApiEnvelope.error("body larger than " + MAX_BODY + " bytes"));
            return null;
        }
        return new String(body, StandardCharsets.UTF_8);
    }

    /** {@code GET audit?account=&group=&limit=}: the audit trail, oldest first, scoped to the caller's accounts. */
    private void audit(HttpServletRequest req, Map<String, List<String>> query, HttpServletResponse resp) throws IOException {
        String account = SubscriptionRequest.single(query, "account");
        String group = SubscriptionRequest.single(query, "group");
        String limitText = SubscriptionRequest.single(query, "limit");
        int max = rules.restAlertLimitMax();
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
        if (!changes.isReady()) {
            write(resp, 503, ApiEnvelope.error("not ready: still reading the audit topic"));
            return;
        }
        Caller caller = (Caller) req.getAttribute(RequestGuard.CALLER);
        java.util.Set<String> readable = caller == null ? null : caller.readableAccounts();
        List<AuditRecord> records = admin.trail(r -> (account == null || account.equals(r.account()))
                && (group == null || (r.group() != null && AccountGroup.lineage(r.group()).contains(group)))
                && (readable == null || (r.account() != null && readable.contains(r.account()))), limit);
        String scope = account != null ? " of " + account : group != null ? " of group " + group : "";
        write(resp, 200, ApiEnvelope.success(records.size() + " audit records" + scope, Json.write(records)));
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
