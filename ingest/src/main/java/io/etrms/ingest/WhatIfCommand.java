package io.etrms.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.etrms.model.BuildInfo;
import io.etrms.model.EtrmsConfig;
import io.etrms.model.Json;
import io.etrms.model.RiskLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code etrms-ingest whatif}: replays a recorded window under candidate limits with {@link WhatIfReplay}. */
@Command(name = "whatif", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class, sortOptions = false,
        description = {
                "Replays the fills, prices and transfers recorded in [--from, --to) through the risk topology under candidate limits, "
                        + "on temporary topics (whatif-<id>.*), and prints the alerts and final trading states those limits would have "
                        + "produced next to the ones that happened. The source topics are only read.",
                "Pass the service's --config so that the default limits (etrms.limits.*) are the service's."},
        footer = {"", "Exit status: 0 the comparison was written; 1 Kafka cannot be reached, the replay failed or timed out; 2 a usage error.",
                "", "Examples:",
                "  etrms-ingest whatif --limits candidate.json --from 2026-12-01T00:00:00Z --to 2026-12-02T00:00:00Z",
                "  etrms-ingest whatif --limits candidate.json --from 1796083200000 --to 1796169600000 --out report.json --keep"})
final class WhatIfCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;

    @Spec
    CommandSpec spec;

    @Option(names = "--limits", required = true, paramLabel = "FILE",
            description = "JSON object: key (account or *) to a risk-limits value, as on the risk-limits topic; null removes the key's limits.")
    Path limitsFile;

    @Option(names = "--from", required = true, paramLabel = "T", converter = TimeConverter.class,
            description = "Window start (event time, inclusive): ISO-8601 instant or epoch ms.")
    Instant from;

    @Option(names = "--to", required = true, paramLabel = "T", converter = TimeConverter.class,
            description = "Window end (event time, exclusive): ISO-8601 instant or epoch ms.")
    Instant to;

    @Option(names = "--prefix", paramLabel = "PREFIX", description = "Prefix of the recorded topics (default etrms.; same as --topic-prefix).")
    String prefix;

    @Option(names = "--out", paramLabel = "FILE.json", description = "Where to write the JSON report (default whatif-<UTC time>.json).")
    Path out;

    @Option(names = "--slice", paramLabel = "SECONDS", defaultValue = "1",
            description = "Wait for the topology to catch up after every SECONDS of event time (default 1): instruments stay within that "
                    + "of each other. Larger is faster and less faithful (docs/operations.md).")
    long sliceSeconds;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "3600", description = "Give up after this long (default 3600).")
    long timeoutSeconds;

    @Option(names = "--keep", description = "Keep the temporary topics (whatif-<id>.* and whatif-<id>-*) for inspection.")
    boolean keep;

    @Override
    public Integer call() throws IOException {
        if (!to.isAfter(from)) {
            throw new ParameterException(spec.commandLine(), "--to must be after --from");
        }
        if (sliceSeconds <= 0) {
            throw new ParameterException(spec.commandLine(), "--slice must be positive");
        }
        if (timeoutSeconds <= 0) {
            throw new ParameterException(spec.commandLine(), "--timeout must be positive");
        }
        Map<String, JsonNode> candidates = readLimits();
        Map<String, String> flags = new LinkedHashMap<>();
        if (prefix != null) {
            flags.put(EtrmsConfig.TOPIC_PREFIX, prefix);
        }
        EtrmsConfig config = kafka.connect(flags);
        Path target = out != null ? out : Path.of("whatif-" + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .format(OffsetDateTime.now(ZoneOffset.UTC)) + ".json");
        WhatIfReport report = new WhatIfReplay(new WhatIfReplay.Options(config, from, to, candidates,
                Duration.ofSeconds(sliceSeconds), Duration.ofSeconds(timeoutSeconds), keep), spec.commandLine().getErr()).run();
        report.print(spec.commandLine().getOut());
        report.write(target);
        spec.commandLine().getOut().println();
        spec.commandLine().getOut().println("written to " + target);
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** The limits file, each value checked as the topology reads a risk-limits record. */
    private Map<String, JsonNode> readLimits() {
        if (!Files.isRegularFile(limitsFile)) {
            throw new ParameterException(spec.commandLine(), "no such file: " + limitsFile);
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(limitsFile.toFile());
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), limitsFile + ": not JSON: " + Json.reason(e));
        }
        if (root == null || !root.isObject() || root.isEmpty()) {
            throw new ParameterException(spec.commandLine(), limitsFile + ": must be a JSON object of key (account or *) to risk limits");
        }
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().isBlank() || e.getKey().contains("|")) {
                throw new ParameterException(spec.commandLine(), limitsFile + ": '" + e.getKey() + "' is not an account id or *");
            }
            if (!e.getValue().isNull()) {
                if (!e.getValue().isObject()) {
                    throw new ParameterException(spec.commandLine(), limitsFile + ": " + e.getKey() + ": must be a risk-limits object or null");
                }
                try {
                    Json.MAPPER.treeToValue(e.getValue(), RiskLimits.class);
                } catch (IOException | IllegalArgumentException ex) {
                    throw new ParameterException(spec.commandLine(), limitsFile + ": " + e.getKey() + ": " + Json.reason(ex));
                }
            }
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    /** An instant as ISO-8601 ({@code 2026-12-01T00:00:00Z}, an offset allowed) or epoch milliseconds. */
    static final class TimeConverter implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            String v = value.trim();
            if (v.matches("-?\\d+")) {
                return Instant.ofEpochMilli(Long.parseLong(v));
            }
            try {
                return OffsetDateTime.parse(v).toInstant();
            } catch (DateTimeParseException e) {
                throw new picocli.CommandLine.TypeConversionException("'" + value + "' is neither an ISO-8601 instant nor epoch milliseconds");
            }
        }
    }
}
