package io.etrms.gateway.http;

import io.etrms.gateway.metrics.GatewayMetrics;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * Operations endpoints, no token needed: {@code /healthz} (200 while the process serves),
 * {@code /readyz} (200 once caught up with the compacted topics, 503 before) and
 * {@code /metrics} (Prometheus text format).
 */
public final class OpsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient BooleanSupplier ready;
    private final transient GatewayMetrics metrics;

    /** @param ready whether the gateway has caught up with the topics it reads */
    public OpsServlet(BooleanSupplier ready, GatewayMetrics metrics) {
        this.ready = ready;
        this.metrics = metrics;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        switch (req.getServletPath()) {
            case "/healthz" -> RestApiServlet.write(resp, 200, ApiEnvelope.success("alive", "{\"status\":\"UP\"}"));
            case "/readyz" -> {
                boolean ready = this.ready.getAsBoolean();
                RestApiServlet.write(resp, ready ? 200 : 503, ready
                        ? ApiEnvelope.success("ready", "{\"status\":\"READY\"}")
                        : ApiEnvelope.error("catching up with the state topics"));
            }
            case "/metrics" -> {
                resp.setStatus(200);
                resp.setContentType("text/plain; version=0.0.4; charset=utf-8");
                resp.getOutputStream().write(metrics.scrape().getBytes(StandardCharsets.UTF_8));
            }
            default -> RestApiServlet.write(resp, 404, ApiEnvelope.error("no such resource"));
        }
    }
}
