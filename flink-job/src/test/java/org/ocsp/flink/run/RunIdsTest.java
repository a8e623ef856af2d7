package org.ocsp.flink.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RunIdsTest {
    @ParameterizedTest
    @ValueSource(strings = {"run-50", "r", "demo-run", "team.a_run-7", "A1"})
    void idsThatNameOneDirectoryAreValid(String id) {
        assertEquals(Optional.empty(), RunIds.problem(id));
        Path root = Path.of("/models");
        assertEquals(root.resolve(id), RunIds.directory(root, id));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "../x", "run-50/.", ".", "..", "-rf", "a b", "a/b", "a\\\\b", "x\u0000", "run\n2", "é"})
    void idsThatCouldEscapeOrConfuseAreRefusedWithTheReason(String id) {
        assertTrue(RunIds.problem(id).orElseThrow().startsWith("Invalid run id"), id);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunIds.directory(Path.of("/models"), id));
        assertTrue(e.getMessage().startsWith("Invalid run id"), e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void anIdLongerThanTheLimitIsRefused() {
        assertEquals(Optional.empty(), RunIds.problem("r".repeat(RunIds.MAX_LENGTH)));
        assertTrue(RunIds.problem("r".repeat(RunIds.MAX_LENGTH + 1)).orElseThrow().contains("at most 128"));
    }
}
