package org.ocsp.flink.audit;

import java.io.IOException;

/**
 * Where a run's events are read from: the events topic ({@link KafkaEventSource}) or an export of
 * it ({@link EventArchive}).
 *
 * <pre>{@code
 * EventSource source = EventArchive.reader(Path.of("run-50.events.avro"));
 * RunLog log = source.load("run-50");
 * }</pre>
 */
public interface EventSource {
    /**
     * Every event of the run, in log order.
     *
     * @throws NoSuchRunException if the source holds no event of the run
     * @throws IOException if the source cannot be read, or holds an event that cannot be decoded
     */
    RunLog load(String runId) throws IOException;
}
