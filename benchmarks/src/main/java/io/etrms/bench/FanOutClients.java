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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Thousands of WebSocket clients in this JVM that cost as little as a client can, so that on a
 * 2-core machine the servers under test, not the clients, are what is measured: plain non-blocking
 * sockets on {@code threads} selector threads, the RFC 6455 handshake and frame header parsed by
 * hand, payloads neither copied nor decoded. Client i subscribes to {@code risk-metrics} when i is
 * even and to {@code alerts} when odd, for one account. Each text message is counted and its
 * delivery latency recorded: receive time − the {@code bench_sent_us} the publisher wrote as the
 * first field of the message (both this JVM's wall clock in µs), read from the first bytes of the
 * payload. The server's pings are answered; a close frame is recorded with its code.
 */
public final class FanOutClients implements AutoCloseable {

    public static final String SENT_FIELD = "bench_sent_us";
    static final byte[] SENT_PREFIX = ("{\"" + SENT_FIELD + "\":").getBytes(StandardCharsets.US_ASCII);
    private static final long MAX_LATENCY_US = TimeUnit.MINUTES.toMicros(5);

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
        for (IoThread t : threads) {
            t.messages.reset();
            t.latency.reset();
        }
    }

    /** Text messages received since {@link #resetWindow}. */
    public long messages() {
        long sum = 0;
        for (IoThread t : threads) {
            sum += t.messages.sum();
        }
        return sum;
    }

    /** The latency histogram (µs) since {@link #resetWindow} (or the previous call). */
    public Histogram latencySinceReset() {
        Histogram all = new Histogram(MAX_LATENCY_US, 3);
        for (IoThread t : threads) {
            all.add(t.latency.getIntervalHistogram());
        }
        return all;
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

    /** One client socket and where its parser stands. Touched by its I/O thread only, but for {@link #state}. */
    private final class Client {
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
        /** Frame header bytes wanted / collected. */
        final byte[] header = new byte[14];
        int headerLength;
        int headerWanted = 2;
        long payloadLeft = -1;
        int opcode;
        boolean fin;
        /** The first bytes of the payload (the stamp, a ping's data, a close code). */
        final byte[] start = new byte[128];
        int startLength;

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
    }

    /** One selector thread serving its share of the clients. */
    private final class IoThread extends Thread {
        final Selector selector;
        final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
        final ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
        final LongAdder messages = new LongAdder();
        final Recorder latency = new Recorder(MAX_LATENCY_US, 3);
        final AtomicInteger open = new AtomicInteger();
        volatile boolean running = true;

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
                    selector.select(100);
                    for (Runnable task; (task = tasks.poll()) != null; ) {
                        task.run();
                    }
                    for (SelectionKey key : selector.selectedKeys()) {
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
                    selector.selectedKeys().clear();
                }
                selector.close();
            } catch (IOException e) {
                throw new IllegalStateException(e);
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
                buffer.flip();
                if (c.state == Client.HANDSHAKE) {
                    readHead(c);
                }
                if (c.state == Client.OPEN) {
                    parse(c);
                }
                if (n < buffer.capacity()) {
                    return;
                }
            }
        }

        private void readHead(Client c) {
            while (buffer.hasRemaining()) {
                char ch = (char) buffer.get();
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
                    return;
                }
            }
        }

        /** Walks the frames in {@link #buffer}: headers byte by byte, payloads skipped but for their first bytes. */
        private void parse(Client c) throws IOException {
            while (buffer.hasRemaining()) {
                if (c.payloadLeft < 0) {
                    c.header[c.headerLength++] = buffer.get();
                    if (c.headerLength == 2) {
                        int len7 = c.header[1] & 0x7F;
                        c.headerWanted = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + ((c.header[1] & 0x80) != 0 ? 4 : 0);
                    }
                    if (c.headerLength == c.headerWanted) {
                        startPayload(c);
                        if (c.payloadLeft == 0) {
                            endFrame(c);
                        }
                    }
                    continue;
                }
                int take = (int) Math.min(c.payloadLeft, buffer.remaining());
                int copy = Math.min(take, c.start.length - c.startLength);
                if (copy > 0) {
                    buffer.get(c.start, c.startLength, copy);
                    c.startLength += copy;
                    take -= copy;
                    c.payloadLeft -= copy;
                }
                buffer.position(buffer.position() + take);
                c.payloadLeft -= take;
                if (c.payloadLeft == 0) {
                    endFrame(c);
                }
            }
        }

        private void startPayload(Client c) {
            c.fin = (c.header[0] & 0x80) != 0;
            int op = c.header[0] & 0x0F;
            if (op != 0) {
                c.opcode = op;
                c.startLength = 0;
            }
            int len7 = c.header[1] & 0x7F;
            long length = len7;
            if (len7 == 126) {
                length = ((c.header[2] & 0xFF) << 8) | (c.header[3] & 0xFF);
            } else if (len7 == 127) {
                length = 0;
                for (int i = 2; i < 10; i++) {
                    length = (length << 8) | (c.header[i] & 0xFF);
                }
            }
            c.payloadLeft = length;
        }

        private void endFrame(Client c) throws IOException {
            c.payloadLeft = -1;
            c.headerLength = 0;
            c.headerWanted = 2;
            if (!c.fin) {
                return;
            }
            switch (c.opcode) {
                case 1 -> {
                    messages.increment();
                    long sent = sentMicros(c.start, c.startLength);
                    if (sent < 0) {
                        unstamped.incrementAndGet();
                    } else {
                        latency.recordValue(Math.max(0, Math.min(nowMicros() - sent, MAX_LATENCY_US)));
                    }
                }
                case 9 -> pong(c);
                case 8 -> {
                    int code = c.startLength >= 2 ? ((c.start[0] & 0xFF) << 8) | (c.start[1] & 0xFF) : 1005;
                    if (code != 1000) {
                        closesByCode.computeIfAbsent(code, k -> new LongAdder()).increment();
                    }
                    closeChannel(c);
                }
                default -> {
                    // pong or binary: nothing to do
                }
            }
            c.startLength = 0;
        }

        /** Answers a ping with a pong carrying its data, masked with a zero key as a client must mask. */
        private void pong(Client c) throws IOException {
            int length = Math.min(c.startLength, 125);
            ByteBuffer frame = ByteBuffer.allocate(6 + length);
            frame.put((byte) 0x8A).put((byte) (0x80 | length)).putInt(0).put(c.start, 0, length).flip();
            c.channel.write(frame);
        }

        private void fail(Client c) {
            if (c.state < Client.OPEN) {
                c.handshakeDone(false);
            }
            closeChannel(c);
        }

        private void closeChannel(Client c) {
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
