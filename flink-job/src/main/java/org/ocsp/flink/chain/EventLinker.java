package org.ocsp.flink.chain;

import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.ocsp.schemas.EventCodec;
import org.ocsp.schemas.RecordType;
import org.ocsp.schemas.avro.event.EventHeader;

/**
 * Appends an event to its run's chain: names the chain head as the event's
 * {@code header.previousHash}, encodes it, and signs the bytes when a key is given. The caller
 * keeps the head ({@link Linked#hash()} of the last event; the stability operator in keyed state).
 *
 * <pre>{@code
 * EventLinker linker = new EventLinker(EventCodec.create(), Optional.of(key));
 * Linked l = linker.link(event, head);   // head: hash of the previous event, null if none
 * head = l.hash();
 * }</pre>
 */
public final class EventLinker {
    private final EventCodec codec;
    private final Optional<SigningKey> key;

    public EventLinker(EventCodec codec, Optional<SigningKey> key) {
        this.codec = codec;
        this.key = key;
    }

    /** An event as it goes on the log: its bytes, their hash (the new chain head) and its signature. */
    public record Linked(byte[] bytes, String hash, Optional<EventSignature> signature) {
    }

    /** @param previousHash the chain head; null for a run whose chain has not started (restored from before it) */
    public Linked link(SpecificRecord event, String previousHash) {
        EventHeader h = RecordType.headerOf(event).orElseThrow(() -> new IllegalArgumentException(
                "Not an event of the run log: " + event.getSchema().getName()));
        h.setPreviousHash(previousHash);
        byte[] bytes = codec.encode(event);
        return new Linked(bytes, EventChain.hash(bytes), key.map(k -> k.sign(bytes)));
    }
}
