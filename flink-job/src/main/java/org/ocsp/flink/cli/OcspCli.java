package org.ocsp.flink.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
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
        subcommands = {DemoCommand.class, TopicsCommand.class, PublishCommand.class, RunCommand.class, JobCommand.class, SettingsCommand.class, org.ocsp.flink.audit.AuditCommand.class, org.ocsp.flink.report.ReportCommand.class,
                org.ocsp.flink.bench.BenchCommand.class})
public final class OcspCli {
    private OcspCli() {
    }

    public static void main(String[] args) {
        // One writer pair for every subcommand, flushed before exit: picocli's default writers
        // flush only on println/printf, so output ending in print(...) (audit timeline, verify)
        // was lost when System.exit ran.
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, Charset.defaultCharset()), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, Charset.defaultCharset()), true);
        int code = new CommandLine(new OcspCli()).setOut(out).setErr(err).execute(args);
        out.flush();
        err.flush();
        System.exit(code);
    }
}
