package io.etrms.ingest;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The ingest command line: {@code simulate}, {@code replay} and {@code serve}, each with
 * {@code --help}. Every subcommand takes the shared Kafka and configuration flags
 * ({@code --config}, {@code --bootstrap-servers}, {@code --topic-prefix}, {@code -D key=value}).
 */
@Command(name = "etrms-ingest", mixinStandardHelpOptions = true, version = "ETRMS ingest 0.1.0",
        description = "Feeds ETRMS: a market simulator, file replay and an HTTP ingest endpoint, all writing to Kafka.",
        subcommands = {SimulateCommand.class, ReplayCommand.class, ServeCommand.class, CommandLine.HelpCommand.class})
public final class IngestCli implements Runnable {

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
