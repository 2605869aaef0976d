package io.etrms.bench;

import io.etrms.kafka.embedded.EmbeddedKafkaBroker;
import java.nio.file.Path;

/**
 * A bare embedded broker in its own JVM: the memory benchmark's baseline (the floor under the
 * local default, which embeds the same broker). Argument: log dir. Prints {@code READY <port>};
 * exits when its stdin closes.
 */
public final class BrokerProcess {

    private BrokerProcess() {
    }

    public static void main(String[] args) throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startOnFreePorts(Path.of(args[0]))) {
            System.out.println("READY " + broker.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // runs until the benchmark closes our stdin
            }
        }
        System.exit(0);
    }
}
