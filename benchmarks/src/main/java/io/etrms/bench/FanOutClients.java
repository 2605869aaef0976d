package io.etrms.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;
import org.HdrHistogram.Histogram;

/**
 * Thousands of WebSocket clients in this JVM that cost as little as a client can, so that on a
 * 2-core machine as much CPU as possible is left to the servers under test: plain non-blocking
 * sockets on {@code threads} selector threads, the RFC 6455 handshake and frame header parsed by
 * hand, payloads neither copied nor decoded. Client i subscribes to {@code risk-metrics} when i is
 * even and to {@code alerts} when odd, for one account. Each text message is counted and its
 * delivery latency recorded: receive time − the {@code bench_sent_us} the publisher wrote as the
 * first field of the message (both this JVM's wall clock in µs), read from the first bytes of the
 * payload. The server's pings are answered; a close frame is recorded with its code.
 *
 * <p>What a received message costs here, in the benchmark JVM on the servers' cores: the kernel's
 * share (the epoll event, the {@code read}, the ACK it sends) and, in Java, a selector callback (no
 * selected-key set), one clock read per socket read, a frame header walked in place in the read
 * buffer, and a count and a histogram entry that belong to the I/O thread (no atomic update;
 * the measuring thread reads and resets them through a task on that thread).
 */
public final class FanOutClients implements AutoCloseable {

    public static final String SENT_FIELD = "bench_sent_us";
    static final byte[] SENT_PREFIX = ("{\"" + SENT_FIELD + "\":").getBytes(StandardCharsets.US_ASCII);
    private static final long MAX_LATENCY_US = TimeUnit.MINUTES.toMicros(5);
    private static final Duration TASK_TIMEOUT = Duration.ofSeconds(10);

    private final IoThread[] threads;
    private final List<Client> clients = new ArrayList<>();
    private final ConcurrentHashMap<Integer, LongAdder> closesByCode = new ConcurrentHashMap<>();
    private final AtomicLong connectFailures = new AtomicLong();
    private final AtomicLong unstamped = new AtomicLong();
    private int riskMetricsClients;
    private int alertClients;

    public FanOutClients(int threadCount) throws IOException {
        threads = new IoThread[threadCount];
        for (int i = 0; i < threadCount; i++) {
            threads[i] = new IoThread(i);
            threads[i].start();
        }
    }

    public int size() {
        return clients.size();
    }

    public int riskMetricsClients() {
        return riskMetricsClients;
    }

    public int alertClients() {
        return alertClients;
    }

