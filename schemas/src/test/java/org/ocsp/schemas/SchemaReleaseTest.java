package org.ocsp.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ocsp.schemas.release.SchemaRelease;

class SchemaReleaseTest {

  private static final Path AVRO_SOURCES = Path.of("src/main/avro");
  private static final Path RELEASED_SOURCES = Path.of("src/main/resources/released");

  @Test
  void releasingIntoAnEmptyFolderWritesVersionOneOfEveryRecord(@TempDir Path released) throws IOException {
    List<Path> written = new SchemaRelease(AVRO_SOURCES, released).release();

    assertEquals(RecordType.values().length, written.size());
    ReleasedSchemas loaded = ReleasedSchemas.fromDirectory(released);
    for (RecordType type : RecordType.values()) {
      SchemaVersion only = loaded.latest(type).orElseThrow();
      assertEquals(1, only.version());
      assertEquals(SchemaVersion.fingerprintOf(type.currentSchema()), only.fingerprint());
    }
  }

  @Test
  void releasingUnchangedSchemasWritesNothing(@TempDir Path released) throws IOException {
    copy(RELEASED_SOURCES, released);

    assertEquals(List.of(), new SchemaRelease(AVRO_SOURCES, released).release());
  }

  @Test
  void changedSchemaIsReleasedAsTheNextVersion(@TempDir Path released) throws IOException {
    copy(RELEASED_SOURCES, released);
    Files.delete(released.resolve("EpochCompleted/v3.avsc"));

    List<Path> written = new SchemaRelease(AVRO_SOURCES, released).release();

    assertEquals(List.of(released.resolve("EpochCompleted/v3.avsc")), written);
    assertEquals(Files.readString(RELEASED_SOURCES.resolve("EpochCompleted/v3.avsc")),
        Files.readString(released.resolve("EpochCompleted/v3.avsc")));
  }

  @Test
  void incompatibleChangeIsRefusedAndNothingIsWritten(@TempDir Path released) throws IOException {
    copy(RELEASED_SOURCES, released);
    Path v1 = released.resolve("PenaltyChanged/v1.avsc");
    // Pretend v1 had a string lambdaNew: the current double field cannot read it.
    Files.writeString(v1, Files.readString(v1).replaceFirst(
        "(\"name\" : \"lambdaNew\",\\s*\"type\" : )\"double\"", "$1\"string\""));
    Files.delete(released.resolve("EpochCompleted/v3.avsc"));
    Files.delete(released.resolve("PenaltyChanged/v2.avsc"));

    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> new SchemaRelease(AVRO_SOURCES, released).release());

    assertTrue(e.getMessage().startsWith("Nothing released:\n  PenaltyChanged v1 cannot be read by schema PenaltyChanged"),
        e.getMessage());
    assertTrue(Files.notExists(released.resolve("EpochCompleted/v3.avsc")));
    assertTrue(Files.notExists(released.resolve("PenaltyChanged/v2.avsc")));
  }

  private static void copy(Path from, Path to) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(from)) {
      files = walk.filter(Files::isRegularFile).collect(Collectors.toList());
    }
    for (Path file : files) {
      Path target = to.resolve(from.relativize(file).toString());
      Files.createDirectories(target.getParent());
      Files.copy(file, target);
    }
  }
}
