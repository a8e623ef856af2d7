package org.ocsp.modelops.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.ocsp.modelops.cli.ModelOpsCli;
import picocli.CommandLine;

class BenchCommandTest {
    /** Checked before any network is built or trained, so a typo costs no bench minutes. */
    @Test
    void rejectsAChannelMultipleBelowOneUpFront() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new ModelOpsCli());
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("bench", "--channel-multiple", "0", "--no-pytorch", "--arch", "no-such-arch");
        assertEquals(CommandLine.ExitCode.USAGE, code);
        assertTrue(err.toString().contains("Invalid value 0 for option '--channel-multiple': must be >= 1"), err.toString());
    }
}
