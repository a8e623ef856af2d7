package org.ocsp.flink.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The operator CLI: {@code demo}, {@code topics}, {@code publish}, {@code run start}, {@code job}, {@code bench streaming}.
 *
 * <pre>{@code
 * java -cp "$(cat flink-job/target/classpath.txt):flink-job/target/flink-job-0.1.0-SNAPSHOT.jar" \
 *     org.ocsp.flink.cli.OcspCli demo
 * }</pre>
 */
@Command(name = "ocsp", mixinStandardHelpOptions = true, version = "ocsp 0.1.0",
        description = "Streaming OCSPruner: a Flink job that trains and prunes CNNs from a Kafka stream.",
        subcommands = {DemoCommand.class, TopicsCommand.class, PublishCommand.class, RunCommand.class, JobCommand.class, org.ocsp.flink.audit.AuditCommand.class, org.ocsp.flink.report.ReportCommand.class,
                org.ocsp.flink.bench.BenchCommand.class})
public final class OcspCli {
    private OcspCli() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new OcspCli()).execute(args));
    }
}
