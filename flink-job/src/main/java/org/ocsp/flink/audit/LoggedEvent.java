package org.ocsp.flink.audit;

import java.util.Objects;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.ocsp.flink.chain.EventSignature;
import org.ocsp.schemas.RecordType;
import org.ocsp.schemas.avro.event.EventHeader;

/**
 * One event of a run's log: the decoded record, its header, the exact single-object bytes as they
 * were on the topic, and where it was read from (when it came from Kafka or an export of it).
 *
 * <pre>{@code
 * LoggedEvent e = LoggedEvent.decode(codec, bytes, Optional.of(new LogPosition("ocsp.events", 0, 42)));
 * e.sequence(); e.type(); e.as(MaskSnapshot.class);
 * }</pre>
 *
 * @param type the record type (always an event type)
 * @param record the decoded event, resolved to the current schema
 * @param header the event's header
 * @param bytes the single-object encoded bytes (a copy is kept; never modified)
 * @param position the Kafka position the event was read from, if known
 * @param signature the job's signature of {@code bytes}, if the event was signed
 * @param key the record's Kafka key as read (UTF-8), if known; the run id unless someone wrote the
 *     event under another key
 */
public record LoggedEvent(RecordType type, SpecificRecord record, EventHeader header, byte[] bytes,
                          Optional<LogPosition> position, Optional<EventSignature> signature, Optional<String> key) {

    /** Where an event was read from. */
    public record LogPosition(String topic, int partition, long offset) {
        public LogPosition {
            Objects.requireNonNull(topic, "topic");
        }

        @Override
        public String toString() {
            return topic + "-" + partition + "@" + offset;
        }
    }

    public LoggedEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(signature, "signature");
        Objects.requireNonNull(key, "key");
        if (!type.isEvent()) {
            throw new IllegalArgumentException("Not an event of the run log: " + type.recordName());
        }
    }

    /** Wraps a decoded event read without signature or key. */
    public static LoggedEvent of(SpecificRecord record, byte[] bytes, Optional<LogPosition> position) {
        return of(record, bytes, position, Optional.empty(), Optional.empty());
    }

    /** Wraps a decoded event with what was read next to it. */
    public static LoggedEvent of(SpecificRecord record, byte[] bytes, Optional<LogPosition> position,
                                 Optional<EventSignature> signature, Optional<String> key) {
        RecordType type = RecordType.of(record);
        EventHeader header = RecordType.headerOf(record).orElseThrow(
                () -> new IllegalArgumentException("Not an event of the run log: " + type.recordName()));
        return new LoggedEvent(type, record, header, bytes, position, signature, key);
    }

    /** The same event carrying another signature (an archive keeps what the topic had). */
    public LoggedEvent withSignature(Optional<EventSignature> s) {
        return new LoggedEvent(type, record, header, bytes, position, s, key);
    }

    public long sequence() {
        return header.getSequence();
    }

    public int epoch() {
        return header.getEpoch();
    }

    public String runId() {
        return header.getRunId();
    }

    public String eventId() {
        return String.valueOf(header.getEventId());
    }

    /** The record as its generated class. */
    public <T extends SpecificRecord> T as(Class<T> cls) {
        if (!cls.isInstance(record)) {
            throw new IllegalStateException("Event " + describe() + " is not a " + cls.getSimpleName());
        }
        return cls.cast(record);
    }

    /** Short description for messages: "MaskSnapshot #7 (epoch 3)". */
    public String describe() {
        return type.recordName() + " #" + sequence() + " (epoch " + epoch() + ")";
    }

    @Override
    public String toString() {
        return describe() + position.map(p -> " at " + p).orElse("");
    }
}
