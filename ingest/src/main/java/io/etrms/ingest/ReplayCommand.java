package io.etrms.ingest;

import io.etrms.model.BuildInfo;
import io.etrms.model.EtrmsConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code etrms-ingest replay}: sends JSONL/CSV files of fills, prices, transfers and position snapshots to Kafka with the {@link FileReplayer}. */
@Command(name = "replay", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class, sortOptions = false,
        description = {
                "Replays fills, prices, transfers and position snapshots from JSONL or CSV files (optionally .gz) into Kafka, in file order.",
                "A bad line is reported as FILE:LINE: REASON and sent to the dead-letters topic; the rest still goes in.",
                "The record type comes from --type, else a 'type' field/column, else the file name (fills, prices, transfers, position-snapshots)."},
        footer = {"", "Exit status: 0 every line sent; " + IngestCli.EXIT_DATA_ERRORS + " some lines were bad (on dead-letters); "
                + "1 stopped (--strict), Kafka refused records or cannot be reached, or an I/O error; 2 a usage error.",
                "", "Examples:",
                "  etrms-ingest replay examples/fills.jsonl examples/prices.csv",
                "  etrms-ingest replay --speed 10 --rebase-time examples/market.jsonl",
                "  etrms-ingest replay --strict --type fills my-fills.csv"})
final class ReplayCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "JSONL (.jsonl, .ndjson, .json) or CSV (.csv) files, optionally .gz.")
    List<Path> files;

    @Option(names = "--type", paramLabel = "TYPE", description = "Record type of every line: fills, prices, transfers or position-snapshots.")
    String type;

    @Option(names = "--speed", paramLabel = "K", defaultValue = "0",
            description = "Replay at K x real time by the records' timestamps; 0 (default) as fast as possible.")
    double speed;

    @Option(names = "--strict", description = "Check every line first and stop at the first bad one, sending nothing.")
    boolean strict;

    @Option(names = "--rebase-time", description = "Shift all timestamps by one offset so that the first record happens now.")
    boolean rebaseTime;

    @Option(names = "--show-errors", paramLabel = "N", defaultValue = "20", description = "Print at most N bad lines (default 20).")
    int showErrors;

    @Override
    public Integer call() throws Exception {
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                throw new ParameterException(spec.commandLine(), "no such file: " + file);
            }
            RecordFileReader.formatOf(file);
        }
        InputKind kind = type == null ? null : InputKind.fromLabel(type);
        EtrmsConfig config = kafka.connect(Map.of());
        PrintWriter err = spec.commandLine().getErr();
        ProgressDisplay display = new ProgressDisplay(err, System.console() != null, showErrors);
        MarketSimulator.ensureInputTopics(config);
        try (IngestProducer producer = new IngestProducer(IngestProducer.newKafkaProducer(config, "etrms-replay",
                speed > 0 ? Map.of() : IngestProducer.BULK_TUNING), config.topics())) {
            FileReplayer replayer = new FileReplayer(producer, new FileReplayer.Options(kind, speed, strict, rebaseTime), display);
            CountDownLatch done = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                replayer.stop();
                try {
                    done.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "etrms-replay-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            FileReplayer.Summary summary;
            try {
                summary = replayer.replay(files);
            } finally {
                done.countDown();
            }
            display.summary(summary);
            if (!summary.interrupted()) {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
            if (summary.stoppedAt() != null || summary.failed() > 0 || summary.interrupted()) {
                return 1;
            }
            return summary.rejected() > 0 ? IngestCli.EXIT_DATA_ERRORS : 0;
        }
    }
}
