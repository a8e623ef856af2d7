package org.ocsp.flink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class PublishCommandTest {
    @Test
    void rateIsOptionalAndUnpacedByDefault() {
        PublishCommand c = new PublishCommand();
        new CommandLine(c).parseArgs("--bootstrap-servers", "k:1");
        assertNull(c.rate);
    }

    @Test
    void rateIsReadAsImagesPerSecond() {
        PublishCommand c = new PublishCommand();
        new CommandLine(c).parseArgs("--bootstrap-servers", "k:1", "--rate", "250.5");
        assertEquals(250.5, c.rate);
    }
}
