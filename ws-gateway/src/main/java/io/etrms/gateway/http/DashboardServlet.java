package io.etrms.gateway.http;

import io.etrms.model.Validation;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * Serves the dashboard from the classpath ({@code etrms-dashboard/}): the page at {@code GET /},
 * its script and style sheet, and the vendored chart library (uPlot, {@code /vendor/uplot/}, with
 * its licence). Nothing else: every other path is 404. The page loads nothing from outside the
 * gateway; a Content-Security-Policy says so to the browser (scripts only from here, connections
 * only to here).
 */
public final class DashboardServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final String ROOT = "/etrms-dashboard";
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; "
            + "img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    /** Path → resource and content type. */
    private static final Map<String, String[]> FILES = Map.of(
            "/", new String[] {"/index.html", "text/html; charset=utf-8"},
            "/index.html", new String[] {"/index.html", "text/html; charset=utf-8"},
            "/dashboard.js", new String[] {"/dashboard.js", "text/javascript; charset=utf-8"},
            "/dashboard.css", new String[] {"/dashboard.css", "text/css; charset=utf-8"},
            "/vendor/uplot/uPlot.iife.min.js", new String[] {"/vendor/uplot/uPlot.iife.min.js", "text/javascript; charset=utf-8"},
            "/vendor/uplot/uPlot.min.css", new String[] {"/vendor/uplot/uPlot.min.css", "text/css; charset=utf-8"},
            "/vendor/uplot/LICENSE", new String[] {"/vendor/uplot/LICENSE", "text/plain; charset=utf-8"});

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getRequestURI().substring(req.getContextPath().length());
        String[] file = FILES.get(path);
        if (file == null) {
            RestApiServlet.write(resp, 404, ApiEnvelope.error("no such resource: " + Validation.echo(path)));
            return;
        }
        try (InputStream content = DashboardServlet.class.getResourceAsStream(ROOT + file[0])) {
            if (content == null) {
                RestApiServlet.write(resp, 404, ApiEnvelope.error("dashboard not packaged"));
                return;
            }
            resp.setStatus(200);
            resp.setContentType(file[1]);
            resp.setHeader("X-Content-Type-Options", "nosniff");
            resp.setHeader("Cache-Control", path.startsWith("/vendor/") ? "public, max-age=86400" : "no-cache");
            if (file[1].startsWith("text/html")) {
                resp.setHeader("Content-Security-Policy", CSP);
                resp.setHeader("Referrer-Policy", "no-referrer");
            }
            content.transferTo(resp.getOutputStream());
        }
    }
}
