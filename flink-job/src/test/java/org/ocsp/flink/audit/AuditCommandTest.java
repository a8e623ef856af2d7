package org.ocsp.flink.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ocsp.flink.report.ReportCommand;
import org.ocsp.schemas.RecordType;
import org.ocsp.schemas.avro.event.PenaltyChanged;
import picocli.CommandLine;

/** The picocli commands end to end on an exported archive: output and exit codes. */
class AuditCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int audit(String... args) {
        return new CommandLine(new AuditCommand()).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(args);
    }

    private Path archive() throws Exception {
        Path file = dir.resolve("run.events.avro");
        EventArchive.write(file, AuditFixture.clean().log());
        return file;
    }

    @Test
    void verifyExitsZeroOnACleanArchiveAndOneOnAChangedOne() throws Exception {
        Path clean = archive();
        assertEquals(AuditCommand.OK, audit("verify", "--run", "fixture-50", "--from", clean.toString()), err.toString());
        assertTrue(out.toString().contains("0 mismatches - the log verifies"), out.toString());
        Path changed = dir.resolve("changed.events.avro");
        EventArchive.write(changed, Tamper.change(AuditFixture.clean().log(), e -> e.type() == RecordType.PENALTY_CHANGED,
                PenaltyChanged.class, p -> p.setLambdaNew(p.getLambdaNew() * 2)));
        assertEquals(AuditCommand.MISMATCH, audit("verify", "--run", "fixture-50", "--from", changed.toString()));
        assertTrue(out.toString().contains("MISMATCH epoch 3, PenaltyChanged.lambdaNew"), out.toString());
    }

    @Test
    void verifyChecksSignaturesWithTheGivenKeyAndExitsThreeOnAnIncompleteLog() throws Exception {
        Path keys = dir.resolve("keys");
        assertEquals(AuditCommand.OK, audit("keygen", "--private-key", keys.resolve("k.pem").toString(), "--public-key",
                keys.resolve("k-public.pem").toString()), err.toString());
        assertTrue(out.toString().contains("key id " + org.ocsp.flink.chain.VerifyingKey.read(keys.resolve("k-public.pem"))
                .keyId()), out.toString());
        assertEquals(AuditCommand.UNREADABLE, audit("keygen", "--private-key", keys.resolve("k.pem").toString(),
                "--public-key", keys.resolve("k2.pem").toString()), "never overwrites a key");
        Path jobKey = dir.resolve("job-public.pem");
        AuditFixture.publicKey().write(jobKey);
        Path clean = archive();
        assertEquals(AuditCommand.OK, audit("verify", "--run", "fixture-50", "--from", clean.toString(), "--public-key",
                jobKey.toString()), out.toString());
        assertEquals(AuditCommand.MISMATCH, audit("verify", "--run", "fixture-50", "--from", clean.toString(),
                "--public-key", keys.resolve("k-public.pem").toString()), "signed by another key than the one trusted");
        Path cut = dir.resolve("cut.events.avro");
        java.util.List<LoggedEvent> events = AuditFixture.events(AuditFixture.clean());
        EventArchive.write(cut, RunLog.of("fixture-50", events.subList(0, events.size() - 1)));
        out.getBuffer().setLength(0);
        assertEquals(AuditCommand.INCOMPLETE, audit("verify", "--run", "fixture-50", "--from", cut.toString(), "--public-key",
                jobKey.toString()), out.toString());
        assertTrue(out.toString().contains("INCOMPLETE ModelPublished is missing"), out.toString());
    }

    @Test
    void exportTimelineAndReplayFromAnArchive() throws Exception {
        Path clean = archive();
        Path copy = dir.resolve("copy.events.avro");
        assertEquals(AuditCommand.OK, audit("export", "--run", "fixture-50", "--from", clean.toString(), "--out",
                copy.toString()), err.toString());
        assertEquals(EventArchive.reader(clean).readAll().size(), EventArchive.reader(copy).readAll().size());
        assertEquals(AuditCommand.OK, audit("timeline", "--run", "fixture-50", "--from", copy.toString()), err.toString());
        assertTrue(out.toString().contains("t_sl-start: epoch 3"), out.toString());
        assertEquals(AuditCommand.OK, audit("replay", "--run", "fixture-50", "--from", copy.toString()), out + "\n" + err);
        assertTrue(out.toString().contains("features.14"), out.toString());
    }

    @Test
    void unknownRunAndMissingSourceAreReportedWithoutAStackTrace() throws Exception {
        Path clean = archive();
        assertEquals(AuditCommand.UNREADABLE, audit("verify", "--run", "nope", "--from", clean.toString()));
        assertEquals("audit verify: Run 'nope': no events in " + clean + System.lineSeparator(), err.toString());
        assertEquals(CommandLine.ExitCode.USAGE, audit("verify", "--run", "x"));
    }

    @Test
    void reportCommandWritesTheHtmlFile() throws Exception {
        Path clean = archive();
        Path html = dir.resolve("r.html");
        int code = new CommandLine(new ReportCommand()).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute("--run", "fixture-50", "--from", clean.toString(), "--out", html.toString());
        assertEquals(0, code, err.toString());
        assertTrue(Files.readString(html).contains("window.OCSP_DATA = {"));
        assertTrue(out.toString().contains(html.toAbsolutePath().toString()), out.toString());
        Path second = dir.resolve("second.events.avro");
        EventArchive.write(second, AuditFixture.run("fixture-30", 0.3).log());
        code = new CommandLine(new ReportCommand()).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute("--run", "fixture-50", "--run", "fixture-30", "--from", clean.toString(), "--from",
                        second.toString(), "--out", html.toString());
        assertEquals(0, code, err.toString());
        assertTrue(Files.readString(html).contains("\"runId\":\"fixture-30\""));
    }
}
