package org.ocsp.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ocsp.schemas.avro.event.EventHeader;

class RecordTypeTest {

  private static final Set<RecordType> NOT_EVENTS =
      EnumSet.of(RecordType.TRAINING_BATCH, RecordType.EPOCH_END, RecordType.DEAD_LETTER, RecordType.RUN_STOP_REQUESTED);

  @ParameterizedTest
  @EnumSource(RecordType.class)
  void everyEventStartsWithTheEventHeader(RecordType type) {
    assertEquals(!NOT_EVENTS.contains(type), type.isEvent());
    if (type.isEvent()) {
      Schema.Field header = type.currentSchema().getFields().get(0);
      assertEquals(RecordType.HEADER_FIELD, header.name());
      assertEquals(EventHeader.getClassSchema(), header.schema());
    }
  }

  @ParameterizedTest
  @EnumSource(RecordType.class)
  void headerOfReturnsTheHeaderOfEventsOnly(RecordType type) {
    Optional<EventHeader> header = RecordType.headerOf(SampleRecords.sample(type));

    assertEquals(type.isEvent(), header.isPresent());
    header.ifPresent(h -> assertEquals("run-7", h.getRunId()));
  }

  @ParameterizedTest
  @EnumSource(RecordType.class)
  void ofFindsTheTypeOfARecord(RecordType type) {
    assertEquals(type, RecordType.of(SampleRecords.sample(type)));
  }

  @Test
  void everyNamedTypeAndFieldIsDocumented() {
    List<String> undocumented = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (RecordType type : RecordType.values()) {
      collectUndocumented(type.currentSchema(), seen, undocumented);
    }

    assertEquals(List.of(), undocumented);
  }

  private static void collectUndocumented(Schema schema, Set<String> seen, List<String> undocumented) {
    switch (schema.getType()) {
      case RECORD:
        if (!seen.add(schema.getFullName())) {
          return;
        }
        if (isBlank(schema.getDoc())) {
          undocumented.add(schema.getFullName());
        }
        for (Schema.Field field : schema.getFields()) {
          if (isBlank(field.doc())) {
            undocumented.add(schema.getFullName() + "." + field.name());
          }
          collectUndocumented(field.schema(), seen, undocumented);
        }
        break;
      case ENUM:
        if (seen.add(schema.getFullName()) && isBlank(schema.getDoc())) {
          undocumented.add(schema.getFullName());
        }
        break;
      case ARRAY:
        collectUndocumented(schema.getElementType(), seen, undocumented);
        break;
      case UNION:
        schema.getTypes().forEach(branch -> collectUndocumented(branch, seen, undocumented));
        break;
      default:
        break;
    }
  }

  private static boolean isBlank(String doc) {
    return doc == null || doc.isBlank();
  }

  @Test
  void everyRecordTypeHasItsOwnClassAndName() {
    Set<Class<?>> classes = new HashSet<>();
    Set<String> names = new HashSet<>();
    for (RecordType type : RecordType.values()) {
      assertTrue(classes.add(type.recordClass()), type.toString());
      assertTrue(names.add(type.recordName()), type.toString());
      assertEquals(type.recordClass().getSimpleName(), type.recordName());
    }
  }
}
