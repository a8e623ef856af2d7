package org.ocsp.flink.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.ocsp.flink.chain.EventSignature;
import org.ocsp.schemas.EventCodec;
import org.ocsp.schemas.UnreadableRecordException;

/**
 * A run's events exported to an Avro object container file, for archiving and offline audits.
 *
 * <pre>{@code
 * EventArchive.write(Path.of("run-50.events.avro"), log);
 * RunLog again = EventArchive.reader(Path.of("run-50.events.avro")).load("run-50");
 * }</pre>
 *
 * <p>Format: one container record per event, in log order, with the schema {@link #SCHEMA}
 * ({@code org.ocsp.flink.audit.ArchivedEvent}): the event's exact single-object bytes as they were on
 * the topic ({@code event}: marker C3 01, CRC-64-AVRO fingerprint of the writer schema, Avro
 * body), plus its run id, sequence number, record type and, when it was read from Kafka, topic,
 * partition and offset, its Kafka key, and the job's signature of it with the signing key's id
 * (format v2; v1 files, without the last three, are still read). Keeping the original bytes keeps the schema fingerprint and any old schema
 * version, so the file stays readable with {@link EventCodec} for as long as the log itself. The
 * file metadata holds {@code ocsp.format} ({@value #FORMAT}), {@code ocsp.runId} and
 * {@code ocsp.exportedAt} (ISO-8601). Blocks are deflate-compressed.
 */
public final class EventArchive implements EventSource {
    public static final String FORMAT = "ocsp-event-archive-v2";
    /** The first format: no signatures and keys; still read. */
    static final String FORMAT_V1 = "ocsp-event-archive-v1";
    public static final Schema SCHEMA = SchemaBuilder.record("ArchivedEvent").namespace("org.ocsp.flink.audit")
            .doc("One event of a run's log, exported from the events topic.")
            .fields()
            .name("runId").doc("Run id (header.runId).").type().stringType().noDefault()
            .name("sequence").doc("header.sequence of the event.").type().longType().noDefault()
            .name("type").doc("Record type name, e.g. MaskSnapshot.").type().stringType().noDefault()
            .name("topic").doc("Kafka topic the event was read from; null if not read from Kafka.").type().optional().stringType()
            .name("partition").doc("Kafka partition; null if not read from Kafka.").type().optional().intType()
            .name("offset").doc("Kafka offset; null if not read from Kafka.").type().optional().longType()
            .name("event").doc("The event's single-object encoded bytes, unchanged.").type().bytesType().noDefault()
            .name("key").doc("Kafka key of the record (UTF-8); null if not read from Kafka.").type().optional().stringType()
            .name("signature").doc("The job's Ed25519 signature of `event`, from the record's ocsp.signature header; "
                    + "null if unsigned.").type().optional().bytesType()
            .name("signingKeyId").doc("Id of the key that made `signature`.").type().optional().stringType()
            .endRecord();

    private final Path file;
    private final EventCodec codec;

    private EventArchive(Path file, EventCodec codec) {
        this.file = file;
        this.codec = codec;
    }

    public static EventArchive reader(Path file) {
        return new EventArchive(file, EventCodec.create());
    }

    /** Reads a run from whichever of the files holds its events (each file one export, files in the given order). */
    public static EventSource readers(List<Path> files) {
        List<EventArchive> archives = files.stream().map(EventArchive::reader).toList();
        if (archives.size() == 1) {
            return archives.get(0);
        }
        return runId -> {
            List<LoggedEvent> events = new ArrayList<>();
            for (EventArchive a : archives) {
                for (LoggedEvent e : a.readAll()) {
                    if (e.runId().equals(runId)) {
                        events.add(e);
                    }
                }
            }
            if (events.isEmpty()) {
                throw new NoSuchRunException(runId, "no events in " + files);
            }
            return RunLog.of(runId, events);
        };
    }

