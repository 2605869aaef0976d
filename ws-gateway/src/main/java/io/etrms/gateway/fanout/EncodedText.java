package io.etrms.gateway.fanout;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One outbound text message, encoded to UTF-8 once and shared by every connection it goes to.
 * The bytes live in one read-only direct buffer: each send writes from its own
 * {@link #payload() view} of it, so the fan-out neither re-encodes the text per connection nor
 * has the JDK copy a heap buffer into a direct one per write.
 */
public final class EncodedText {

    private final String text;
    private volatile ByteBuffer bytes;

    private EncodedText(String text) {
        this.text = text;
    }

    public static EncodedText of(String text) {
        return new EncodedText(text);
    }

    public String text() {
        return text;
    }

    /**
     * A fresh view of the UTF-8 bytes (its own position and limit, sharing the content). Encodes
     * on first use only: records that are never sent (the compacted catch-up at start) cost no
     * buffer. Two threads racing the first use both encode, and either result is the same.
     */
    public ByteBuffer payload() {
        ByteBuffer encoded = bytes;
        if (encoded == null) {
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            ByteBuffer direct = ByteBuffer.allocateDirect(utf8.length);
            direct.put(utf8).flip();
            encoded = direct.asReadOnlyBuffer();
            bytes = encoded;
        }
        return encoded.duplicate();
    }

    @Override
    public String toString() {
        return text;
    }
}
