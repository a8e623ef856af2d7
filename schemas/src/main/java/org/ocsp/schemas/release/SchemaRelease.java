package org.ocsp.schemas.release;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParser;
import org.ocsp.schemas.RecordType;
import org.ocsp.schemas.ReleasedSchemas;
import org.ocsp.schemas.SchemaVersion;

/**
 * Releases the current schemas: for every record type whose schema in {@code src/main/avro}
 * differs from its latest released version, writes the next {@code released/<Record>/v<n>.avsc}
 * (self-contained, nested types inlined). Nothing is written if any new schema cannot read every
 * earlier version of its record.
 *
 * <pre>{@code
 * mvn -q -B -pl schemas compile exec:java     # arguments: the avro source dir and the released dir
 * }</pre>
 */
public final class SchemaRelease {

  private final Path avroSourceDir;
  private final Path releasedDir;

  public SchemaRelease(Path avroSourceDir, Path releasedDir) {
    this.avroSourceDir = avroSourceDir;
    this.releasedDir = releasedDir;
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      throw new IllegalArgumentException("Usage: SchemaRelease <avro source dir> <released dir>");
    }
    List<Path> written = new SchemaRelease(Path.of(args[0]), Path.of(args[1])).release();
    System.out.println(written.isEmpty() ? "All schemas already released." : "Released: " + written);
  }

  /**
   * Writes the next version of every changed record.
   *
   * @return the files written, empty when nothing changed
   * @throws IllegalStateException if a changed schema is not backward compatible with its released
   *     versions, or the generated classes are older than the source schemas
   */
  public List<Path> release() throws IOException {
    Map<String, Schema> sources = parseSources();
    ReleasedSchemas released = Files.isDirectory(releasedDir)
        ? ReleasedSchemas.fromDirectory(releasedDir)
        : ReleasedSchemas.of(Map.of());
    List<String> problems = new ArrayList<>();
    Map<Path, Schema> toWrite = new HashMap<>();
    for (RecordType type : RecordType.values()) {
      Schema source = sources.get(type.currentSchema().getFullName());
      if (source == null) {
        problems.add("No schema " + type.currentSchema().getFullName() + " in " + avroSourceDir);
        continue;
      }
      long fingerprint = SchemaVersion.fingerprintOf(source);
      if (fingerprint != SchemaVersion.fingerprintOf(type.currentSchema())) {
        problems.add("The generated class of " + type.recordName() + " is older than " + avroSourceDir
            + ": compile first (mvn -pl schemas compile)");
        continue;
      }
      Optional<SchemaVersion> latest = released.latest(type);
      if (latest.isPresent() && latest.get().fingerprint() == fingerprint) {
        continue;
      }
      List<String> incompatible = ReleasedSchemas.compatibilityProblems(source, released.versions(type));
      problems.addAll(incompatible);
      int next = released.versions(type).size() + 1;
      toWrite.put(releasedDir.resolve(ReleasedSchemas.fileName(type, next)), source);
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException("Nothing released:\n  " + String.join("\n  ", problems));
    }
    List<Path> written = new ArrayList<>();
    for (Map.Entry<Path, Schema> entry : toWrite.entrySet()) {
      Files.createDirectories(entry.getKey().getParent());
      Files.writeString(entry.getKey(), entry.getValue().toString(true) + "\n", StandardCharsets.UTF_8);
      written.add(entry.getKey());
    }
    written.sort(null);
    return written;
  }

  private Map<String, Schema> parseSources() throws IOException {
    SchemaParser parser = new SchemaParser();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(avroSourceDir)) {
      files = walk.filter(p -> p.toString().endsWith(".avsc")).sorted().collect(Collectors.toList());
    }
    for (Path file : files) {
      parser.parse(file);
    }
    return parser.getParsedNamedSchemas().stream().collect(Collectors.toMap(Schema::getFullName, s -> s));
  }
}
