package io.etrms.gateway.http;

import io.etrms.model.Json;

/**
 * The REST envelope of docs/api/rest.md: {@code {"status": "success"|"error", "message": ..., "data": ...}}.
 * {@code data} is spliced in as JSON text, so a snapshot is never parsed and written again.
 */
public final class ApiEnvelope {

    private ApiEnvelope() {
    }

    public static String success(String message, String dataJson) {
        return "{\"status\":\"success\",\"message\":" + Json.write(message) + ",\"data\":" + dataJson + "}";
    }

    public static String error(String message) {
        return "{\"status\":\"error\",\"message\":" + Json.write(message) + ",\"data\":null}";
    }
}
