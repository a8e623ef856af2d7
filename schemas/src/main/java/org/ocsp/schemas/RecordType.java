package org.ocsp.schemas;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.ocsp.schemas.avro.control.RunStopRequested;
import org.ocsp.schemas.avro.data.EpochEnd;
import org.ocsp.schemas.avro.data.TrainingBatch;
import org.ocsp.schemas.avro.deadletter.DeadLetter;
import org.ocsp.schemas.avro.event.EpochCompleted;
import org.ocsp.schemas.avro.event.EventHeader;
import org.ocsp.schemas.avro.event.MaskSnapshot;
import org.ocsp.schemas.avro.event.ModelPublished;
import org.ocsp.schemas.avro.event.PenaltyChanged;
import org.ocsp.schemas.avro.event.PruningEvent;
import org.ocsp.schemas.avro.event.RegularizationStarted;
import org.ocsp.schemas.avro.event.RunFailed;
import org.ocsp.schemas.avro.event.RunRejected;
import org.ocsp.schemas.avro.event.RunStarted;

/**
 * Every top-level record that travels on a Kafka topic, with its generated class and current
 * schema. Only these can be encoded and decoded by {@link EventCodec}; nested records (such as
 * {@link EventHeader}) travel inside them.
 *
 * <pre>{@code
 * switch (RecordType.of(record)) {
 *   case PRUNING_EVENT: ...
 * }
 * }</pre>
 */
public enum RecordType {
  TRAINING_BATCH(TrainingBatch.class, TrainingBatch.getClassSchema()),
  EPOCH_END(EpochEnd.class, EpochEnd.getClassSchema()),
  RUN_STARTED(RunStarted.class, RunStarted.getClassSchema()),
  EPOCH_COMPLETED(EpochCompleted.class, EpochCompleted.getClassSchema()),
  MASK_SNAPSHOT(MaskSnapshot.class, MaskSnapshot.getClassSchema()),
  REGULARIZATION_STARTED(RegularizationStarted.class, RegularizationStarted.getClassSchema()),
  PENALTY_CHANGED(PenaltyChanged.class, PenaltyChanged.getClassSchema()),
  PRUNING_EVENT(PruningEvent.class, PruningEvent.getClassSchema()),
  MODEL_PUBLISHED(ModelPublished.class, ModelPublished.getClassSchema()),
  RUN_FAILED(RunFailed.class, RunFailed.getClassSchema()),
  RUN_REJECTED(RunRejected.class, RunRejected.getClassSchema()),
  RUN_STOP_REQUESTED(RunStopRequested.class, RunStopRequested.getClassSchema()),
  DEAD_LETTER(DeadLetter.class, DeadLetter.getClassSchema());

  /** Name of the field that holds the {@link EventHeader} in every event record. */
  public static final String HEADER_FIELD = "header";

  private final Class<? extends SpecificRecord> recordClass;
  private final Schema currentSchema;

  RecordType(Class<? extends SpecificRecord> recordClass, Schema currentSchema) {
    this.recordClass = recordClass;
    this.currentSchema = currentSchema;
  }

  /** The generated class of this record. */
  public Class<? extends SpecificRecord> recordClass() {
    return recordClass;
  }

  /** The schema the generated class was built from (the reader schema of this version). */
  public Schema currentSchema() {
    return currentSchema;
  }

  /** Simple name of the record, e.g. {@code EpochCompleted}; names its folder of released schemas. */
  public String recordName() {
    return currentSchema.getName();
  }

  /** Whether the record is an event of the run log (it carries an {@link EventHeader}). */
  public boolean isEvent() {
    return currentSchema.getField(HEADER_FIELD) != null;
  }

  /** The type of a generated class, if it is one of the top-level records. */
  public static Optional<RecordType> forClass(Class<?> recordClass) {
    for (RecordType type : values()) {
      if (type.recordClass.equals(recordClass)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }

  /**
   * The type of a record.
   *
   * @throws IllegalArgumentException if the record is not one of the top-level records
   */
  public static RecordType of(SpecificRecord record) {
    return forClass(record.getClass())
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "Not a top-level record type: "
                        + record.getClass().getName()
                        + "; known types: "
                        + Arrays.stream(values())
                            .map(RecordType::recordName)
                            .collect(Collectors.joining(", "))));
  }

  /** The header of an event record; empty for records that are not events. */
  public static Optional<EventHeader> headerOf(SpecificRecord record) {
    Schema.Field field = record.getSchema().getField(HEADER_FIELD);
    if (field == null) {
      return Optional.empty();
    }
    return Optional.ofNullable((EventHeader) record.get(field.pos()));
  }
}
