package org.ocsp.flink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.ocsp.flink.run.InvalidRunSpecException;
import org.ocsp.schemas.avro.event.RegularizationStartMode;
import org.ocsp.schemas.avro.event.RunSpec;
import picocli.CommandLine;

class OcspCliTest {
    @Test
    void jobCommandNeedsOnlyTheBootstrapServers() {
        JobCommand c = new JobCommand();
        new CommandLine(c).parseArgs("--bootstrap-servers", "kafka:9092", "--checkpoint-dir", "file:///cp");
        assertEquals("ocsp.events", c.job().topics().events().name());
    }

    @Test
    void jobCommandWithoutBootstrapServersFailsWithUsage() {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new JobCommand());
        cl.setErr(new PrintWriter(err));
        assertNotEquals(0, cl.execute());
        assertTrue(err.toString().contains("--bootstrap-servers"), err.toString());
    }

    @Test
    void runSpecOptionsBuildAValidatedSpec() {
        RunCommand.Start start = new RunCommand.Start();
        new CommandLine(start).parseArgs("--bootstrap-servers", "k:1", "--run-id", "r", "--target", "0.7",
                "--reg-start", "FIXED", "--sl-start", "5", "--hard-cap", "20");
        RunSpec spec = start.spec.toSpec();
        assertEquals(0.7, spec.getFlopsReductionTarget());
        assertEquals(RegularizationStartMode.FIXED, spec.getStability().getRegularizationStart());
        assertEquals(20, spec.getStability().getHardCapEpoch());
    }

    @Test
    void fixedStartWithoutSlStartIsRejectedWithTheSettingName() {
        RunCommand.Start start = new RunCommand.Start();
        new CommandLine(start).parseArgs("--bootstrap-servers", "k:1", "--run-id", "r", "--reg-start", "FIXED");
        InvalidRunSpecException e = assertThrows(InvalidRunSpecException.class, () -> start.spec.toSpec());
        assertTrue(e.getMessage().contains("stability.slStart"), e.getMessage());
    }
}
