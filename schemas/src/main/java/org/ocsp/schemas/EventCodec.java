package org.ocsp.schemas;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.ocsp.schemas.UnreadableRecordException.Reason;

/**
 * Encodes the top-level records ({@link RecordType}) as Avro single-object encoding and decodes
 * any released version of them back into the current generated classes.
 *
 * <pre>{@code
 * EventCodec codec = EventCodec.create();               // current classes + released/ schemas
 * byte[] value = codec.encode(pruningEvent);           // C3 01, 8-byte fingerprint, Avro body
 *
 * try {
 *   SpecificRecord any = codec.decode(value);           // dispatch on the fingerprint
 *   PruningEvent event = codec.decode(value, PruningEvent.class);
 *   RecordType type = codec.typeOf(value);             // header only, no body decoding
 * } catch (UnreadableRecordException e) {
 *   // bad input, not a bug: send value to the dead-letter topic with e.getMessage()
 * }
 * }</pre>
 *
 * <p>Format: two marker bytes {@code C3 01}, the CRC-64-AVRO fingerprint of the writer schema's
 * parsing canonical form (8 bytes, little-endian), then the Avro binary body. Encoding uses Avro's
 * {@link BinaryMessageEncoder}, so the bytes are those of the generated {@code toByteBuffer()}.
 * Decoding looks the fingerprint up among the released versions ({@link ReleasedSchemas}) and the
 * current schemas, then resolves the writer version to the current class (new fields get their
 * defaults). It reads the body itself rather than through {@code BinaryMessageDecoder} so that a
 * corrupted length prefix fails as {@link UnreadableRecordException} instead of allocating up to
 * 2 GB, and so that trailing bytes are rejected.
 *
 * <p>Thread-safe; create one per JVM (or per operator) and share it.
 */
public final class EventCodec {

  /** First two bytes of every single-object encoded record. */
  public static final byte[] MARKER = {(byte) 0xC3, (byte) 0x01};

  /** Marker plus fingerprint. */
  public static final int HEADER_LENGTH = 10;

  private final Map<RecordType, BinaryMessageEncoder<SpecificRecord>> encoders = new EnumMap<>(RecordType.class);
  private final Map<Long, Reader> readers = new HashMap<>();

  /** A writer version and the datum reader that resolves it to the current class. */
  private static final class Reader {
    final RecordType type;
    final String label;
    final SpecificDatumReader<SpecificRecord> datumReader;

    Reader(RecordType type, String label, Schema writer) {
      this.type = type;
      this.label = label;
      SpecificData model = SpecificData.getForClass(type.recordClass());
      this.datumReader = new SpecificDatumReader<>(writer, type.currentSchema(), model);
    }
  }

  /**
   * A codec for the current schemas that reads every given released version.
   *
   * @throws IllegalStateException if a current schema cannot read some released version
   */
  public EventCodec(ReleasedSchemas released) {
    List<String> problems = released.compatibilityProblems();
    if (!problems.isEmpty()) {
      throw new IllegalStateException(
          "Released schemas not readable by the current classes:\n  " + String.join("\n  ", problems));
    }
    for (SchemaVersion version : released.all()) {
      readers.put(version.fingerprint(), new Reader(version.type(), version.label(), version.schema()));
    }
    for (RecordType type : RecordType.values()) {
      Schema current = type.currentSchema();
      SpecificData model = SpecificData.getForClass(type.recordClass());
      encoders.put(type, new BinaryMessageEncoder<>(model, current));
      readers.putIfAbsent(SchemaVersion.fingerprintOf(current), new Reader(type, type.recordName() + " (unreleased)", current));
    }
  }

  /** A codec reading the released schemas packaged with this module. */
  public static EventCodec create() {
    return new EventCodec(ReleasedSchemas.fromClasspath());
  }

  /**
   * Single-object encoding of a record with its current schema.
   *
   * @throws IllegalArgumentException if the record is not a top-level type or is not valid for its
   *     schema (for example a required field is null)
   */
  public byte[] encode(SpecificRecord record) {
    RecordType type = RecordType.of(record);
    try {
      ByteBuffer buffer = encoders.get(type).encode(record);
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return bytes;
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("Cannot encode " + type.recordName() + ": " + e.getMessage(), e);
    }
  }

  /** The record type the bytes hold, from the header alone. */
  public RecordType typeOf(byte[] bytes) throws UnreadableRecordException {
    return readerFor(bytes).type;
  }

