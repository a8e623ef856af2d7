package org.ocsp.schemas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.ocsp.schemas.UnreadableRecordException.Reason;
import org.ocsp.schemas.avro.data.EpochEnd;
import org.ocsp.schemas.avro.data.TrainingBatch;
import org.ocsp.schemas.avro.event.EventHeader;
import org.ocsp.schemas.avro.event.PenaltyChanged;
import org.ocsp.schemas.avro.event.PruningEvent;

class EventCodecTest {

  private static final EventCodec CODEC = EventCodec.create();

  @ParameterizedTest
  @EnumSource(RecordType.class)
  void roundTripReturnsAnEqualRecordOfTheSameClass(RecordType type) throws Exception {
    SpecificRecord record = SampleRecords.sample(type);

    byte[] bytes = CODEC.encode(record);

    SpecificRecord decoded = CODEC.decode(bytes);
    assertEquals(type.recordClass(), decoded.getClass());
    assertEquals(record, decoded);
    assertEquals(record, CODEC.decode(bytes, type.recordClass()));
    assertEquals(type, CODEC.typeOf(bytes));
  }

  @ParameterizedTest
  @EnumSource(RecordType.class)
  void encodedRecordStartsWithMarkerC301AndTheCurrentSchemaFingerprint(RecordType type) {
    byte[] bytes = CODEC.encode(SampleRecords.sample(type));

    assertEquals((byte) 0xC3, bytes[0]);
    assertEquals((byte) 0x01, bytes[1]);
    long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    assertEquals(SchemaVersion.fingerprintOf(type.currentSchema()), fingerprint);
  }

  @ParameterizedTest
  @EnumSource(RecordType.class)
  void encodingEqualsTheGeneratedClassSingleObjectEncoding(RecordType type) throws Exception {
    SpecificRecord record = SampleRecords.sample(type);

    ByteBuffer generated = (ByteBuffer) record.getClass().getMethod("toByteBuffer").invoke(record);
    byte[] expected = new byte[generated.remaining()];
    generated.get(expected);

    byte[] bytes = CODEC.encode(record);
    assertArrayEquals(expected, bytes);
    Object viaGenerated =
        record.getClass().getMethod("fromByteBuffer", ByteBuffer.class).invoke(null, ByteBuffer.wrap(bytes));
    assertEquals(record, viaGenerated);
  }

  @Test
  void trainingBatchKeepsFeatureBytesExactly() throws Exception {
    TrainingBatch batch = SampleRecords.trainingBatch();
    byte[] features = new byte[batch.getFeatures().remaining()];
    batch.getFeatures().duplicate().get(features);

    TrainingBatch decoded = CODEC.decode(CODEC.encode(batch), TrainingBatch.class);

    byte[] decodedFeatures = new byte[decoded.getFeatures().remaining()];
    decoded.getFeatures().duplicate().get(decodedFeatures);
    assertArrayEquals(features, decodedFeatures);
    assertEquals(32, decodedFeatures.length);
  }

  @Test
  void typedDecodeOfAnotherRecordTypeFailsWithUnexpectedType() {
    byte[] bytes = CODEC.encode(SampleRecords.sample(RecordType.PENALTY_CHANGED));

    UnreadableRecordException e =
        assertThrows(UnreadableRecordException.class, () -> CODEC.decode(bytes, PruningEvent.class));

    assertEquals(Reason.UNEXPECTED_TYPE, e.reason());
    assertEquals("Expected a PruningEvent but the bytes hold PenaltyChanged v2", e.getMessage());
    assertEquals(SchemaVersion.fingerprintOf(PenaltyChanged.getClassSchema()), e.fingerprint().getAsLong());
  }

  @Test
  void typedDecodeIntoANestedRecordClassIsAProgrammingError() {
    byte[] bytes = CODEC.encode(SampleRecords.sample(RecordType.PENALTY_CHANGED));

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CODEC.decode(bytes, EventHeader.class));

