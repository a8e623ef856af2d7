package org.ocsp.flink.job;

import org.ocsp.flink.cli.JobCommand;
import picocli.CommandLine;

/**
 * Main class of the job jar for Flink application mode (one job per cluster, stack.md trap 6):
 * {@code --bootstrap-servers kafka:9092 [--checkpoint-dir s3://...] [--model-dir ...]}. Does not
 * call System.exit (it runs inside the JobManager).
 */
public final class TrainerJobMain {
    private TrainerJobMain() {
    }

    public static void main(String[] args) {
        int code = new CommandLine(new JobCommand()).execute(args);
        if (code != 0) {
            throw new IllegalStateException("The trainer job ended with exit code " + code + " (arguments: "
                    + String.join(" ", args) + ")");
        }
    }
}
