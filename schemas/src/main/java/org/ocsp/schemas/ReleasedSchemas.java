package org.ocsp.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaParseException;
import org.apache.avro.message.SchemaStore;

/**
 * Every schema version ever released, per record type: the writer schemas a reader must still
 * understand. Old events stay readable forever, so a released version is never changed or removed.
 *
 * <p>Released versions are files {@code released/<Record>/v1.avsc}, {@code v2.avsc}, ... (on the
 * classpath, from {@code schemas/src/main/resources/released}), each a self-contained schema.
 * Versions are read from v1 upwards until the first missing number.
 *
 * <pre>{@code
 * ReleasedSchemas released = ReleasedSchemas.fromClasspath();
 * Schema writer = released.findByFingerprint(fingerprint); // null if never released
 * List<String> problems = released.compatibilityProblems(); // empty when all are readable
 * }</pre>
 *
 * <p>To release a new version, run {@code mvn -q -B -pl schemas compile exec:java}: it writes the
 * next {@code v<n>.avsc} for every record whose schema changed, after checking that the new
 * schema can read all earlier versions.
 */
public final class ReleasedSchemas implements SchemaStore {

  /** Folder of the released schemas, on the classpath and under {@code src/main/resources}. */
  public static final String RELEASED_DIR = "released";

  private final Map<RecordType, List<SchemaVersion>> byType;
  private final Map<Long, SchemaVersion> byFingerprint;

  private ReleasedSchemas(Map<RecordType, List<SchemaVersion>> byType) {
    this.byType = new EnumMap<>(RecordType.class);
    this.byFingerprint = new HashMap<>();
    for (RecordType type : RecordType.values()) {
      List<SchemaVersion> versions = List.copyOf(byType.getOrDefault(type, List.of()));
      for (int i = 0; i < versions.size(); i++) {
        SchemaVersion version = versions.get(i);
        if (version.type() != type || version.version() != i + 1) {
          throw new IllegalArgumentException(
              "Released versions of " + type.recordName() + " must be numbered 1, 2, ... in order; found "
                  + version.label() + " at position " + (i + 1));
        }
        SchemaVersion clash = byFingerprint.putIfAbsent(version.fingerprint(), version);
        if (clash != null) {
          throw new IllegalArgumentException(
              version.label() + " is identical to " + clash.label() + " (fingerprint "
                  + SchemaVersion.hex(version.fingerprint()) + "): a release must change the schema");
        }
      }
      this.byType.put(type, versions);
    }
  }

  /** The released schemas packaged with this module. */
  public static ReleasedSchemas fromClasspath() {
    ClassLoader loader = ReleasedSchemas.class.getClassLoader();
    return load(RELEASED_DIR + " on the classpath", path -> loader.getResourceAsStream(RELEASED_DIR + "/" + path));
  }

  /** The released schemas in a folder laid out as {@code <Record>/v<n>.avsc}. */
  public static ReleasedSchemas fromDirectory(Path dir) {
    return load(dir.toString(), path -> {
      Path file = dir.resolve(path);
      return Files.isRegularFile(file) ? Files.newInputStream(file) : null;
    });
  }

  /** Released schemas given in memory, oldest first per type (v1, v2, ...). */
  public static ReleasedSchemas of(Map<RecordType, List<Schema>> releases) {
    Map<RecordType, List<SchemaVersion>> versions = new EnumMap<>(RecordType.class);
    releases.forEach((type, schemas) -> {
      List<SchemaVersion> list = new ArrayList<>();
      for (Schema schema : schemas) {
        list.add(SchemaVersion.of(type, list.size() + 1, schema));
      }
      versions.put(type, list);
    });
    return new ReleasedSchemas(versions);
  }

  private interface Opener {
    InputStream open(String relativePath) throws IOException;
  }

