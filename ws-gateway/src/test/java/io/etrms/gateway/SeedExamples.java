package io.etrms.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The code blocks of the user's {@code shared/seed/websocket-api-examples.md}, extracted at test
 * time so the clients run exactly as the user wrote them. The file is found next to the repository
 * ({@code <etrms.repo.root>/../shared/seed/}), or by walking up from the working directory.
 */
final class SeedExamples {

    static final String SEED = "shared/seed/websocket-api-examples.md";

    /** One fenced block with the {@code ###} heading above it. */
    record CodeBlock(String heading, String language, String code) {
    }

    private SeedExamples() {
    }

    static Path locate() {
        List<Path> starts = new ArrayList<>();
        String root = System.getProperty("etrms.repo.root");
        if (root != null && !root.isBlank()) {
            starts.add(Path.of(root).toAbsolutePath());
        }
        starts.add(Path.of(System.getProperty("user.dir")).toAbsolutePath());
        for (Path start : starts) {
            for (Path dir = start; dir != null; dir = dir.getParent()) {
                Path candidate = dir.resolve(SEED);
                if (Files.isRegularFile(candidate)) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException("cannot find " + SEED + " above " + starts);
    }

    static List<CodeBlock> blocks() throws IOException {
        List<String> lines = Files.readAllLines(locate());
        List<CodeBlock> blocks = new ArrayList<>();
        String heading = "";
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("#")) {
                heading = line.replaceFirst("^#+\\s*", "").trim();
            } else if (line.startsWith("```") && line.length() > 3) {
                String language = line.substring(3).trim();
                StringBuilder code = new StringBuilder();
                for (i++; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
                    code.append(lines.get(i)).append('\n');
                }
                blocks.add(new CodeBlock(heading, language, code.toString()));
            }
        }
        return blocks;
    }

    /** The block under {@code heading} in {@code language}. */
    static String code(String heading, String language) throws IOException {
        return blocks().stream()
                .filter(b -> b.heading().equals(heading) && b.language().equals(language))
                .map(CodeBlock::code)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + language + " block under '" + heading + "' in " + SEED));
    }
}
