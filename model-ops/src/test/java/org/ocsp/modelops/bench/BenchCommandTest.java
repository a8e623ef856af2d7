package org.ocsp.modelops.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
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

    @Test
    void theEnginesComparisonNamesADirectoryThatHoldsNoBuild() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new ModelOpsCli());
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("bench", "engines", "target/classes@nd4j", "target/no-such-build@onednn");
        assertEquals(CommandLine.ExitCode.USAGE, code);
        assertTrue(err.toString().contains("Not a model-ops classes directory: target/no-such-build"), err.toString());
    }

    /** Parent-first loading would hand both sides this build's classes and compare a build with itself. */
    @Test
    void eachSideOfTheEnginesComparisonLoadsModelOpsFromItsOwnBuild() throws Exception {
        Path classes = Path.of(BenchTrainer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (EnginesCommand.BuildClassLoader side = new EnginesCommand.BuildClassLoader(classes, getClass().getClassLoader())) {
            Class<?> trainer = side.loadClass(BenchTrainer.class.getName());
            assertNotSame(BenchTrainer.class, trainer);
            assertSame(side, trainer.getClassLoader());
            assertSame(Nd4j.class, side.loadClass(Nd4j.class.getName()), "ND4J is shared");
        }
    }

    @Test
    void theMedianOfPerWindowRatiosIsNotTheRatioOfMedians() {
        WindowStats base = new WindowStats(List.of(100.0, 50.0, 200.0));
        WindowStats other = new WindowStats(List.of(90.0, 80.0, 300.0));
        assertEquals(1.5, other.medianRatioTo(base), 1e-12); // per window 0.9, 1.6, 1.5
        assertEquals(0.9, other.median() / base.median(), 1e-12);
    }
}