    assertTrue(e.getMessage().contains(EventHeader.class.getName()), e.getMessage());
  }

  @Test
  void encodeRejectsARecordThatIsNotTopLevel() {
    EventHeader header = SampleRecords.header(1, "trainer");

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CODEC.encode(header));

    assertTrue(e.getMessage().startsWith("Not a top-level record type: " + EventHeader.class.getName()), e.getMessage());
  }

  @Test
  void encodeRejectsARecordWithANullRequiredField() {
    PenaltyChanged incomplete = new PenaltyChanged();
    incomplete.setLambdaOld(0.0);
    incomplete.setLambdaNew(1e-4);

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CODEC.encode(incomplete));

    assertTrue(e.getMessage().startsWith("Cannot encode PenaltyChanged: "), e.getMessage());
  }

  static Stream<Arguments> bytesWithoutSingleObjectHeader() {
    return Stream.of(
        Arguments.of("null", null, "No bytes (null value)"),
        Arguments.of("empty", new byte[0], "No bytes (empty value)"),
        Arguments.of("json", "{\"a\":1}".getBytes(StandardCharsets.UTF_8),
            "Not Avro single-object encoding: starts with 7B 22 61 22 ..., expected marker C3 01"),
        Arguments.of("wrong second marker byte", new byte[] {(byte) 0xC3, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0},
            "Not Avro single-object encoding: starts with C3 02 00 00 ..., expected marker C3 01"),
        Arguments.of("one marker byte", new byte[] {(byte) 0xC3},
            "Truncated single-object header: 1 bytes, the header alone takes 10"),
        Arguments.of("marker and half a fingerprint", new byte[] {(byte) 0xC3, 0x01, 1, 2, 3, 4},
            "Truncated single-object header: 6 bytes, the header alone takes 10"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bytesWithoutSingleObjectHeader")
  void bytesWithoutSingleObjectHeaderFailWithNotSingleObject(String name, byte[] bytes, String message) {
    UnreadableRecordException e = assertThrows(UnreadableRecordException.class, () -> CODEC.decode(bytes));

    assertEquals(Reason.NOT_SINGLE_OBJECT, e.reason());
    assertEquals(message, e.getMessage());
    assertTrue(e.fingerprint().isEmpty());
  }

  @Test
  void unknownFingerprintFailsWithUnknownSchemaNamingTheFingerprint() {
    byte[] bytes = CODEC.encode(SampleRecords.sample(RecordType.EPOCH_END));
    byte[] fingerprint = {0x01, 0x23, 0x45, 0x67, (byte) 0x89, (byte) 0xAB, (byte) 0xCD, (byte) 0xEF};
    System.arraycopy(fingerprint, 0, bytes, 2, 8);

    UnreadableRecordException e = assertThrows(UnreadableRecordException.class, () -> CODEC.decode(bytes));

    assertEquals(Reason.UNKNOWN_SCHEMA, e.reason());
    assertEquals(0xEFCDAB8967452301L, e.fingerprint().getAsLong());
    assertTrue(e.getMessage().startsWith("Unknown schema fingerprint 0xefcdab8967452301: not a released version"),
        e.getMessage());
    assertThrows(UnreadableRecordException.class, () -> CODEC.typeOf(bytes));
  }

  @ParameterizedTest
  @EnumSource(RecordType.class)
  void everyTruncationOfARecordFailsWithUnreadableRecordException(RecordType type) {
    byte[] bytes = CODEC.encode(SampleRecords.sample(type));

    for (int length = 0; length < bytes.length; length++) {
      byte[] truncated = Arrays.copyOf(bytes, length);
      UnreadableRecordException e =
          assertThrows(UnreadableRecordException.class, () -> CODEC.decode(truncated), "length " + length);
      Reason expected = length < EventCodec.HEADER_LENGTH ? Reason.NOT_SINGLE_OBJECT : Reason.MALFORMED_BODY;
      assertEquals(expected, e.reason(), "length " + length + ": " + e.getMessage());
    }
  }

  @Test
  void truncatedBodyMessageNamesTheRecordVersion() {
    byte[] bytes = CODEC.encode(SampleRecords.sample(RecordType.PRUNING_EVENT));
    byte[] truncated = Arrays.copyOf(bytes, bytes.length - 3);

    UnreadableRecordException e = assertThrows(UnreadableRecordException.class, () -> CODEC.decode(truncated));

    assertEquals(Reason.MALFORMED_BODY, e.reason());
    assertTrue(e.getMessage().startsWith("Cannot decode the " + (truncated.length - 10) + "-byte body of PruningEvent v3: "),
        e.getMessage());
  }

  @Test
  void trailingBytesAfterTheBodyFailWithMalformedBody() {
    byte[] bytes = CODEC.encode(SampleRecords.sample(RecordType.EPOCH_END));
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 2);

    UnreadableRecordException e = assertThrows(UnreadableRecordException.class, () -> CODEC.decode(longer));

    assertEquals(Reason.MALFORMED_BODY, e.reason());
    assertTrue(e.getMessage().startsWith("2 trailing bytes after the EpochEnd v1 body"), e.getMessage());
  }

  @Test
  void stringLengthBeyondTheRecordFailsWithoutAllocatingIt() throws IOException {
    // EpochEnd body starting with a 1 GiB datasetName length: Avro alone would allocate it first.
    byte[] bytes = withHeader(EpochEnd.getClassSchema(), encoder -> {
      encoder.writeLong(1L << 30);
      encoder.writeFixed(new byte[] {'c', 'i', 'f', 'a', 'r'});
    });

    UnreadableRecordException e = assertThrows(UnreadableRecordException.class, () -> CODEC.decode(bytes));

    assertEquals(Reason.MALFORMED_BODY, e.reason());
    assertTrue(e.getMessage().contains("string length 1073741824 exceeds the 5 bytes left in the record"), e.getMessage());
  }

  @Test
  void arrayCountBeyondTheRecordFailsWithoutAllocatingIt() throws IOException {
    // TrainingBatch up to its shape array, which claims 2^20 items.
    byte[] bytes = withHeader(TrainingBatch.getClassSchema(), encoder -> {
      encoder.writeString("cifar10");
      encoder.writeLong(42L);
      encoder.writeInt(3);
      encoder.writeEnum(0);
      encoder.writeInt(5);
      encoder.writeIndex(0);
      encoder.writeLong(1L << 20);
      encoder.writeInt(2);
    });

    UnreadableRecordException e = assertThrows(UnreadableRecordException.class, () -> CODEC.decode(bytes));

    assertEquals(Reason.MALFORMED_BODY, e.reason());
    assertTrue(e.getMessage().contains("array block of 1048576 items cannot fit in the 1 bytes left"), e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(RecordType.class)
  void corruptedBodiesEitherDecodeOrFailWithUnreadableRecordException(RecordType type) {
    byte[] valid = CODEC.encode(SampleRecords.sample(type));
    Random random = new Random(type.ordinal() * 7919L + 1);
    for (int trial = 0; trial < 500; trial++) {
      byte[] corrupted = valid.clone();
      int flips = 1 + random.nextInt(3);
      for (int i = 0; i < flips; i++) {
        int position = EventCodec.HEADER_LENGTH + random.nextInt(corrupted.length - EventCodec.HEADER_LENGTH);
        corrupted[position] = (byte) random.nextInt(256);
      }
      decodeOrUnreadable(corrupted, "trial " + trial);
    }
    for (int trial = 0; trial < 200; trial++) {
      byte[] noise = new byte[random.nextInt(64)];
      random.nextBytes(noise);
      byte[] headerAndNoise = Arrays.copyOf(valid, EventCodec.HEADER_LENGTH + noise.length);
      System.arraycopy(noise, 0, headerAndNoise, EventCodec.HEADER_LENGTH, noise.length);
      decodeOrUnreadable(headerAndNoise, "noise " + trial);
    }
  }

  @Test
  void randomGarbageFailsWithUnreadableRecordException() {
    Random random = new Random(99);
    for (int trial = 0; trial < 1000; trial++) {
      byte[] garbage = new byte[random.nextInt(200)];
      random.nextBytes(garbage);
      UnreadableRecordException e =
          assertThrows(UnreadableRecordException.class, () -> CODEC.decode(garbage), "trial " + trial);
      assertTrue(e.reason() == Reason.NOT_SINGLE_OBJECT || e.reason() == Reason.UNKNOWN_SCHEMA, e.getMessage());
    }
  }

  private static void decodeOrUnreadable(byte[] bytes, String what) {
    try {
      CODEC.decode(bytes);
    } catch (UnreadableRecordException e) {
      assertEquals(Reason.MALFORMED_BODY, e.reason(), what + ": " + e.getMessage());
    } catch (Throwable t) {
      fail(what + ": expected UnreadableRecordException, got " + t, t);
    }
  }

  interface BodyWriter {
    void write(BinaryEncoder encoder) throws IOException;
  }

  private static byte[] withHeader(org.apache.avro.Schema schema, BodyWriter body) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(EventCodec.MARKER);
    out.write(ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN)
        .putLong(SchemaVersion.fingerprintOf(schema)).array());
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    body.write(encoder);
    encoder.flush();
    return out.toByteArray();
  }

  @Test
  void decodedRecordIsAnInstanceOfTheGeneratedClass() throws Exception {
    SpecificRecord decoded = CODEC.decode(CODEC.encode(SampleRecords.sample(RecordType.PRUNING_EVENT)));

    PruningEvent event = assertInstanceOf(PruningEvent.class, decoded);
    assertEquals(40, event.getTStar());
  }
}