    /** Writes the run's events in log order (atomically: a temp file, then a rename). */
    public static void write(Path file, RunLog log) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataFileWriter<GenericRecord> writer = new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(SCHEMA))) {
            writer.setCodec(CodecFactory.deflateCodec(6));
            writer.setMeta("ocsp.format", FORMAT);
            writer.setMeta("ocsp.runId", log.runId());
            writer.setMeta("ocsp.exportedAt", Instant.now().toString());
            writer.create(SCHEMA, tmp.toFile());
            for (LoggedEvent e : log.inLogOrder()) {
                GenericRecord r = new GenericData.Record(SCHEMA);
                r.put("runId", e.runId());
                r.put("sequence", e.sequence());
                r.put("type", e.type().recordName());
                r.put("topic", e.position().map(LoggedEvent.LogPosition::topic).orElse(null));
                r.put("partition", e.position().map(LoggedEvent.LogPosition::partition).orElse(null));
                r.put("offset", e.position().map(LoggedEvent.LogPosition::offset).orElse(null));
                r.put("event", ByteBuffer.wrap(e.bytes()));
                r.put("key", e.key().orElse(null));
                r.put("signature", e.signature().map(x -> ByteBuffer.wrap(x.signature())).orElse(null));
                r.put("signingKeyId", e.signature().map(EventSignature::keyId).orElse(null));
                writer.append(r);
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Events of {@code runId} in the file, in file order. */
    @Override
    public RunLog load(String runId) throws IOException {
        List<LoggedEvent> events = new ArrayList<>();
        for (LoggedEvent e : readAll()) {
            if (e.runId().equals(runId)) {
                events.add(e);
            }
        }
        if (events.isEmpty()) {
            throw new NoSuchRunException(runId, "no events in " + file);
        }
        return RunLog.of(runId, events);
    }

    /** The run id stored in the file's metadata. */
    public String runId() throws IOException {
        try (DataFileReader<GenericRecord> reader = open()) {
            return reader.getMetaString("ocsp.runId");
        }
    }

    /** Every event in the file, in file order. */
    public List<LoggedEvent> readAll() throws IOException {
        List<LoggedEvent> events = new ArrayList<>();
        try (DataFileReader<GenericRecord> reader = open()) {
            long index = 0;
            for (GenericRecord r : reader) {
                ByteBuffer buf = (ByteBuffer) r.get("event");
                byte[] bytes = new byte[buf.remaining()];
                buf.get(bytes);
                SpecificRecord record;
                try {
                    record = codec.decode(bytes);
                } catch (UnreadableRecordException e) {
                    throw new IOException(file + ": record " + index + " (sequence " + r.get("sequence") + ") is not a "
                            + "readable event: " + e.getMessage(), e);
                }
                Optional<LoggedEvent.LogPosition> position = r.get("topic") == null ? Optional.empty()
                        : Optional.of(new LoggedEvent.LogPosition(r.get("topic").toString(), (Integer) r.get("partition"),
                        (Long) r.get("offset")));
                Optional<EventSignature> signature = Optional.empty();
                if (r.get("signature") != null && r.get("signingKeyId") != null) {
                    ByteBuffer sig = (ByteBuffer) r.get("signature");
                    byte[] s = new byte[sig.remaining()];
                    sig.get(s);
                    signature = Optional.of(new EventSignature(r.get("signingKeyId").toString(), s));
                }
                events.add(LoggedEvent.of(record, bytes, position, signature,
                        Optional.ofNullable(r.get("key")).map(Object::toString)));
                index++;
            }
        }
        return events;
    }

    private DataFileReader<GenericRecord> open() throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("No event archive at " + file);
        }
        DataFileReader<GenericRecord> reader = new DataFileReader<>(file.toFile(), new GenericDatumReader<>(SCHEMA));
        String format = reader.getMetaString("ocsp.format");
        if (!FORMAT.equals(format) && !FORMAT_V1.equals(format)) {
            reader.close();
            throw new IOException(file + " is not an event archive (ocsp.format " + format + ", expected " + FORMAT + ")");
        }
        return reader;
    }
}
