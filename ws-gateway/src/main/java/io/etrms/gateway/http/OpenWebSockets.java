package io.etrms.gateway.http;

import java.net.InetAddress;

/** The open WebSocket connections, as counted for the connection caps {@link RequestGuard} enforces at the upgrade. */
public interface OpenWebSockets {

    /** Open connections in all. */
    int size();

    /** Open connections from {@code address}. */
    int openFrom(InetAddress address);
}
