package org.ocsp.flink.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventArchiveTest {
    @TempDir
    Path dir;

    @Test
    void exportKeepsTheExactBytesOrderAndPositionsAndStillVerifies() throws IOException {
        RunLog log = AuditFixture.clean().log();
        Path file = dir.resolve("run.events.avro");
        EventArchive.write(file, log);
        EventArchive archive = EventArchive.reader(file);
        assertEquals(log.runId(), archive.runId());
        RunLog back = archive.load(log.runId());
        assertEquals(log.inLogOrder().size(), back.inLogOrder().size());
        for (int i = 0; i < log.inLogOrder().size(); i++) {
            assertArrayEquals(log.inLogOrder().get(i).bytes(), back.inLogOrder().get(i).bytes(), "event " + i);
            assertEquals(log.inLogOrder().get(i).position(), back.inLogOrder().get(i).position());
        }
        assertTrue(new DecisionVerifier().verify(back).ok());
    }

    @Test
    void unknownRunAndForeignFilesAreRejectedWithTheReason() throws IOException {
        RunLog log = AuditFixture.clean().log();
        Path file = dir.resolve("run.events.avro");
        EventArchive.write(file, log);
        NoSuchRunException none = assertThrows(NoSuchRunException.class, () -> EventArchive.reader(file).load("other"));
        assertEquals("Run 'other': no events in " + file, none.getMessage());
        Path text = Files.writeString(dir.resolve("x.avro"), "not avro");
        assertThrows(IOException.class, () -> EventArchive.reader(text).load("fixture-50"));
    }
}
