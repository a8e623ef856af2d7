package org.ocsp.modelops.cli;

import org.ocsp.modelops.bench.BenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code model-ops} command. */
@Command(name = "model-ops", mixinStandardHelpOptions = true, version = "model-ops 0.1.0",
        description = "OCSPruner on ND4J without Flink or Kafka.",
        subcommands = {TrainCommand.class, ExportCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class ModelOpsCli implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ModelOpsCli()).execute(args));
    }
}
