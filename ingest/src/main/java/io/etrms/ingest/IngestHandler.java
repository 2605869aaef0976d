package io.etrms.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.etrms.http.HttpHardening;
import io.etrms.http.OriginPolicy;
import io.etrms.model.Json;
import io.etrms.model.Validation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.thread.Invocable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP ingest endpoint: {@code POST /api/v1/ingest/{fills|prices|transfers|position-snapshots}} with one JSON
 * object, a JSON array of objects, or NDJSON ({@code Content-Type: application/x-ndjson}).
 *
 * <p>A batch is all-or-nothing as far as validation goes: if any item breaks a rule, nothing is
 * sent and the answer is 400 with the index and reason of every rejected item. A valid batch is
 * sent and answered 202 only once Kafka acknowledged every record ({@code acks=all}); if Kafka
 * fails or does not answer within {@code etrms.ingest.http.ack.timeout.ms}, the answer is 503 and
 * part of the batch may have been written (retrying is safe for fills, which are de-duplicated by
 * {@code fill_id}, and for prices). A body over {@code etrms.ingest.http.max.body.bytes} or with
 * more than {@code etrms.ingest.http.max.items} records gets 413. Answers use the REST envelope of
 * docs/api/rest.md, {@code {status, message, data}} (ingest/README.md, "serve: HTTP ingest", lists
 * them).
 *
 * <p>What a browser page could forge is refused before the body is read: a {@code Content-Type}
 * other than {@code application/json} or {@code application/x-ndjson} gets 415 (an HTML form can
 * only send form types and {@code text/plain}, and a page's script can send JSON only after a
 * CORS preflight, which this server never grants), an {@code Origin} outside
 * {@code etrms.ingest.http.allowed.origins} gets 403. The body is read without holding a thread;
 * a read that fails (too slow for the minimum data rate) is answered 408.
 *
 * <p>Also {@code GET /healthz} and {@code GET /metrics} (Prometheus text, see {@link IngestMetrics}).
 */
final class IngestHandler extends Handler.Abstract {

    static final String PATH_PREFIX = "/api/v1/ingest/";

    private static final Logger log = LoggerFactory.getLogger(IngestHandler.class);

    /** The REST envelope of docs/api/rest.md. */
    record ApiResponse(String status, String message, Object data) {
    }

    /** {@code data} of a 202. */
    record Accepted(int accepted, String type, String topic) {
    }

    /** {@code data} of a 400. */
    record Rejected(int accepted, int rejected, List<ItemError> errors) {
    }

    /** One rejected item: its 0-based index in the batch (line for NDJSON) and why. */
    record ItemError(int index, String error) {
    }

    private final IngestProducer producer;
    private final IngestMetrics metrics;
    private final long maxBodyBytes;
    private final int maxItems;
    private final long ackTimeoutMillis;
    private final byte[] token;
    private final OriginPolicy origins;

