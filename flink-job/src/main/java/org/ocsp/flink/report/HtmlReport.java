package org.ocsp.flink.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.ocsp.flink.audit.DecisionVerifier;
import org.ocsp.flink.audit.RunLog;

/**
 * Writes ONE self-contained HTML file for one or more runs: Chart.js 4 (MIT, UMD build) and the
 * chartjs-chart-matrix plugin (MIT) are inlined from {@code report/} resources together with the
 * data, so the file needs no network to view. Charts per run: s_t and J_avg against tau (with
 * t_sl-start and t*), lambda, loss and accuracy, FLOPs, kept channels per group and epoch (heat map),
 * widths per layer before/after pruning; with several runs also accuracy against FLOPs.
 *
 * <pre>{@code
 * Path out = HtmlReport.write(List.of(log50, log70), Path.of("report.html"));
 * }</pre>
 *
 * <p>The page's script marks the body with {@code data-rendered="<charts>"} and
 * {@code data-nonblank="<canvases with drawn pixels>"} once every chart is drawn (for headless checks).
 */
public final class HtmlReport {
    static final String RESOURCES = "/report/";

    private HtmlReport() {
    }

    /** Verifies each run (the outcome is shown in the report) and writes the file atomically. */
    public static Path write(List<RunLog> logs, Path out) throws IOException {
        List<ObjectNode> runs = new ArrayList<>();
        DecisionVerifier verifier = new DecisionVerifier();
        for (RunLog log : logs) {
            runs.add(ReportData.run(log, verifier.verify(log)));
        }
        String html = render(ReportData.report(runs, Instant.now().toString()));
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        Files.writeString(tmp, html, StandardCharsets.UTF_8);
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return out;
    }

    static String render(ObjectNode data) {
        String json;
        try {
            json = ReportData.JSON.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise report data", e);
        }
        String title = data.path("runs").size() == 1 ? "OCSPruner run " + data.path("runs").get(0).path("runId").asText()
                : "OCSPruner runs (" + data.path("runs").size() + ")";
        return resource("report.html").replace("@TITLE@", escapeHtml(title))
                .replace("@CHARTJS@", script(resource("chart.umd.min.js")))
                .replace("@MATRIX@", script(resource("chartjs-chart-matrix.min.js")))
                .replace("@DATA@", script(json))
                .replace("@APP@", script(resource("report.js")));
    }

    /** Makes text safe inside an inline script element. */
    static String script(String js) {
        return js.replace("</", "<\\/");
    }

    static String escapeHtml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    static String resource(String name) {
        try (InputStream in = HtmlReport.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("Missing report resource " + RESOURCES + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
