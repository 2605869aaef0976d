package io.etrms.gateway;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * A WebSocket client on a bare TCP socket with a tiny receive buffer that, after the handshake,
 * reads nothing until told to: the "client that never reads" of the slow-consumer rule.
 */
final class RawWebSocket implements AutoCloseable {

    /**
     * What {@link #drainUntilClose} saw: text and pong frames before the close, and the close
     * frame's code and reason (-1 and null: no close frame).
     */
    record Drained(int textFrames, int pongs, int closeCode, String closeReason) {
    }

    /** The server answered the upgrade with another status than 101. */
    static final class UpgradeRefused extends IOException {
        private static final long serialVersionUID = 1L;
        final String status;

        UpgradeRefused(String status) {
            super("upgrade refused: " + status);
            this.status = status;
        }
    }

    private final Socket socket;
    private final DataInputStream in;

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
    }

    static RawWebSocket connect(int port, String pathAndQuery) throws IOException {
        return connect("127.0.0.1", port, pathAndQuery);
    }

    /** Connects from {@code from} (any 127.x.y.z works on Linux loopback: a client of another address). */
    static RawWebSocket connect(String from, int port, String pathAndQuery) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.bind(new InetSocketAddress(from, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        String key = Base64.getEncoder().encodeToString("etrms-slow-reader".getBytes(StandardCharsets.US_ASCII)).substring(0, 22) + "==";
        String request = "GET /api/v1/ws/" + pathAndQuery + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        RawWebSocket ws = new RawWebSocket(socket);
        String status = ws.readHeaders();
        if (!status.startsWith("HTTP/1.1 101")) {
            socket.close();
            throw new UpgradeRefused(status);
        }
        return ws;
    }

    /** Reads the response head byte by byte, so no frame that follows is consumed. */
    private String readHeaders() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed during the handshake");
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String text = head.toString(StandardCharsets.US_ASCII);
        return text.substring(0, text.indexOf('\r'));
    }

    /** Now reads: every frame up to and including the server's close frame (or the end of the stream). */
    Drained drainUntilClose(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        int texts = 0;
        int pongs = 0;
        try {
            for (;;) {
                int b0 = in.readUnsignedByte();
                int b1 = in.readUnsignedByte();
                long length = b1 & 0x7F;
                if (length == 126) {
                    length = in.readUnsignedShort();
                } else if (length == 127) {
                    length = in.readLong();
                }
                byte[] payload = new byte[(int) length];
                in.readFully(payload);
                int opcode = b0 & 0x0F;
                if (opcode == 0x1) {
                    texts++;
                } else if (opcode == 0xA) {
                    pongs++;
                } else if (opcode == 0x8) {
                    int code = payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
                    String reason = payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
                    return new Drained(texts, pongs, code, reason);
                }
            }
        } catch (EOFException | SocketException | SocketTimeoutException e) {
            return new Drained(texts, pongs, -1, null);
        }
    }

    /**
     * Writes {@code count} empty pings in one write, as a flooding client would: they reach the
     * server together, so it reads them all before it answers any.
     */
    void sendPings(int count) throws IOException {
        byte[] frames = new byte[count * 6];
        for (int i = 0; i < count; i++) {
            frames[i * 6] = (byte) 0x89; // FIN, ping
            frames[i * 6 + 1] = (byte) 0x80; // masked (a client's frames are), no payload; the 4-byte mask key is 0
        }
        socket.getOutputStream().write(frames);
        socket.getOutputStream().flush();
    }

    InputStream input() {
        return in;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
