package org.ocsp.modelops.stability;

import java.util.Objects;
import org.ocsp.modelops.selection.SubnetworkMask;

/**
 * The outcome of the sub-network search: t*, why it was chosen, and the frozen mask M_{t*}.
 * Kept in the tracker state after pruning so that a job restored after t* still knows what was cut.
 *
 * <pre>{@code
 * tracker.pruneEvent().ifPresent(e -> surgery.prune(model, e.mask()));
 * }</pre>
 */
public record PruneEvent(int epoch, PruneReason reason, SubnetworkMask mask) {
    public PruneEvent {
        if (epoch < 0) {
            throw new IllegalArgumentException("Invalid prune epoch " + epoch + ": must be >= 0");
        }
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(mask, "mask");
    }
}
