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
