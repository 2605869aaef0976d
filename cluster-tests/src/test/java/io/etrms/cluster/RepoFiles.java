package io.etrms.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/** The repository's deployment files, as the tests read them. */
final class RepoFiles {

    private RepoFiles() {
    }

    /** The repository root: {@code etrms.repo.root} (set by the build), else the module's parent. */
    static Path root() {
        String configured = System.getProperty("etrms.repo.root");
        Path root = configured != null ? Path.of(configured) : Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();
        if (!Files.exists(root.resolve("docker-compose.yml"))) {
            root = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();
        }
        return root.toAbsolutePath().normalize();
    }

    static Path composeFile() {
        return root().resolve("docker-compose.yml");
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The compose file as Compose itself reads it: YAML anchors, aliases and {@code <<} merge keys
     * resolved (SnakeYAML, which jackson-dataformat-yaml brings).
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> compose() {
        return (Map<String, Object>) new Yaml().load(read(composeFile()));
    }
}
