package io.etrms.gateway;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Operations endpoints, no token needed: {@code /healthz} (200 while the process serves),
 * {@code /readyz} (200 once caught up with the compacted topics, 503 before) and
 * {@code /metrics} (Prometheus text format).
 */
final class OpsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient GatewayContext context;

    OpsServlet(GatewayContext context) {
        this.context = context;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        switch (req.getServletPath()) {
            case "/healthz" -> RestApiServlet.write(resp, 200, ApiEnvelope.success("alive", "{\"status\":\"UP\"}"));
            case "/readyz" -> {
                boolean ready = context.reader().isReady();
                RestApiServlet.write(resp, ready ? 200 : 503, ready
                        ? ApiEnvelope.success("ready", "{\"status\":\"READY\"}")
                        : ApiEnvelope.error("catching up with the state topics"));
            }
            case "/metrics" -> {
                resp.setStatus(200);
                resp.setContentType("text/plain; version=0.0.4; charset=utf-8");
                resp.getOutputStream().write(context.metrics().scrape().getBytes(StandardCharsets.UTF_8));
            }
            default -> RestApiServlet.write(resp, 404, ApiEnvelope.error("no such resource"));
        }
    }
}
