package org.ocsp.modelops.saliency;

import java.util.List;
import org.ocsp.modelops.engine.ParameterStore;
import org.ocsp.modelops.group.ChannelGroup;

/**
 * How important each channel of each group is (higher = keep). Pure function of the
 * parameters (and, for gradient-based measures, the last gradients).
 *
 * <pre>{@code
 * GroupScores s = SaliencyKind.L2.measure().scores(groups, params);
 * }</pre>
 */
public interface SaliencyMeasure {
    GroupScores scores(List<ChannelGroup> groups, ParameterStore params);
}