  private static ReleasedSchemas load(String where, Opener opener) {
    Map<RecordType, List<SchemaVersion>> versions = new EnumMap<>(RecordType.class);
    for (RecordType type : RecordType.values()) {
      List<SchemaVersion> list = new ArrayList<>();
      for (int v = 1; ; v++) {
        String path = fileName(type, v);
        try (InputStream in = opener.open(path)) {
          if (in == null) {
            break;
          }
          list.add(SchemaVersion.of(type, v, new Schema.Parser().parse(in)));
        } catch (IOException | SchemaParseException | IllegalArgumentException e) {
          throw new IllegalStateException("Cannot read released schema " + path + " in " + where + ": " + e.getMessage(), e);
        }
      }
      versions.put(type, list);
    }
    return new ReleasedSchemas(versions);
  }

  /** Relative file of a released version: {@code EpochCompleted/v2.avsc}. */
  public static String fileName(RecordType type, int version) {
    return type.recordName() + "/v" + version + ".avsc";
  }

  /** Released versions of a type, oldest first (v1 at index 0); empty if never released. */
  public List<SchemaVersion> versions(RecordType type) {
    return byType.get(type);
  }

  /** The newest released version of a type. */
  public Optional<SchemaVersion> latest(RecordType type) {
    List<SchemaVersion> versions = byType.get(type);
    return versions.isEmpty() ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
  }

  /** The released version with this single-object fingerprint. */
  public Optional<SchemaVersion> find(long fingerprint) {
    return Optional.ofNullable(byFingerprint.get(fingerprint));
  }

  /** {@link SchemaStore} contract: the released schema with this fingerprint, or null. */
  @Override
  public Schema findByFingerprint(long fingerprint) {
    SchemaVersion version = byFingerprint.get(fingerprint);
    return version == null ? null : version.schema();
  }

  /** All released versions, by type then version. */
  public List<SchemaVersion> all() {
    List<SchemaVersion> all = new ArrayList<>();
    byType.values().forEach(all::addAll);
    return Collections.unmodifiableList(all);
  }

  /**
   * Why the current schemas (the generated classes) cannot read some released version; empty when
   * every released version of every type resolves to its current schema (backward compatibility).
   */
  public List<String> compatibilityProblems() {
    List<String> problems = new ArrayList<>();
    for (RecordType type : RecordType.values()) {
      problems.addAll(compatibilityProblems(type.currentSchema(), byType.get(type)));
    }
    return problems;
  }

  /** Why {@code reader} cannot read some of {@code writers}; empty when it reads all of them. */
  public static List<String> compatibilityProblems(Schema reader, List<SchemaVersion> writers) {
    List<String> problems = new ArrayList<>();
    for (SchemaVersion writer : writers) {
      SchemaCompatibility.SchemaCompatibilityResult result =
          SchemaCompatibility.checkReaderWriterCompatibility(reader, writer.schema()).getResult();
      for (SchemaCompatibility.Incompatibility problem : result.getIncompatibilities()) {
        problems.add(
            writer.label() + " cannot be read by schema " + reader.getName() + " (fingerprint "
                + SchemaVersion.hex(SchemaVersion.fingerprintOf(reader)) + "): " + problem.getType() + " at "
                + problem.getLocation() + ": " + problem.getMessage());
      }
    }
    return problems;
  }

  /**
   * Record types whose current schema is not their latest released version (changed, or never
   * released): events written now would carry a fingerprint no other reader knows.
   */
  public List<String> unreleasedChanges() {
    List<String> changes = new ArrayList<>();
    for (RecordType type : RecordType.values()) {
      long current = SchemaVersion.fingerprintOf(type.currentSchema());
      Optional<SchemaVersion> latest = latest(type);
      if (latest.isEmpty()) {
        changes.add(type.recordName() + " has never been released (current fingerprint " + SchemaVersion.hex(current) + ")");
      } else if (latest.get().fingerprint() != current) {
        changes.add(type.recordName() + " changed since its latest release " + latest.get().label() + " (current fingerprint "
            + SchemaVersion.hex(current) + ", released " + SchemaVersion.hex(latest.get().fingerprint()) + ")");
      }
    }
    return changes;
  }
}
