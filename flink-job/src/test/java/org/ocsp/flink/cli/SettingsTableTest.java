package org.ocsp.flink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.ocsp.flink.job.JobSettingDef;
import org.ocsp.modelops.config.RunConfigDef;
import org.ocsp.modelops.setting.Setting;

/** README's settings tables are the declarations: a new, renamed or re-documented setting fails here until the copy is regenerated. */
class SettingsTableTest {
    private static final Path README = Path.of("..", "README.md");

    @Test
    void theReadmeShowsTheSettingsAsDeclared() throws IOException {
        String readme = Files.readString(README);
        int begin = readme.indexOf(SettingsCommand.BEGIN);
        int end = readme.indexOf(SettingsCommand.END);
        assertTrue(begin >= 0 && end > begin, README.toAbsolutePath() + " has no generated settings block");
        String committed = readme.substring(begin + SettingsCommand.BEGIN.length() + 1, end);
        assertEquals(SettingsCommand.markdown(), committed, "README.md's settings tables are stale: replace the block with "
                + "the output of `java -cp ... org.ocsp.flink.cli.OcspCli settings`");
    }

    @Test
    void theTablesNameEveryRunAndJobSettingWithItsDefault() {
        String md = SettingsCommand.markdown();
        for (Setting<?> s : RunConfigDef.ALL) {
            assertTrue(md.contains("| `--" + s.name() + "` |"), s.name());
        }
        for (Setting<?> s : JobSettingDef.ALL) {
            assertTrue(md.contains("| `--" + s.name() + "` | " + s.defaultValue().map(Object::toString).orElse("none") + " |"),
                    s.name());
        }
    }
}