    IngestHandler(IngestProducer producer, IngestMetrics metrics, long maxBodyBytes, int maxItems, long ackTimeoutMillis, String token,
                  OriginPolicy origins) {
        this.producer = producer;
        this.metrics = metrics;
        this.maxBodyBytes = maxBodyBytes;
        this.maxItems = maxItems;
        this.ackTimeoutMillis = ackTimeoutMillis;
        this.token = token == null || token.isBlank() ? null : token.getBytes(StandardCharsets.UTF_8);
        this.origins = origins;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        if (path.equals("/healthz")) {
            return answer(response, callback, HttpStatus.OK_200, new ApiResponse("success", "ok", null));
        }
        if (path.equals("/metrics") && metrics.scrape() != null) {
            response.setStatus(HttpStatus.OK_200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
            Content.Sink.write(response, true, metrics.scrape(), callback);
            return true;
        }
        if (!path.startsWith(PATH_PREFIX)) {
            return answer(response, callback, HttpStatus.NOT_FOUND_404, error("no such endpoint: " + path));
        }
        InputKind kind;
        try {
            kind = InputKind.fromLabel(path.substring(PATH_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            return answer(response, callback, HttpStatus.NOT_FOUND_404,
                    error("no such endpoint: " + path + " (POST /api/v1/ingest/fills, /prices, /transfers or /position-snapshots)"));
        }
        if (!HttpMethod.POST.is(method)) {
            response.getHeaders().put(HttpHeader.ALLOW, "POST");
            return refuseUnread(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, error("use POST"));
        }
        if (token != null && !authorized(request)) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
            return refuseUnread(request, response, callback, HttpStatus.UNAUTHORIZED_401, error("missing or wrong bearer token"));
        }
        if (!origins.allowsWrite(request)) {
            return refuseUnread(request, response, callback, HttpStatus.FORBIDDEN_403, error("origin not allowed: "
                    + Validation.echo(request.getHeaders().get(HttpHeader.ORIGIN))));
        }
        boolean ndjson = isNdjson(request);
        if (!ndjson && !isJson(request)) {
            return refuseUnread(request, response, callback, HttpStatus.UNSUPPORTED_MEDIA_TYPE_415,
                    error("Content-Type must be application/json or application/x-ndjson"));
        }
        if (request.getLength() > maxBodyBytes) {
            return refuseUnread(request, response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413, tooLarge());
        }
        Content.Source.asByteArrayAsync(request, (int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes),
                Promise.Invocable.from(Invocable.InvocationType.BLOCKING,
                        body -> ingest(kind, body, ndjson, response, callback),
                        // on another thread: Jetty fails the request itself right after this promise, and
                        // must find it not yet completed (else it logs a NullPointerException)
                        failure -> request.getContext().execute(() -> answer(response, callback, readFailureStatus(failure), readFailure(failure)))));
        return true;
    }

    /** 408 for a body too slow for the minimum data rate, else 413 (a chunked body over the limit: only then does the read fail). */
    private static int readFailureStatus(Throwable failure) {
        return failure instanceof TimeoutException || failure.getCause() instanceof TimeoutException
                ? HttpStatus.REQUEST_TIMEOUT_408 : HttpStatus.PAYLOAD_TOO_LARGE_413;
    }

    private ApiResponse readFailure(Throwable failure) {
        return readFailureStatus(failure) == HttpStatus.REQUEST_TIMEOUT_408
                ? error("request body too slow: " + Validation.echo(failure.getMessage())) : tooLarge();
    }

    private void ingest(InputKind kind, byte[] body, boolean ndjson, Response response, Callback callback) {
        List<InputRecordParser.Result> results = new ArrayList<>();
        if (ndjson) {
            for (String line : new String(body, StandardCharsets.UTF_8).split("\r?\n")) {
                if (!line.isBlank()) {
                    results.add(InputRecordParser.parseJson(line, kind));
                }
            }
        } else {
            JsonNode root;
            try {
                root = Json.MAPPER.readTree(body);
            } catch (JsonProcessingException e) {
                metrics.rejected(kind, 1);
                answer(response, callback, HttpStatus.BAD_REQUEST_400, error("invalid JSON: " + Json.reason(e)));
                return;
            } catch (IOException e) {
                answer(response, callback, HttpStatus.BAD_REQUEST_400, error("cannot read the body: " + e.getMessage()));
                return;
            }
            if (root == null || root.isMissingNode()) {
                answer(response, callback, HttpStatus.BAD_REQUEST_400, error("empty body: send a JSON object or an array of objects"));
                return;
            }
            if (root.isArray()) {
                if (root.size() > maxItems) {
                    answer(response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413,
                            error("too many records: " + root.size() + " (at most " + maxItems + " per request)"));
                    return;
                }
                root.forEach(item -> results.add(InputRecordParser.parse(item, kind)));
            } else {
                results.add(InputRecordParser.parse(root, kind));
            }
        }
        if (results.isEmpty()) {
            answer(response, callback, HttpStatus.BAD_REQUEST_400, error("no records in the request"));
            return;
        }
        if (results.size() > maxItems) {
            answer(response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413,
                    error("too many records: " + results.size() + " (at most " + maxItems + " per request)"));
            return;
        }
        List<ItemError> errors = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            if (!results.get(i).isValid()) {
                errors.add(new ItemError(i, results.get(i).error()));
            }
        }
        if (!errors.isEmpty()) {
            metrics.rejected(kind, errors.size());
            answer(response, callback, HttpStatus.BAD_REQUEST_400, new ApiResponse("error",
                    errors.size() + " of " + results.size() + " " + kind + " rejected; none was ingested",
                    new Rejected(0, errors.size(), errors)));
            return;
        }
        List<CompletableFuture<RecordMetadata>> acks = new ArrayList<>(results.size());
        for (InputRecordParser.Result result : results) {
            acks.add(producer.send(result.record()));
        }
        int count = results.size();
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
                .orTimeout(ackTimeoutMillis, TimeUnit.MILLISECONDS)
                .whenComplete((done, failure) -> {
                    if (failure == null) {
                        metrics.accepted(kind, count);
                        answer(response, callback, HttpStatus.ACCEPTED_202, new ApiResponse("success",
                                count + (count == 1 ? " record" : " records") + " accepted", new Accepted(count, kind.label(), kind.topic(producer.topics()).name())));
                    } else {
                        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                                ? failure.getCause() : failure;
                        log.warn("HTTP ingest of {} {} failed: {}", count, kind, cause.toString());
                        answer(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, error("Kafka did not acknowledge the batch ("
                                + (cause instanceof java.util.concurrent.TimeoutException ? "timed out after " + ackTimeoutMillis + " ms" : cause.getMessage())
                                + "); part of it may have been written; retry the whole batch"));
                    }
                });
    }

    private boolean authorized(Request request) {
        String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(token, header.substring(7).trim().getBytes(StandardCharsets.UTF_8));
    }

    private static boolean isNdjson(Request request) {
        return "application/x-ndjson".equals(HttpHardening.mediaType(request));
    }

    private static boolean isJson(Request request) {
        return "application/json".equals(HttpHardening.mediaType(request));
    }

    private ApiResponse tooLarge() {
        return error("request body over the limit of " + maxBodyBytes + " bytes");
    }

    private static ApiResponse error(String message) {
        return new ApiResponse("error", message, null);
    }

    /** Answers before the body is read ({@link HttpHardening#closeIfBodyUnread}). */
    private boolean refuseUnread(Request request, Response response, Callback callback, int status, ApiResponse body) {
        HttpHardening.closeIfBodyUnread(request, response);
        return answer(response, callback, status, body);
    }

    private boolean answer(Response response, Callback callback, int status, ApiResponse body) {
        metrics.answered(status);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        Content.Sink.write(response, true, Json.write(body), callback);
        return true;
    }
}
