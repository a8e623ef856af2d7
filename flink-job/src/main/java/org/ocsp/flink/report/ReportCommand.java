package org.ocsp.flink.report;

import org.ocsp.flink.cli.RunIdConverter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.ocsp.flink.audit.AuditCommand;
import org.ocsp.flink.audit.LogSourceOptions;
import org.ocsp.flink.audit.NoSuchRunException;
import org.ocsp.flink.audit.RunLog;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code report --run R [--run R2 ...] --out report.html}: one self-contained HTML file with the
 * charts of one or more runs ({@link HtmlReport}). Register it as a subcommand of the operator CLI.
 *
 * <pre>
 * ocsp report --run run-30 --run run-50 --run run-70 --out report.html --bootstrap-servers localhost:9092
 * ocsp report --run run-50 --from run-50.events.avro --out report.html
 * </pre>
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write one self-contained HTML report (charts, no network needed) of one or more runs.")
public final class ReportCommand implements Callable<Integer> {
    @Option(converter = RunIdConverter.class, names = "--run", required = true, paramLabel = "RUN", description = "Run id; repeat for several runs.")
    List<String> runs;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "HTML file to write.")
    Path out;

    @Mixin
    LogSourceOptions source;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        try {
            List<RunLog> logs = new ArrayList<>();
            for (String run : runs) {
                logs.add(source.eventSource().load(run));
            }
            Path written = HtmlReport.write(logs, out);
            spec.commandLine().getOut().println("Report of " + runs.size() + (runs.size() == 1 ? " run" : " runs")
                    + " written to " + written.toAbsolutePath());
            return AuditCommand.OK;
        } catch (IOException | NoSuchRunException | IllegalArgumentException e) {
            spec.commandLine().getErr().println("report: " + e.getMessage());
            return AuditCommand.UNREADABLE;
        }
    }
}
