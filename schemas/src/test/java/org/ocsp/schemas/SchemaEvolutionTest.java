package org.ocsp.schemas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.ocsp.schemas.UnreadableRecordException.Reason;
import org.ocsp.schemas.avro.event.EpochCompleted;

/** Records written with older schema versions stay readable by the current classes. */
class SchemaEvolutionTest {

  private static final ReleasedSchemas RELEASED = ReleasedSchemas.fromClasspath();

  @Test
  void epochCompletedWrittenWithReleasedV1IsReadWithTheV2FieldDefaulted() throws Exception {
    Schema v1 = RELEASED.versions(RecordType.EPOCH_COMPLETED).get(0).schema();
    assertNull(v1.getField("testLoss"), "v1 predates testLoss");
    assertNotEquals(SchemaVersion.fingerprintOf(EpochCompleted.getClassSchema()), SchemaVersion.fingerprintOf(v1));

    GenericRecord header = new GenericData.Record(v1.getField("header").schema());
    header.put("eventId", "123e4567-e89b-12d3-a456-426614174000");
    header.put("runId", "run-7");
    header.put("sequence", 17L);
    header.put("epoch", 7);
    header.put("step", 7 * 391L);
    header.put("eventTime", SampleRecords.TIME.toEpochMilli());
    header.put("producer", "trainer");
    header.put("configHash", "5d41402abc4b2a76b9719d911017c592");
    header.put("consumedOffsets", null);
    header.put("checkpointId", 31L);
    GenericRecord old = new GenericData.Record(v1);
    old.put("header", header);
    old.put("datasetEpoch", 9);
    old.put("trainLoss", 0.71);
    old.put("trainAccuracy", 0.75);
    old.put("testAccuracy", 0.72);
    old.put("learningRate", 0.0991);
    old.put("flops", 127_120_000L);
    old.put("params", 853_018L);
    old.put("imagesPerSecond", 181.5);
    old.put("durationMillis", 275_000L);
    byte[] bytes = singleObject(v1, old);
    ByteBuffer avro = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(old);
    byte[] avroBytes = new byte[avro.remaining()];
    avro.get(avroBytes);
    assertArrayEquals(avroBytes, bytes, "hand-written header equals Avro's single-object encoding");

    EpochCompleted decoded = EventCodec.create().decode(bytes, EpochCompleted.class);

    EpochCompleted expected = EpochCompleted.newBuilder(SampleRecords.epochCompleted()).setTestLoss(null).build();
    expected.getHeader().setConsumedOffsets(null);
    assertEquals(expected, decoded);
    assertNull(decoded.getTestLoss());
  }

  @Test
  void olderVersionIsUnreadableByACodecThatDoesNotKnowItsRelease() throws Exception {
    Schema v1 = RELEASED.versions(RecordType.EPOCH_COMPLETED).get(0).schema();
    byte[] bytes = singleObject(v1, project(SampleRecords.epochCompleted(), v1));
    EventCodec withoutReleases = new EventCodec(ReleasedSchemas.of(Map.of()));

    UnreadableRecordException e =
        assertThrows(UnreadableRecordException.class, () -> withoutReleases.decode(bytes));

    assertEquals(Reason.UNKNOWN_SCHEMA, e.reason());
    assertEquals(SchemaVersion.fingerprintOf(v1), e.fingerprint().getAsLong());
  }

  @ParameterizedTest
  @EnumSource(RecordType.class)
  void everyReleasedVersionDecodesIntoTheCurrentClass(RecordType type) throws Exception {
    EventCodec codec = EventCodec.create();
    SpecificRecord sample = SampleRecords.sample(type);
    for (SchemaVersion version : RELEASED.versions(type)) {
      byte[] bytes = singleObject(version.schema(), project(sample, version.schema()));

      SpecificRecord decoded = codec.decode(bytes, type.recordClass());

      for (Schema.Field field : type.currentSchema().getFields()) {
        Object expected = version.schema().getField(field.name()) != null
            ? sample.get(field.pos())
            : SpecificData.getForClass(type.recordClass()).getDefaultValue(field);
        assertEquals(expected, decoded.get(field.pos()), version.label() + " field " + field.name());
      }
    }
  }

  static Stream<RecordType> typesWithTopLevelDefaults() {
    return Arrays.stream(RecordType.values())
        .filter(type -> type.currentSchema().getFields().stream().anyMatch(Schema.Field::hasDefaultValue));
  }

  @ParameterizedTest
  @MethodSource("typesWithTopLevelDefaults")
  void everyTopLevelFieldWithADefaultMayBeMissingFromTheWriter(RecordType type) throws Exception {
    Schema current = type.currentSchema();
    List<Schema.Field> kept = new ArrayList<>();
    for (Schema.Field field : current.getFields()) {
      if (!field.hasDefaultValue()) {
        kept.add(new Schema.Field(field, field.schema()));
      }
    }
    Schema writer = Schema.createRecord(current.getName(), "writer without defaulted fields", current.getNamespace(),
        false, kept);
    EventCodec codec = new EventCodec(ReleasedSchemas.of(Map.of(type, List.of(writer))));
    SpecificRecord sample = SampleRecords.sample(type);

    SpecificRecord decoded = codec.decode(singleObject(writer, project(sample, writer)), type.recordClass());

    for (Schema.Field field : current.getFields()) {
      Object expected = field.hasDefaultValue()
          ? SpecificData.getForClass(type.recordClass()).getDefaultValue(field)
          : sample.get(field.pos());
      assertEquals(expected, decoded.get(field.pos()), field.name());
    }
  }

  /** The sample as a generic record of an older (or reduced) schema, via Avro's own resolution. */
  private static GenericRecord project(SpecificRecord record, Schema writer) throws IOException {
    byte[] current = EventCodec.create().encode(record);
    GenericDatumReader<GenericRecord> reader =
        new GenericDatumReader<>(record.getSchema(), writer, GenericData.get());
    return reader.read(null, DecoderFactory.get().binaryDecoder(current, 10, current.length - 10, null));
  }

  /** Single-object encoding by hand: C3 01, little-endian fingerprint, GenericDatumWriter body. */
  private static byte[] singleObject(Schema writer, GenericRecord record) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0xC3);
    out.write(0x01);
    out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(SchemaVersion.fingerprintOf(writer)).array());
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(writer, GenericData.get()).write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }
}
