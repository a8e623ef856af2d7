package org.ocsp.flink.job;

import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/** Per-run gauges (group {@code run=<id>}): visible in the web UI and through any metrics reporter. */
final class RunMetrics {
    volatile int epoch;
    volatile String phase = "DENSE";
    volatile double loss;
    volatile double accuracy;
    volatile double testAccuracy;
    volatile double imagesPerSecond;
    volatile long flops;
    volatile double lambda;
    volatile double stability;
    volatile long decisionWaitMillis;

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

    static RunMetrics stability(MetricGroup parent, String runId) {
        RunMetrics m = new RunMetrics();
        MetricGroup g = parent.addGroup("run", runId);
        g.gauge("epoch", (Gauge<Integer>) () -> m.epoch);
        g.gauge("phase", (Gauge<String>) () -> m.phase);
        g.gauge("jAvg", (Gauge<Double>) () -> m.stability);
        g.gauge("lambda", (Gauge<Double>) () -> m.lambda);
        return m;
    }
}
