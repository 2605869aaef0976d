package io.etrms.http;

import io.etrms.model.Json;
import io.etrms.model.Validation;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Every error Jetty answers by itself (a malformed request, a head over the size limit, a body
 * too slow, an exception out of a handler) in the REST envelope {@code {status, message, data}},
 * never an HTML page: no stack, no echo of the request beyond {@link Validation#ECHO_LENGTH}
 * characters of Jetty's reason.
 */
public final class JsonErrorHandler extends ErrorHandler {

    private static final HttpField JSON = new HttpField(HttpHeader.CONTENT_TYPE, MimeTypes.Type.APPLICATION_JSON.asString());

    /** The envelope of an error: {@code {"status":"error","message":...,"data":null}}. */
    public static String envelope(String message) {
        return "{\"status\":\"error\",\"message\":" + Json.write(message) + ",\"data\":null}";
    }

    private static String message(int status, String reason) {
        String phrase = HttpStatus.getMessage(status);
        return reason == null || reason.isBlank() || reason.equals(phrase) ? phrase : phrase + ": " + Validation.echo(reason);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus() >= 400 ? response.getStatus() : HttpStatus.INTERNAL_SERVER_ERROR_500;
        Object code = request.getAttribute(ERROR_STATUS);
        if (code instanceof Integer c) {
            status = c;
        }
        Object reason = request.getAttribute(ERROR_MESSAGE);
        response.setStatus(status);
        response.getHeaders().put(JSON);
        response.write(true, ByteBuffer.wrap(envelope(message(status, reason == null ? null : reason.toString()))
                .getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }

    /** The body of an answer to a request Jetty could not even parse (400, 431, ...). */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(JSON);
        return ByteBuffer.wrap(envelope(message(status, reason)).getBytes(StandardCharsets.UTF_8));
    }
}
