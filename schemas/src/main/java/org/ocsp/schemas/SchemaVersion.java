package org.ocsp.schemas;

import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * One released version of a record's schema.
 *
 * @param type the record type
 * @param version 1-based version number (file {@code released/<Record>/v<version>.avsc})
 * @param schema the writer schema of that version, self-contained
 * @param fingerprint CRC-64-AVRO fingerprint of the schema's parsing canonical form, as written in
 *     the single-object header
 */
public record SchemaVersion(RecordType type, int version, Schema schema, long fingerprint) {

  public SchemaVersion {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(schema, "schema");
    if (version < 1) {
      throw new IllegalArgumentException("Invalid version " + version + " of " + type.recordName() + ": must be >= 1");
    }
    if (!schema.getFullName().equals(type.currentSchema().getFullName())) {
      throw new IllegalArgumentException(
          "Schema " + schema.getFullName() + " cannot be a version of " + type.currentSchema().getFullName()
              + ": the full names differ");
    }
    long expected = fingerprintOf(schema);
    if (fingerprint != expected) {
      throw new IllegalArgumentException(
          "Fingerprint " + hex(fingerprint) + " does not match schema " + type.recordName() + " v" + version
              + " (" + hex(expected) + ")");
    }
  }

  /** A version with its fingerprint computed from the schema. */
  public static SchemaVersion of(RecordType type, int version, Schema schema) {
    return new SchemaVersion(type, version, schema, fingerprintOf(schema));
  }

  /** CRC-64-AVRO fingerprint of a schema's parsing canonical form (what single-object encoding writes). */
  public static long fingerprintOf(Schema schema) {
    return SchemaNormalization.parsingFingerprint64(schema);
  }

  /** A fingerprint as 16 hex digits, e.g. {@code 0x3b1f...}. */
  public static String hex(long fingerprint) {
    return String.format("0x%016x", fingerprint);
  }

  /** For messages: {@code EpochCompleted v2}. */
  public String label() {
    return type.recordName() + " v" + version;
  }
}
