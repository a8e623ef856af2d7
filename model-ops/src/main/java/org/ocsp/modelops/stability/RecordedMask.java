package org.ocsp.modelops.stability;

import java.util.Objects;
import org.ocsp.modelops.selection.SubnetworkMask;

/**
 * A candidate sub-network M_t together with the epoch t it was computed for.
 *
 * <pre>{@code
 * RecordedMask r = new RecordedMask(4, mask);
 * }</pre>
 */
public record RecordedMask(int epoch, SubnetworkMask mask) {
    public RecordedMask {
        if (epoch < 0) {
            throw new IllegalArgumentException("Invalid epoch " + epoch + " for recorded mask: must be >= 0");
        }
        Objects.requireNonNull(mask, "mask");
    }
}
