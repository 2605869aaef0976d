package io.etrms.cluster;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.nio.file.StandardCopyOption;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a multi-process run keeps its brokers' data, the services' state and every process log
 * ({@code <module>/target/cluster-runs/<name>-<time>/}), and the classpath its child processes run on.
 */
public final class RunDirectory {

    private RunDirectory() {
    }

    /** A new directory {@code <base>/<name>-<yyyyMMdd-HHmmss>}. */
    public static Path create(Path base, String name) {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        try {
            return Files.createDirectories(base.resolve(name + "-" + stamp)).toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The classpath for child processes: this JVM's own when it holds the broker and the services
     * (a plain {@code java -cp} launch, as crash-loop.sh does), otherwise {@code target/classes}
     * plus {@code target/classpath.txt} of the module (written by the build) under {@code moduleDir}.
     *
     * <p>ETRMS' own jars ({@code -SNAPSHOT}) are copied to {@code runDir/lib} first: a build that
     * re-installs them into the local Maven repository while the processes run must not pull a
     * class out from under a JVM that loads it lazily.
     */
    public static String childClasspath(Path moduleDir, Path runDir) {
        String own = System.getProperty("java.class.path", "");
        List<String> entries = List.of(own.split(File.pathSeparator));
        if (entries.stream().noneMatch(e -> e.contains("kafka_2.13")) || entries.stream().noneMatch(e -> e.contains("streams-app"))) {
            Path file = moduleDir.resolve("target/classpath.txt");
            try {
                entries = new ArrayList<>();
                entries.add(moduleDir.resolve("target/classes").toAbsolutePath().toString());
                entries.addAll(List.of(Files.readString(file).trim().split(File.pathSeparator)));
            } catch (IOException e) {
                throw new UncheckedIOException("no " + file + ": build the module first (mvn -pl cluster-tests package)", e);
            }
        }
        Path lib = runDir.resolve("lib");
        List<String> out = new ArrayList<>();
        try {
            Files.createDirectories(lib);
            for (String entry : entries) {
                Path path = Path.of(entry);
                if (path.getFileName() != null && path.getFileName().toString().endsWith("-SNAPSHOT.jar") && Files.isRegularFile(path)) {
                    Path copy = lib.resolve(path.getFileName());
                    Files.copy(path, copy, StandardCopyOption.REPLACE_EXISTING);
                    out.add(copy.toString());
                } else {
                    out.add(entry);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the classpath to " + lib, e);
        }
        return String.join(File.pathSeparator, out);
    }
}
