package io.etrms.gateway;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;

/** Serves the dashboard page ({@code GET /}) from the classpath; every other unknown path is 404. */
final class DashboardServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final String PAGE = "/etrms-dashboard/index.html";

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getRequestURI().substring(req.getContextPath().length());
        if (!path.equals("/") && !path.equals("/index.html")) {
            RestApiServlet.write(resp, 404, ApiEnvelope.error("no such resource: " + io.etrms.model.Validation.echo(path)));
            return;
        }
        try (InputStream page = DashboardServlet.class.getResourceAsStream(PAGE)) {
            if (page == null) {
                RestApiServlet.write(resp, 404, ApiEnvelope.error("dashboard not packaged"));
                return;
            }
            resp.setStatus(200);
            resp.setContentType("text/html; charset=utf-8");
            page.transferTo(resp.getOutputStream());
        }
    }
}
