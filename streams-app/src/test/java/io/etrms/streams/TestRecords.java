package io.etrms.streams;

import io.etrms.model.Json;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Raw JSON inputs for topology tests, written as a producer would. */
public final class TestRecords {

    /** 2026-11-24T00:00:00Z, a fixed event-time origin. */
    public static final long T0 = 1_763_942_400_000L;

    private TestRecords() {
    }

    public static byte[] fill(String id, String account, String exchange, String symbol, String side, String qty, String price, String fee, long ts) {
        return json(Map.of("fill_id", id, "account", account, "exchange", exchange, "symbol", symbol, "side", side,
                "quantity", new java.math.BigDecimal(qty), "price", new java.math.BigDecimal(price), "fee", new java.math.BigDecimal(fee), "timestamp", ts));
    }

    public static byte[] tick(String exchange, String symbol, String price, long ts) {
        return json(Map.of("exchange", exchange, "symbol", symbol, "price", new java.math.BigDecimal(price), "timestamp", ts));
    }

    public static byte[] transfer(String id, String account, String exchange, String amount, long ts) {
        return json(Map.of("transfer_id", id, "account", account, "exchange", exchange, "amount", new java.math.BigDecimal(amount), "timestamp", ts));
    }

    /**
     * An application id of its own for a test driver: its state directory is named after it, so
     * that two builds on one machine running the same test never share (and lock) one.
     */
    public static String uniqueId(String name) {
        return name + "-" + java.util.UUID.randomUUID();
    }

    public static byte[] json(Object value) {
        return Json.write(value).getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] text(String raw) {
        return raw.getBytes(StandardCharsets.UTF_8);
    }
}
