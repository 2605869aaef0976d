package io.etrms.ingest;

import io.etrms.model.BuildInfo;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The ingest command line: {@code simulate}, {@code replay}, {@code serve} and {@code whatif}, each with
 * {@code --help}. Every subcommand takes the shared Kafka and configuration flags
 * ({@code --config}, {@code --bootstrap-servers}, {@code --topic-prefix}, {@code -D key=value}).
 */
@Command(name = "etrms-ingest", mixinStandardHelpOptions = true, versionProvider = BuildInfo.VersionProvider.class,
        description = "Feeds ETRMS: a market simulator, file replay and an HTTP ingest endpoint, all writing to Kafka; and replays recorded history under candidate limits (whatif).",
        subcommands = {SimulateCommand.class, ReplayCommand.class, ServeCommand.class, WhatIfCommand.class, CommandLine.HelpCommand.class})
public final class IngestCli implements Runnable {

    /**
     * Exit status of a run that sent the good records but found bad ones in the input (they are on
     * {@code dead-letters}): distinct from 1 (a failure: Kafka unreachable or refusing, an I/O
     * error, a strict run stopped) and 2 (a usage error: unknown option, missing file).
     */
    public static final int EXIT_DATA_ERRORS = 3;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit status (for tests and embedding). */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new IngestCli());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (e instanceof IllegalArgumentException || e instanceof java.io.IOException || e instanceof IllegalStateException) {
                err.println(commandLine.getCommandName() + ": " + e.getMessage());
                err.flush();
                return 1;
            }
            throw e;
        });
        return cli;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
