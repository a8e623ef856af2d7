package org.ocsp.flink.bench;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;

/**
 * Records, per run and epoch, the trainer's {@code decisionWaitMillis} gauge: the time from the end
 * of epoch e-1 until the decision for epoch e had been read back from the event log and applied.
 * The gauge only holds the latest value, so a sampler thread polls it together with the trainer's
 * {@code epoch} gauge (written after the wait, so a new epoch always comes with its own wait).
 *
 * <pre>{@code
 * DecisionWaitRecorder waits = new DecisionWaitRecorder();   // a MetricReporter: hand it to the cluster
 * waits.start();
 * SortedMap<Integer, Long> perEpoch = waits.waits("run-1");  // epoch -> wait before it, ms
 * }</pre>
 */
final class DecisionWaitRecorder implements MetricReporter, AutoCloseable {
    static final String TRAINER_OPERATOR = "trainer";
    /** Epochs last seconds; a finer poll only wakes a thread that competes with the trainer's team. */
    private static final long POLL_MILLIS = 50;

    private final Map<String, Gauge<?>> epochGauges = new ConcurrentHashMap<>();
    private final Map<String, Gauge<?>> waitGauges = new ConcurrentHashMap<>();
    private final Map<String, SortedMap<Integer, Long>> waits = new ConcurrentHashMap<>();
    private final Map<String, Integer> lastEpoch = new ConcurrentHashMap<>();
    private volatile boolean running;
    private Thread sampler;

    @Override
    public void open(MetricConfig config) {
    }

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        Map<String, String> vars = group.getAllVariables();
        String run = vars.get("<run>");
        if (run == null || !TRAINER_OPERATOR.equals(vars.get("<operator_name>")) || !(metric instanceof Gauge)) {
            return;
        }
        if (name.equals("epoch")) {
            epochGauges.put(run, (Gauge<?>) metric);
        } else if (name.equals("decisionWaitMillis")) {
            waitGauges.put(run, (Gauge<?>) metric);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        // kept: a finished run's samples are read after its operator may have gone
    }

    void start() {
        running = true;
        sampler = new Thread(this::sample, "decision-wait-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    private void sample() {
        while (running) {
            for (Map.Entry<String, Gauge<?>> e : epochGauges.entrySet()) {
                Gauge<?> wait = waitGauges.get(e.getKey());
                if (wait == null) {
                    continue;
                }
                int epoch = ((Number) e.getValue().getValue()).intValue();
                long millis = ((Number) wait.getValue()).longValue();
                Integer last = lastEpoch.put(e.getKey(), epoch);
                if (epoch > 0 && (last == null || last != epoch)) {
                    waits.computeIfAbsent(e.getKey(), k -> new TreeMap<>()).put(epoch, millis);
                }
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Epoch -> the wait before it (ms) for every epoch > 0 the sampler saw start. */
    SortedMap<Integer, Long> waits(String runId) {
        return new TreeMap<>(waits.getOrDefault(runId, new TreeMap<>()));
    }

    @Override
    public void close() {
        running = false;
        if (sampler != null) {
            sampler.interrupt();
        }
    }
}
