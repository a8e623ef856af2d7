package org.ocsp.flink.bench;

import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.runtime.metrics.MetricRegistryConfiguration;
import org.apache.flink.runtime.metrics.MetricRegistryImpl;
import org.apache.flink.runtime.metrics.ReporterSetup;
import org.apache.flink.runtime.metrics.filter.ReporterFilter;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;

/**
 * A mini-cluster whose metric registry reports to a reporter object of ours. Flink otherwise
 * instantiates reporters itself from class names (service-loaded factories), which would leave the
 * bench no handle on the instance that sees the gauges.
 *
 * <pre>{@code
 * try (MiniCluster cluster = new MeteredMiniCluster(config, reporter)) {
 *     cluster.start();
 * }
 * }</pre>
 */
final class MeteredMiniCluster extends MiniCluster {
    private final MetricReporter reporter;

    MeteredMiniCluster(MiniClusterConfiguration config, MetricReporter reporter) {
        super(config);
        this.reporter = reporter;
    }

    @Override
    protected MetricRegistryImpl createMetricRegistry(Configuration config, long maximumMessageSizeInBytes) {
        return new MetricRegistryImpl(MetricRegistryConfiguration.fromConfiguration(config, maximumMessageSizeInBytes),
                List.of(new ReporterSetup("bench", new MetricConfig(), reporter, ReporterFilter.getNoOpFilter(), Map.of())));
    }
}
