package org.ocsp.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.ocsp.schemas.avro.event.PenaltyChanged;

class ReleasedSchemasTest {

  private static final Path RELEASED_SOURCES = Path.of("src/main/resources/released");
  private static final ReleasedSchemas RELEASED = ReleasedSchemas.fromClasspath();

  @Test
  void everyReleasedVersionIsReadableByTheCurrentSchema() {
    List<String> problems = RELEASED.compatibilityProblems();

    assertTrue(problems.isEmpty(), "Backward-incompatible schema changes:\n" + String.join("\n", problems));
  }

  @Test
  void currentSchemaOfEveryRecordIsItsLatestRelease() {
    List<String> changes = RELEASED.unreleasedChanges();

    assertTrue(changes.isEmpty(), String.join("\n", changes)
        + "\nRelease them with: mvn -q -B -pl schemas compile exec:java");
  }

  @Test
  void everyRecordTypeHasAReleasedVersion() {
    for (RecordType type : RecordType.values()) {
      assertFalse(RELEASED.versions(type).isEmpty(), type.recordName());
    }
  }

  @Test
  void releasedFolderHoldsOnlyNumberedVersionsOfKnownRecordsWithoutGaps() throws IOException {
    List<String> files;
    try (Stream<Path> walk = Files.walk(RELEASED_SOURCES)) {
      files = walk.filter(Files::isRegularFile).map(p -> RELEASED_SOURCES.relativize(p).toString().replace('\\', '/'))
          .collect(Collectors.toList());
    }
    List<String> expected = new ArrayList<>();
    for (SchemaVersion version : RELEASED.all()) {
      expected.add(ReleasedSchemas.fileName(version.type(), version.version()));
    }

    assertEquals(new TreeSet<>(expected), new TreeSet<>(files),
        "every file under released/ must be <Record>/v<n>.avsc of a RecordType, numbered from 1 without gaps");
  }

  @Test
  void fingerprintsOfAllReleasedVersionsAreDistinctAndFindable() {
    for (SchemaVersion version : RELEASED.all()) {
      assertEquals(version, RELEASED.find(version.fingerprint()).orElseThrow());
      assertEquals(version.schema(), RELEASED.findByFingerprint(version.fingerprint()));
    }
  }

  @Test
  void findByFingerprintReturnsNullForAnUnknownFingerprint() {
    assertNull(RELEASED.findByFingerprint(0x0123456789ABCDEFL));
    assertTrue(RELEASED.find(0x0123456789ABCDEFL).isEmpty());
  }

  @Test
  void compatibilityCheckReportsAFieldAddedWithoutDefault() {
    Schema v1 = PenaltyChanged.getClassSchema();
    Schema v2 = withExtraField(v1, "{\"name\": \"reason\", \"type\": \"string\"}");

    List<String> problems = ReleasedSchemas.compatibilityProblems(v2, List.of(SchemaVersion.of(RecordType.PENALTY_CHANGED, 1, v1)));

    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("PenaltyChanged v1 cannot be read by schema PenaltyChanged"), problems.get(0));
    assertTrue(problems.get(0).contains("READER_FIELD_MISSING_DEFAULT_VALUE"), problems.get(0));
  }

  @Test
  void compatibilityCheckReportsAChangedFieldType() {
    Schema v1 = PenaltyChanged.getClassSchema();
    Schema v2 = parse(v1.toString().replace("\"name\":\"lambdaNew\",\"type\":\"double\"", "\"name\":\"lambdaNew\",\"type\":\"string\""));

    List<String> problems = ReleasedSchemas.compatibilityProblems(v2, List.of(SchemaVersion.of(RecordType.PENALTY_CHANGED, 1, v1)));

    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains("TYPE_MISMATCH at /fields/2/type"), problems.get(0));
  }

  @Test
  void compatibilityCheckAcceptsAFieldAddedWithDefault() {
    Schema v1 = PenaltyChanged.getClassSchema();
    Schema v2 = withExtraField(v1, "{\"name\": \"reason\", \"type\": [\"null\", \"string\"], \"default\": null}");

    assertEquals(List.of(), ReleasedSchemas.compatibilityProblems(v2, List.of(SchemaVersion.of(RecordType.PENALTY_CHANGED, 1, v1))));
  }

  @Test
  void codecRefusesReleasedVersionsItCannotRead() {
    Schema current = PenaltyChanged.getClassSchema();
    Schema older = parse(current.toString().replace("\"name\":\"lambdaNew\",\"type\":\"double\"", "\"name\":\"lambdaNew\",\"type\":\"string\""));
    ReleasedSchemas released = ReleasedSchemas.of(Map.of(RecordType.PENALTY_CHANGED, List.of(older, current)));

    IllegalStateException e = assertThrows(IllegalStateException.class, () -> new EventCodec(released));

    assertTrue(e.getMessage().startsWith("Released schemas not readable by the current classes:\n  PenaltyChanged v1 cannot be read"),
        e.getMessage());
  }

  @Test
  void releasingTheSameSchemaTwiceIsRejected() {
    Schema current = PenaltyChanged.getClassSchema();

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ReleasedSchemas.of(Map.of(RecordType.PENALTY_CHANGED, List.of(current, current))));

    assertTrue(e.getMessage().startsWith("PenaltyChanged v2 is identical to PenaltyChanged v1"), e.getMessage());
  }

  @Test
  void aSchemaOfAnotherRecordCannotBeAVersion() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ReleasedSchemas.of(Map.of(RecordType.PENALTY_CHANGED, List.of(RecordType.EPOCH_END.currentSchema()))));

    assertEquals("Schema org.ocsp.schemas.avro.data.EpochEnd cannot be a version of org.ocsp.schemas.avro.event.PenaltyChanged:"
        + " the full names differ", e.getMessage());
  }

  @Test
  void releasedFilesAreLoadedFromADirectoryLikeFromTheClasspath() {
    ReleasedSchemas fromSources = ReleasedSchemas.fromDirectory(RELEASED_SOURCES);

    assertEquals(RELEASED.all(), fromSources.all());
    assertNotNull(fromSources.latest(RecordType.EPOCH_COMPLETED).orElseThrow());
    assertEquals(3, fromSources.latest(RecordType.EPOCH_COMPLETED).orElseThrow().version());
  }

  private static Schema withExtraField(Schema schema, String fieldJson) {
    String json = schema.toString();
    int end = json.lastIndexOf(']');
    return parse(json.substring(0, end) + "," + fieldJson + json.substring(end));
  }

  private static Schema parse(String json) {
    return new Schema.Parser().parse(json);
  }
}