  /** Decodes any top-level record; its class is chosen by the fingerprint in the header. */
  public SpecificRecord decode(byte[] bytes) throws UnreadableRecordException {
    return decodeBody(bytes, readerFor(bytes));
  }

  /**
   * Decodes a record of an expected type.
   *
   * @throws UnreadableRecordException with {@link Reason#UNEXPECTED_TYPE} if the bytes hold another
   *     record type
   */
  public <T extends SpecificRecord> T decode(byte[] bytes, Class<T> type) throws UnreadableRecordException {
    RecordType expected =
        RecordType.forClass(type)
            .orElseThrow(() -> new IllegalArgumentException("Not a top-level record type: " + type.getName()));
    Reader reader = readerFor(bytes);
    if (reader.type != expected) {
      throw new UnreadableRecordException(
          Reason.UNEXPECTED_TYPE,
          fingerprint(bytes),
          "Expected a " + expected.recordName() + " but the bytes hold " + reader.label,
          null);
    }
    return type.cast(decodeBody(bytes, reader));
  }

  private Reader readerFor(byte[] bytes) throws UnreadableRecordException {
    if (bytes == null || bytes.length == 0) {
      throw new UnreadableRecordException(
          Reason.NOT_SINGLE_OBJECT, null, "No bytes (" + (bytes == null ? "null" : "empty") + " value)", null);
    }
    int markerBytes = Math.min(bytes.length, MARKER.length);
    for (int i = 0; i < markerBytes; i++) {
      if (bytes[i] != MARKER[i]) {
        throw new UnreadableRecordException(
            Reason.NOT_SINGLE_OBJECT,
            null,
            String.format(
                "Not Avro single-object encoding: starts with %s, expected marker C3 01", hexPrefix(bytes)),
            null);
      }
    }
    if (bytes.length < HEADER_LENGTH) {
      throw new UnreadableRecordException(
          Reason.NOT_SINGLE_OBJECT,
          null,
          "Truncated single-object header: " + bytes.length + " bytes, the header alone takes " + HEADER_LENGTH,
          null);
    }
    long fingerprint = fingerprint(bytes);
    Reader reader = readers.get(fingerprint);
    if (reader == null) {
      throw new UnreadableRecordException(
          Reason.UNKNOWN_SCHEMA,
          fingerprint,
          "Unknown schema fingerprint " + SchemaVersion.hex(fingerprint)
              + ": not a released version of any record type (written by a newer producer? release the schema and"
              + " upgrade this reader)",
          null);
    }
    return reader;
  }

  private static SpecificRecord decodeBody(byte[] bytes, Reader reader) throws UnreadableRecordException {
    int bodyLength = bytes.length - HEADER_LENGTH;
    BoundedDecoder decoder = new BoundedDecoder(bytes, HEADER_LENGTH, bodyLength);
    SpecificRecord record;
    try {
      record = reader.datumReader.read(null, decoder);
    } catch (IOException | RuntimeException e) {
      // Any failure here comes from the bytes (EOF, bad union index, invalid UUID, ...), never from the reader.
      throw new UnreadableRecordException(
          Reason.MALFORMED_BODY,
          fingerprint(bytes),
          "Cannot decode the " + bodyLength + "-byte body of " + reader.label + ": " + e.getClass().getSimpleName()
              + ": " + e.getMessage(),
          e);
    }
    if (decoder.remaining() != 0) {
      throw new UnreadableRecordException(
          Reason.MALFORMED_BODY,
          fingerprint(bytes),
          decoder.remaining() + " trailing bytes after the " + reader.label + " body (" + bodyLength
              + " bytes): the body does not match its schema",
          null);
    }
    return record;
  }

  /** The header's fingerprint (little-endian); the caller has checked the length. */
  private static long fingerprint(byte[] bytes) {
    long value = 0;
    for (int i = HEADER_LENGTH - 1; i >= MARKER.length; i--) {
      value = (value << 8) | (bytes[i] & 0xFFL);
    }
    return value;
  }

  private static String hexPrefix(byte[] bytes) {
    List<String> hex = new ArrayList<>();
    for (int i = 0; i < Math.min(bytes.length, 4); i++) {
      hex.add(String.format("%02X", bytes[i]));
    }
    return (hex.isEmpty() ? "(empty)" : String.join(" ", hex)) + (bytes.length > 4 ? " ..." : "");
  }
}
