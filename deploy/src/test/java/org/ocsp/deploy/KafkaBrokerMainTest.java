package org.ocsp.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line of KafkaBrokerMain, without starting a broker. */
class KafkaBrokerMainTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cmd = new CommandLine(new KafkaBrokerMain());
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    return cmd.execute(args);
  }

  @Test
  void helpListsTheOptions() {
    assertEquals(0, run("--help"));
    for (String option :
        new String[] {"--port", "--data-dir", "--broker-property", "--startup-timeout"}) {
      assertTrue(out.toString().contains(option), option + " in\n" + out);
    }
  }

  @Test
  void invalidSettingsAreReportedTogetherWithExitCode2() {
    assertEquals(2, run("--port", "70000", "-D", "listeners=PLAINTEXT://0.0.0.0:9092"));
    String message = err.toString();
    assertTrue(message.contains("Invalid value 70000 for configuration port"), message);
    assertTrue(
        message.contains("Invalid value PLAINTEXT://0.0.0.0:9092 for configuration listeners"),
        message);
  }

  @Test
  void malformedDurationIsRejectedWithExitCode2() {
    assertEquals(2, run("--startup-timeout", "ten seconds"));
    assertTrue(err.toString().contains("--startup-timeout"), err.toString());
  }
}
