package io.etrms.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** An HTTP client on a bare socket that sends exactly the bytes it is told to, when told to: the slow or malformed client. */
final class RawHttp implements AutoCloseable {

    private final Socket socket;

    private RawHttp(Socket socket) {
        this.socket = socket;
    }

    /** Connects to 127.0.0.1:{@code port} from {@code from} (any 127.x.y.z address works on Linux loopback). */
    static RawHttp connect(String from, int port) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        return new RawHttp(socket);
    }

    RawHttp send(String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        return this;
    }

    /** Everything the server sends until it closes, or until {@code timeout} passes (then what came so far). */
    String readUntilClosed(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
            }
        } catch (SocketTimeoutException e) {
            return out.toString(StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            // reset by the server: it closed
        }
        closedSeen = true;
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private boolean closedSeen;

    /** Whether the last {@link #readUntilClosed} ended because the server closed the connection. */
    boolean closedByServer() {
        return closedSeen;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
