package io.etrms.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The user's own client examples ({@code shared/seed/websocket-api-examples.md}), extracted code
 * block by code block so tests can run them unchanged.
 */
public final class SeedExamples {

    public static final String FILE = "websocket-api-examples.md";

    private static final Pattern BLOCK = Pattern.compile("^#{2,3} (.+?)\\s*$|^```(\\w+)\\s*$\\n(.*?)^```", Pattern.MULTILINE | Pattern.DOTALL);

    /** One fenced code block and the nearest {@code ##} or {@code ###} heading above it. */
    public record Block(String heading, String language, String code) {
    }

    private SeedExamples() {
    }

    /**
     * Finds the seed file: system property {@code etrms.seed.file}, else {@code ../shared/seed/}
     * beside the repository root (system property {@code etrms.repo.root}, else found by walking up
     * from the working directory to the directory holding {@code .git} or the parent pom).
     */
    public static Path locate() {
        String explicit = System.getProperty("etrms.seed.file");
        if (explicit != null) {
            return Path.of(explicit);
        }
        Path root = repoRoot();
        Path seed = root.resolveSibling("shared").resolve("seed").resolve(FILE);
        if (!Files.exists(seed)) {
            throw new IllegalStateException("seed examples not found at " + seed.toAbsolutePath() + " (set -Detrms.seed.file)");
        }
        return seed;
    }

    public static Path repoRoot() {
        String root = System.getProperty("etrms.repo.root");
        if (root != null && !root.isBlank()) {
            return Path.of(root).toAbsolutePath().normalize();
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isDirectory(dir.resolve(".git")) || Files.exists(dir.resolve("local-stack"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("cannot find the repository root from " + Path.of("").toAbsolutePath());
    }

    public static List<Block> blocks() {
        try {
            return parse(Files.readString(locate()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Block> parse(String markdown) {
        List<Block> blocks = new ArrayList<>();
        String heading = "";
        Matcher m = BLOCK.matcher(markdown);
        while (m.find()) {
            if (m.group(1) != null) {
                heading = m.group(1);
            } else {
                blocks.add(new Block(heading, m.group(2), m.group(3)));
            }
        }
        return blocks;
    }

    /** The first block of {@code language} under a heading that contains {@code heading}. */
    public static Block block(String heading, String language) {
        return blocks().stream()
                .filter(b -> b.language().equals(language) && b.heading().contains(heading))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + language + " block under '" + heading + "' in the seed"));
    }
}
