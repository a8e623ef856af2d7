package org.ocsp.flink.job.metrics;

import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/** Per-run gauges (group {@code run=<id>}): visible in the web UI and through any metrics reporter. */
public final class RunMetrics {
    public volatile int epoch;
    public volatile String phase = "DENSE";
    public volatile double loss;
    public volatile double accuracy;
    public volatile double testAccuracy;
    public volatile double imagesPerSecond;
    public volatile long flops;
    public volatile double lambda;
    public volatile double stability;
    public volatile long decisionWaitMillis;
    /** Processing time (ms) since which the run waits for its epoch's decision; 0 when it does not wait. */
    public volatile long waitingSinceMillis;

    static RunMetrics trainer(MetricGroup parent, String runId) {
        RunMetrics m = new RunMetrics();
        MetricGroup g = parent.addGroup("run", runId);
        g.gauge("epoch", (Gauge<Integer>) () -> m.epoch);
        g.gauge("phase", (Gauge<String>) () -> m.phase);
        g.gauge("loss", (Gauge<Double>) () -> m.loss);
        g.gauge("accuracy", (Gauge<Double>) () -> m.accuracy);
        g.gauge("testAccuracy", (Gauge<Double>) () -> m.testAccuracy);
        g.gauge("imagesPerSecond", (Gauge<Double>) () -> m.imagesPerSecond);
        g.gauge("flops", (Gauge<Long>) () -> m.flops);
        g.gauge("lambda", (Gauge<Double>) () -> m.lambda);
        g.gauge("decisionWaitMillis", (Gauge<Long>) () -> m.decisionWaitMillis);
        // How long the run has been waiting for its current decision, 0 when it is not: alert on it.
        g.gauge("decisionWaitingMillis", (Gauge<Long>) () -> m.waitingSinceMillis == 0 ? 0L
                : System.currentTimeMillis() - m.waitingSinceMillis);
        return m;
    }

    public static RunMetrics stability(MetricGroup parent, String runId) {
        RunMetrics m = new RunMetrics();
        MetricGroup g = parent.addGroup("run", runId);
        g.gauge("epoch", (Gauge<Integer>) () -> m.epoch);
        g.gauge("phase", (Gauge<String>) () -> m.phase);
        g.gauge("jAvg", (Gauge<Double>) () -> m.stability);
        g.gauge("lambda", (Gauge<Double>) () -> m.lambda);
        return m;
    }
}
