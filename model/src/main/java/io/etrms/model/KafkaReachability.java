package io.etrms.model;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * A quick answer to "is Kafka there?" for the command lines, before they start work: without it a
 * client that cannot connect retries for a minute, logging a warning per attempt. First a plain
 * TCP connect to the bootstrap addresses (no Kafka client, so no log noise), retried until the
 * deadline; then one {@code describeCluster} within what is left of it, which also catches a
 * listener that accepts TCP but does not speak Kafka as configured (TLS, SASL).
 */
public final class KafkaReachability {

    /** How long a command line waits for Kafka before it gives up. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private static final Duration CONNECT_ATTEMPT = Duration.ofSeconds(1);
    private static final Duration RETRY_PAUSE = Duration.ofMillis(200);

    private KafkaReachability() {
    }

    /**
     * Returns once Kafka at {@code config}'s {@code bootstrap.servers} answered.
     *
     * @throws IllegalStateException "cannot reach Kafka at HOST:PORT ..." when it did not within {@code timeout}
     */
    public static void require(EtrmsConfig config, Duration timeout) {
        String bootstrap = config.bootstrapServers();
        long deadline = System.nanoTime() + timeout.toNanos();
        List<InetSocketAddress> addresses = addresses(bootstrap);
        while (!anyAccepts(addresses)) {
            if (System.nanoTime() + RETRY_PAUSE.toNanos() >= deadline) {
                throw new IllegalStateException("cannot reach Kafka at " + bootstrap + ": no connection within "
                        + timeout.toSeconds() + " s (is the broker running? --bootstrap-servers / KAFKA_BOOTSTRAP_SERVERS)");
            }
            pause();
        }
        Map<String, Object> admin = new HashMap<>(config.kafka());
        admin.keySet().retainAll(AdminClientConfig.configNames());
        long leftMs = Math.max(1000, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        admin.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) leftMs);
        admin.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) leftMs);
        try (Admin client = Admin.create(admin)) {
            client.describeCluster(new DescribeClusterOptions().timeoutMs((int) leftMs)).clusterId().get(leftMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot reach Kafka at " + bootstrap + ": it accepts connections but gave no answer within "
                    + timeout.toSeconds() + " s (security.protocol, TLS or SASL settings?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting to Kafka at " + bootstrap, e);
        }
    }

    static List<InetSocketAddress> addresses(String bootstrap) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String entry : bootstrap.split(",")) {
            String hostPort = entry.trim();
            int colon = hostPort.lastIndexOf(':');
            if (hostPort.isEmpty() || colon <= 0 || colon == hostPort.length() - 1) {
                throw new IllegalArgumentException("bootstrap.servers must be HOST:PORT[,HOST:PORT...], was '" + bootstrap + "'");
            }
            String host = hostPort.substring(0, colon).replace("[", "").replace("]", "");
            int port;
            try {
                port = Integer.parseInt(hostPort.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bootstrap.servers must be HOST:PORT[,HOST:PORT...], was '" + bootstrap + "'", e);
            }
            out.add(InetSocketAddress.createUnresolved(host, port));
        }
        return out;
    }

    private static boolean anyAccepts(List<InetSocketAddress> addresses) {
        for (InetSocketAddress address : addresses) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address.getHostString(), address.getPort()), (int) CONNECT_ATTEMPT.toMillis());
                return true;
            } catch (IOException e) {
                // refused, unresolvable or timed out: try the next address
            }
        }
        return false;
    }

    private static void pause() {
        try {
            Thread.sleep(RETRY_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting to Kafka", e);
        }
    }
}
