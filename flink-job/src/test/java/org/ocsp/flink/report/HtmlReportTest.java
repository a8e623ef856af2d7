package org.ocsp.flink.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.ocsp.schemas.RecordType;
import org.ocsp.schemas.avro.event.MaskSnapshot;
import org.junit.jupiter.api.io.TempDir;
import org.ocsp.flink.audit.AuditFixture;
import org.ocsp.flink.audit.RunLog;

/**
 * The report of real runs, opened in headless Chromium with every network request blocked: the
 * page must draw all its charts (the page's script marks the body with the number of charts and of
 * canvases that hold drawn pixels). Screenshots are kept under {@code target/report-artifacts/}.
 * Needs Debian's {@code chromium} (the test set-up installs it); skips only when it is missing.
 */
class HtmlReportTest {
    static final Path ARTIFACTS = Path.of("target", "report-artifacts").toAbsolutePath();
    private static final List<String> CHROMIUM = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser",
            "/usr/bin/google-chrome");

    @TempDir
    Path profile;

    @Test
    void twoRunReportRendersEveryChartOfflineInChromium() throws Exception {
        Path browser = chromium();
        List<RunLog> logs = List.of(AuditFixture.clean().log(), AuditFixture.run("fixture-30", 0.3).log());
        Path html = HtmlReport.write(logs, ARTIFACTS.resolve("report-2-runs.html"));
        String page = Files.readString(html);
        assertFalse(Pattern.compile("<(script|link|img)[^>]+(src|href)=", Pattern.CASE_INSENSITIVE).matcher(page).find(),
                "the report must not load anything from outside the file");
        // 2 comparison charts + per run: stability, lambda, loss/accuracy, FLOPs, heat map, layer widths.
        int expected = 2 + 6 * logs.size();
        String dom = run(browser, "--virtual-time-budget=15000", "--dump-dom", html.toUri().toString());
        assertEquals("(absent)", attribute(dom, "data-render-error"), "render error");
        assertEquals(String.valueOf(expected), attribute(dom, "data-rendered"), "charts drawn");
        assertEquals(String.valueOf(expected), attribute(dom, "data-nonblank"), "canvases with drawn pixels");
        // The per-channel view: every channel of every group of each run's last logged mask, with its score.
        int channels = logs.stream().mapToInt(l -> l.all(RecordType.MASK_SNAPSHOT, MaskSnapshot.class).get(
                l.all(RecordType.MASK_SNAPSHOT, MaskSnapshot.class).size() - 1).getGroups().stream()
                .mapToInt(g -> g.getOriginalWidth()).sum()).sum();
        assertEquals(String.valueOf(channels), attribute(dom, "data-channel-cells"), "channel cells drawn");
        assertTrue(dom.contains("class=\"ch removed\"") && dom.contains("class=\"ch kept protected\""), "kept, removed "
                + "and protected channels are told apart");
        assertTrue(Pattern.compile("title=\"features\\.0:\\d+ score [0-9.e-]+, rank 1, kept, protected\"").matcher(dom).find(),
                "each channel names its score and rank");
        Path png = ARTIFACTS.resolve("report-2-runs.png");
        Files.deleteIfExists(png);
        run(browser, "--virtual-time-budget=15000", "--window-size=1400,2400", "--screenshot=" + png, html.toUri().toString());
        assertTrue(Files.size(png) > 50_000, "screenshot " + png + " is " + Files.size(png) + " bytes");
        System.out.println("Report screenshot: " + png);
    }

    @Test
    void singleRunReportHasNoComparisonAndRenders() throws Exception {
        Path browser = chromium();
        Path html = HtmlReport.write(List.of(AuditFixture.clean().log()), ARTIFACTS.resolve("report-1-run.html"));
        String dom = run(browser, "--virtual-time-budget=15000", "--dump-dom", html.toUri().toString());
        assertEquals("6", attribute(dom, "data-rendered"));
        assertEquals("6", attribute(dom, "data-nonblank"));
        assertFalse(dom.contains("id=\"compare-scatter\""));
        assertTrue(dom.contains("verified: "), "verification badge");
    }

    private static Path chromium() {
        Optional<Path> found = CHROMIUM.stream().map(Path::of).filter(Files::isExecutable).findFirst();
        assumeTrue(found.isPresent(), "Chromium not installed (looked for " + CHROMIUM + "); the test set-up installs it "
                + "with: apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium");
        return found.get();
    }

    /** Runs headless Chromium with networking blocked; returns stdout. */
    private String run(Path browser, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--hide-scrollbars",
                "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
                "--user-data-dir=" + profile));
        cmd.addAll(List.of(args));
        Path out = profile.resolve("stdout.txt");
        Path err = profile.resolve("stderr.txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("Chromium did not finish in 120 s: " + cmd);
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "chromium exit code; stderr:\n" + Files.readString(err));
        return stdout;
    }

    /** An attribute of the page's body element (the inlined script's source mentions the names too). */
    private static String attribute(String dom, String name) {
        Matcher body = Pattern.compile("<body([^>]*)>").matcher(dom);
        if (!body.find()) {
            return "(no body)";
        }
        Matcher m = Pattern.compile(name + "=\"([^\"]*)\"").matcher(body.group(1));
        return m.find() ? m.group(1) : "(absent)";
    }
}