    /**
     * Opens clients until there are {@code total}, at most {@code inFlight} handshakes at a time,
     * on {@code ws://127.0.0.1:port/api/v1/ws/<channel>?account=<account>}.
     *
     * @return seconds it took
     */
    public double connectUpTo(int total, int port, String account, int inFlight, Duration timeout) throws Exception {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        Semaphore permits = new Semaphore(inFlight);
        List<Client> opened = new ArrayList<>();
        for (int i = clients.size(); i < total; i++) {
            String channel = i % 2 == 0 ? "risk-metrics" : "alerts";
            if (i % 2 == 0) {
                riskMetricsClients++;
            } else {
                alertClients++;
            }
            if (!permits.tryAcquire(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException("connecting clients stalled at " + i);
            }
            Client client = new Client(threads[i % threads.length], handshake(port, channel, account), permits);
            client.io.register(client, port);
            opened.add(client);
        }
        if (!permits.tryAcquire(inFlight, Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            throw new IllegalStateException("handshakes did not finish in " + timeout);
        }
        for (Client c : opened) {
            if (c.state == Client.OPEN) {
                clients.add(c);
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static byte[] handshake(int port, String channel, String account) {
        return ("GET /api/v1/ws/" + channel + "?account=" + account + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    public long connectFailures() {
        return connectFailures.get();
    }

    /** Starts a measurement window: counters and the latency histogram start from zero. */
    public void resetWindow() {
        onEachThread(t -> {
            t.messages.lazySet(0);
            t.latency.reset();
            return null;
        });
    }

    /** Text messages received since {@link #resetWindow}. */
    public long messages() {
        long sum = 0;
        for (IoThread t : threads) {
            sum += t.messages.get();
        }
        return sum;
    }

    /** The latency histogram (µs) since {@link #resetWindow} (or the previous call). */
    public Histogram latencySinceReset() {
        Histogram all = new Histogram(MAX_LATENCY_US, 3);
        for (Histogram h : onEachThread(t -> {
            Histogram copy = t.latency.copy();
            t.latency.reset();
            return copy;
        })) {
            all.add(h);
        }
        return all;
    }

    /** Runs {@code task} on each I/O thread, between two selects, and waits for the results. */
    private <T> List<T> onEachThread(Function<IoThread, T> task) {
        List<CompletableFuture<T>> futures = new ArrayList<>();
        for (IoThread t : threads) {
            CompletableFuture<T> f = new CompletableFuture<>();
            t.tasks.add(() -> f.complete(task.apply(t)));
            t.selector.wakeup();
            futures.add(f);
        }
        List<T> results = new ArrayList<>();
        for (CompletableFuture<T> f : futures) {
            try {
                results.add(f.get(TASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
            } catch (Exception e) {
                throw new IllegalStateException("a client I/O thread did not answer in " + TASK_TIMEOUT, e);
            }
        }
        return results;
    }

    /** CPU time the client threads used so far, ms (what the clients cost the machine). */
    public long cpuMillis() {
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        long nanos = 0;
        for (IoThread t : threads) {
            long cpu = bean.getThreadCpuTime(t.getId());
            nanos += Math.max(0, cpu);
        }
        return nanos / 1_000_000;
    }

    public long closedByServer() {
        return closesByCode.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public String closeCodes() {
        return closesByCode.isEmpty() ? "-" : closesByCode.toString();
    }

    public long openSessions() {
        return clients.stream().filter(c -> c.state == Client.OPEN).count();
    }

    /** Closes every client with a close frame (1000), then the socket. */
    public void closeAll() throws InterruptedException {
        for (Client c : clients) {
            c.io.closeLater(c);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline && clients.stream().anyMatch(c -> c.state != Client.CLOSED)) {
            Thread.sleep(20);
        }
        clients.clear();
        riskMetricsClients = 0;
        alertClients = 0;
        closesByCode.clear();
        connectFailures.set(0);
    }

    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    /** The {@code bench_sent_us} value a message starts with, -1 if it does not. */
    static long sentMicros(byte[] start, int length) {
        if (length <= SENT_PREFIX.length) {
            return -1;
        }
        for (int i = 0; i < SENT_PREFIX.length; i++) {
            if (start[i] != SENT_PREFIX[i]) {
                return -1;
            }
        }
        long v = 0;
        int i = SENT_PREFIX.length;
        for (; i < length && start[i] >= '0' && start[i] <= '9'; i++) {
            v = v * 10 + (start[i] - '0');
        }
        return i == SENT_PREFIX.length ? -1 : v;
    }

    /** The {@code bench_sent_us} value a message text starts with, -1 if it does not. */
    static long sentMicros(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return sentMicros(bytes, bytes.length);
    }

    @Override
    public void close() throws Exception {
        closeAll();
        for (IoThread t : threads) {
            t.shutdown();
        }
    }

    /**
     * The frames a server sends on one connection, read from the byte stream however it is split
     * (RFC 6455: no masking from a server, control frames at most 125 bytes and possibly between the
     * fragments of a message): headers are collected, payloads skipped but for their first bytes, the
     * first {@link #STAMP_BYTES} of a message (its stamp) and a control frame's whole payload. Each
     * complete text message, ping and close is handed to {@link #text}, {@link #ping}, {@link #close}.
     */
    abstract static class FrameReader {
        /** Enough of a message for {@code {"bench_sent_us":} and a long. */
        static final int STAMP_BYTES = SENT_PREFIX.length + 20;
        private static final int CONTROL_BYTES = 125;

        private final byte[] header = new byte[14];
        private int headerLength;
        private int headerWanted = 2;
        /** Payload bytes of the current frame still to come; -1 while reading a header. */
        private long payloadLeft = -1;
        private boolean fin;
        private boolean control;
        private int controlOpcode;
        private int messageOpcode;
        private final byte[] message = new byte[STAMP_BYTES];
        private int messageLength;
        private final byte[] controlData = new byte[CONTROL_BYTES];
        private int controlLength;

        /** A text message has ended; {@code start} holds its first {@code length} bytes (at most {@link #STAMP_BYTES}). */
        abstract void text(byte[] start, int length) throws IOException;

        /** A ping with {@code length} bytes of data. */
        abstract void ping(byte[] data, int length) throws IOException;

        /** A close frame with its status code (1005 when it has none). */
        abstract void close(int code) throws IOException;

        /** Reads the bytes of {@code buffer} from index {@code from} to {@code to} (absolute; its position is left alone). */
        final void read(ByteBuffer buffer, int from, int to) throws IOException {
            int i = from;
            while (i < to) {
                if (payloadLeft < 0) {
                    while (headerLength < headerWanted && i < to) {
                        header[headerLength++] = buffer.get(i++);
                        if (headerLength == 2) {
                            int len7 = header[1] & 0x7F;
                            headerWanted = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + ((header[1] & 0x80) != 0 ? 4 : 0);
                        }
                    }
                    if (headerLength == headerWanted) {
                        startPayload();
                        if (payloadLeft == 0) {
                            endFrame();
                        }
                    }
                    continue;
                }
                int take = (int) Math.min(payloadLeft, to - i);
                if (control) {
                    int copy = Math.min(take, CONTROL_BYTES - controlLength);
                    buffer.get(i, controlData, controlLength, copy);
                    controlLength += copy;
                } else {
                    int copy = Math.min(take, STAMP_BYTES - messageLength);
                    if (copy > 0) {
                        buffer.get(i, message, messageLength, copy);
                        messageLength += copy;
                    }
                }
                i += take;
                payloadLeft -= take;
                if (payloadLeft == 0) {
                    endFrame();
                }
            }
        }

        private void startPayload() {
            fin = (header[0] & 0x80) != 0;
            int op = header[0] & 0x0F;
            control = op >= 8;
            if (control) {
                controlOpcode = op;
                controlLength = 0;
            } else if (op != 0) {
                messageOpcode = op;
                messageLength = 0;
            }
            int len7 = header[1] & 0x7F;
            long length = len7;
            if (len7 == 126) {
                length = ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
            } else if (len7 == 127) {
                length = 0;
                for (int k = 2; k < 10; k++) {
                    length = (length << 8) | (header[k] & 0xFF);
                }
            }
            payloadLeft = length;
        }

        private void endFrame() throws IOException {
            payloadLeft = -1;
            headerLength = 0;
            headerWanted = 2;
            if (control) {
                switch (controlOpcode) {
                    case 9 -> ping(controlData, controlLength);
                    case 8 -> close(controlLength >= 2 ? ((controlData[0] & 0xFF) << 8) | (controlData[1] & 0xFF) : 1005);
                    default -> {
                        // pong: nothing to do
                    }
                }
            } else if (fin) {
                if (messageOpcode == 1) {
                    text(message, messageLength);
                }
                messageLength = 0;
            }
        }
    }

    /** One client socket and where its parser stands. Touched by its I/O thread only, but for {@link #state}. */
    private final class Client extends FrameReader {
        static final int CONNECTING = 0;
        static final int HANDSHAKE = 1;
        static final int OPEN = 2;
        static final int CLOSED = 3;

        final IoThread io;
        final ByteBuffer request;
        final Semaphore permits;
        volatile int state = CONNECTING;
        SocketChannel channel;
        SelectionKey key;
        /** The response head so far (CR LF CR LF ends it). */
        int headMatch;
        StringBuilder head = new StringBuilder();

        Client(IoThread io, byte[] request, Semaphore permits) {
            this.io = io;
            this.request = ByteBuffer.wrap(request);
            this.permits = permits;
        }

        void handshakeDone(boolean ok) {
            state = ok ? OPEN : CLOSED;
            head = null;
            if (!ok) {
                connectFailures.incrementAndGet();
            }
            permits.release();
        }

        @Override
        void text(byte[] start, int length) {
            io.received(start, length);
        }

        @Override
        void ping(byte[] data, int length) throws IOException {
            io.pong(this, data, length);
        }

        @Override
        void close(int code) {
            if (code != 1000) {
                closesByCode.computeIfAbsent(code, k -> new LongAdder()).increment();
            }
            io.closeChannel(this);
        }
    }

    /** One selector thread serving its share of the clients. */
    private final class IoThread extends Thread {
        final Selector selector;
        final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
        final ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
        final ByteBuffer pongFrame = ByteBuffer.allocateDirect(6 + 125);
        final Consumer<SelectionKey> onReady = this::ready;
        /** Text messages received; written by this thread only (lazySet), read by the measuring thread. */
        final AtomicLong messages = new AtomicLong();
        /** Delivery latencies (µs); this thread's only, copied and reset through {@link #tasks}. */
        final Histogram latency = new Histogram(MAX_LATENCY_US, 3);
        final AtomicInteger open = new AtomicInteger();
        volatile boolean running = true;
        /** Messages completed since the last select, added to {@link #messages} after it. */
        long received;
        /** The wall clock (µs) of the current socket read, read when its first message completes; -1 before. */
        long readMicros = -1;

        IoThread(int index) throws IOException {
            super("bench-ws-clients-" + index);
            setDaemon(true);
            selector = Selector.open();
        }

        void register(Client c, int port) {
            tasks.add(() -> {
                try {
                    c.channel = SocketChannel.open();
                    c.channel.configureBlocking(false);
                    c.channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    c.key = c.channel.register(selector, SelectionKey.OP_CONNECT, c);
                    if (c.channel.connect(new InetSocketAddress("127.0.0.1", port))) {
                        connected(c);
                    }
                } catch (IOException e) {
                    fail(c);
                }
            });
            selector.wakeup();
        }

        void closeLater(Client c) {
            tasks.add(() -> {
                if (c.state == Client.OPEN) {
                    try {
                        c.channel.write(ByteBuffer.wrap(new byte[] {(byte) 0x88, (byte) 0x82, 0, 0, 0, 0, 0x03, (byte) 0xE8}));
                    } catch (IOException e) {
                        // closing anyway
                    }
                }
                closeChannel(c);
            });
            selector.wakeup();
        }

        void shutdown() throws InterruptedException {
            running = false;
            selector.wakeup();
            join(5_000);
        }

        @Override
        public void run() {
            try {
                while (running) {
                    selector.select(onReady, 100);
                    if (received > 0) {
                        messages.lazySet(messages.get() + received);
                        received = 0;
                    }
                    for (Runnable task; (task = tasks.poll()) != null; ) {
                        task.run();
                    }
                }
                selector.close();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        private void ready(SelectionKey key) {
            Client c = (Client) key.attachment();
            try {
                if (key.isValid() && key.isConnectable()) {
                    if (c.channel.finishConnect()) {
                        connected(c);
                    }
                } else if (key.isValid() && key.isWritable()) {
                    writeRequest(c);
                } else if (key.isValid() && key.isReadable()) {
                    read(c);
                }
            } catch (IOException | RuntimeException e) {
                fail(c);
            }
        }

        private void connected(Client c) throws IOException {
            c.state = Client.HANDSHAKE;
            c.key.interestOps(SelectionKey.OP_WRITE);
            writeRequest(c);
        }

        private void writeRequest(Client c) throws IOException {
            c.channel.write(c.request);
            if (!c.request.hasRemaining()) {
                c.key.interestOps(SelectionKey.OP_READ);
            }
        }

        private void read(Client c) throws IOException {
            for (;;) {
                buffer.clear();
                int n = c.channel.read(buffer);
                if (n < 0) {
                    closeChannel(c);
                    return;
                }
                if (n == 0) {
                    return;
                }
                readMicros = -1;
                int from = 0;
                if (c.state == Client.HANDSHAKE) {
                    from = readHead(c, n);
                }
                if (c.state == Client.OPEN) {
                    c.read(buffer, from, n);
                }
                if (n < buffer.capacity()) {
                    return;
                }
            }
        }

        /** @return the index in {@link #buffer} after the response head, or {@code n} if it goes on */
        private int readHead(Client c, int n) {
            for (int i = 0; i < n; i++) {
                char ch = (char) buffer.get(i);
                c.head.append(ch);
                c.headMatch = (ch == '\r' && (c.headMatch == 0 || c.headMatch == 2)) || (ch == '\n' && (c.headMatch == 1 || c.headMatch == 3))
                        ? c.headMatch + 1 : (ch == '\r' ? 1 : 0);
                if (c.headMatch == 4) {
                    boolean ok = c.head.toString().startsWith("HTTP/1.1 101");
                    if (ok) {
                        open.incrementAndGet();
                    }
                    c.handshakeDone(ok);
                    if (!ok) {
                        closeChannel(c);
                    }
                    return i + 1;
                }
            }
            return n;
        }

        /** Counts a text message and records its latency against the clock of the read it came in. */
        void received(byte[] start, int length) {
            received++;
            long sent = sentMicros(start, length);
            if (sent < 0) {
                unstamped.incrementAndGet();
                return;
            }
            if (readMicros < 0) {
                readMicros = nowMicros();
            }
            latency.recordValue(Math.max(0, Math.min(readMicros - sent, MAX_LATENCY_US)));
        }

        /** Answers a ping with a pong carrying its data, masked with a zero key as a client must mask. */
        void pong(Client c, byte[] data, int length) throws IOException {
            pongFrame.clear();
            pongFrame.put((byte) 0x8A).put((byte) (0x80 | length)).putInt(0).put(data, 0, length).flip();
            c.channel.write(pongFrame);
        }

        private void fail(Client c) {
            if (c.state < Client.OPEN) {
                c.handshakeDone(false);
            }
            closeChannel(c);
        }

        void closeChannel(Client c) {
            if (c.state == Client.OPEN) {
                open.decrementAndGet();
            }
            c.state = Client.CLOSED;
            try {
                if (c.channel != null) {
                    c.channel.close();
                }
            } catch (IOException e) {
                // already gone
            }
        }
    }
}
