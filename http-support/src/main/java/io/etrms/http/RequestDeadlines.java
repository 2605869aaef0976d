package io.etrms.http;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.AbstractLifeCycle;

/**
 * The two read deadlines Jetty has no setting for. Its idle timeout starts again with every byte,
 * so a client that sends one byte every few seconds holds a connection (and, for a blocking
 * read, a thread) for ever. Here, on one timer thread that looks at every open HTTP connection
 * each {@link #TICK}:
 * <ul>
 *   <li><b>header deadline</b>: a connection with no request in progress (just opened, or its
 *       previous response sent) that has not delivered a whole request head within
 *       {@code headerTimeout} is closed; this also ends idle keep-alive connections;</li>
 *   <li><b>body deadline</b>: a request with a body that has not read all of it within
 *       {@code bodyTimeout} of its start has its connection closed.</li>
 * </ul>
 * A connection upgraded to a WebSocket leaves the watch (its own liveness rules apply). The
 * {@link #handler(Handler) handler} must be the outermost one, so it sees every request.
 */
final class RequestDeadlines extends AbstractLifeCycle implements Connection.Listener {

    static final Duration TICK = Duration.ofMillis(250);

    /** One watched HTTP connection. */
    private static final class Watch {
        final Connection connection;
        final AtomicInteger active = new AtomicInteger();
        volatile long quietSinceNanos = System.nanoTime();
        /** Start of the request whose body is still being read, or 0. */
        volatile long bodySinceNanos;

        Watch(Connection connection) {
            this.connection = connection;
        }
    }

    private final long headerNanos;
    private final long bodyNanos;
    private final ConcurrentHashMap<Connection, Watch> watches = new ConcurrentHashMap<>();
    private final AtomicLong headerCloses = new AtomicLong();
    private final AtomicLong bodyCloses = new AtomicLong();
    private ScheduledExecutorService timer;

    RequestDeadlines(Duration headerTimeout, Duration bodyTimeout) {
        this.headerNanos = headerTimeout.toNanos();
        this.bodyNanos = bodyTimeout.toNanos();
    }

    @Override
    protected void doStart() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "etrms-http-deadlines");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::check, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        timer.shutdownNow();
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof ConnectionMetaData) {
            watches.put(connection, new Watch(connection));
        }
    }

    @Override
    public void onClosed(Connection connection) {
        watches.remove(connection);
    }

    /** Connections closed for a late request head / a late body since start. */
    long headerCloses() {
        return headerCloses.get();
    }

    long bodyCloses() {
        return bodyCloses.get();
    }

    private void check() {
        long now = System.nanoTime();
        for (Watch w : watches.values()) {
            if (w.active.get() > 0) {
                long body = w.bodySinceNanos;
                if (body != 0 && now - body > bodyNanos) {
                    bodyCloses.incrementAndGet();
                    w.connection.getEndPoint().close();
                }
            } else if (now - w.quietSinceNanos > headerNanos) {
                headerCloses.incrementAndGet();
                w.connection.getEndPoint().close();
            }
        }
    }

    /** The handler that tells the watch when each request starts, has read its body, and ends. */
    Handler handler(Handler next) {
        return new Handler.Wrapper(next) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                Watch w = watches.get(request.getConnectionMetaData().getConnection());
                if (w == null) {
                    return super.handle(request, response, callback);
                }
                w.active.incrementAndGet();
                boolean body = request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
                w.bodySinceNanos = body ? System.nanoTime() : 0;
                AtomicBoolean ended = new AtomicBoolean();
                Runnable end = () -> {
                    if (ended.compareAndSet(false, true)) {
                        w.bodySinceNanos = 0;
                        w.quietSinceNanos = System.nanoTime();
                        w.active.decrementAndGet();
                    }
                };
                // Before the nested callback: once it completes, the connection may parse its next request.
                Callback done = new Callback.Nested(callback) {
                    @Override
                    public void succeeded() {
                        end.run();
                        super.succeeded();
                    }

                    @Override
                    public void failed(Throwable x) {
                        end.run();
                        super.failed(x);
                    }
                };
                Request watched = !body ? request : new Request.Wrapper(request) {
                    @Override
                    public Content.Chunk read() {
                        Content.Chunk chunk = super.read();
                        if (chunk != null && chunk.isLast()) {
                            w.bodySinceNanos = 0;
                        }
                        return chunk;
                    }
                };
                boolean handled;
                try {
                    handled = super.handle(watched, response, done);
                } catch (Throwable t) {
                    end.run();
                    throw t;
                }
                if (!handled) {
                    end.run();
                }
                return handled;
            }
        };
    }
}
