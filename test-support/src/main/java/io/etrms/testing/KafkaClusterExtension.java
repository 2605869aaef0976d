package io.etrms.testing;

import io.etrms.kafka.embedded.EmbeddedKafkaBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Gives tests a {@link KafkaCluster} parameter: one real broker for the whole test JVM, started on
 * first use and stopped when the JVM's tests end.
 *
 * <p>System property {@code etrms.test.kafka}:
 * <ul>
 *   <li>{@code auto} (default): Testcontainers' {@code apache/kafka} when a Docker engine answers,
 *       otherwise the in-process KRaft broker;</li>
 *   <li>{@code embedded}: always the in-process broker;</li>
 *   <li>{@code testcontainers}: the container; without Docker the tests are skipped, not failed.</li>
 * </ul>
 */
public final class KafkaClusterExtension implements ParameterResolver {

    public static final String MODE_PROPERTY = "etrms.test.kafka";
    public static final String KAFKA_IMAGE = "apache/kafka:4.4.0";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaClusterExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == KafkaCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        String mode = System.getProperty(MODE_PROPERTY, "auto").toLowerCase(Locale.ROOT);
        if (mode.equals("testcontainers")) {
            Assumptions.assumeTrue(dockerAvailable(), "no Docker engine: Testcontainers Kafka skipped");
        }
        boolean container = mode.equals("testcontainers") || (mode.equals("auto") && dockerAvailable());
        Running running = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(container ? "container" : "embedded", k -> container ? startContainer() : startEmbedded(), Running.class);
        return running.cluster;
    }

    /** Asks Testcontainers only when a Docker socket or DOCKER_HOST could exist: it is slow to say no. */
    public static boolean dockerAvailable() {
        boolean maybe = System.getenv("DOCKER_HOST") != null || Files.exists(Path.of("/var/run/docker.sock"));
        if (!maybe) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static Running startEmbedded() {
        try {
            Path dir = Files.createTempDirectory("etrms-test-kafka");
            EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startOnFreePorts(dir.resolve("kafka"));
            return new Running(new KafkaCluster(broker.bootstrapServers(), "embedded"), () -> {
                broker.close();
                deleteRecursively(dir);
            });
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts {@value #KAFKA_IMAGE} in Docker; close the result to stop it. */
    public static Running startContainer() {
        KafkaContainer container = new KafkaContainer(DockerImageName.parse(KAFKA_IMAGE));
        container.start();
        return new Running(new KafkaCluster(container.getBootstrapServers(), "testcontainers"), container::stop);
    }

    static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }

    /** A started cluster; closed by JUnit when the root context (the test JVM's run) ends. */
    public record Running(KafkaCluster cluster, Runnable stop) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() {
            stop.run();
        }
    }
}
