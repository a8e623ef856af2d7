package org.ocsp.flink.job.run;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ocsp.schemas.EventCodec;
import org.ocsp.schemas.RecordType;
import org.ocsp.schemas.UnreadableRecordException;
import org.ocsp.schemas.avro.event.GroupMask;
import org.ocsp.schemas.avro.event.MaskSnapshot;
import org.ocsp.schemas.avro.event.PenaltyChanged;
import org.ocsp.schemas.avro.event.PruningEvent;
import org.ocsp.flink.job.ControlEvent;

/**
 * Decodes an event read back from the log into the {@link Decision} it carries: the only way the
 * decisions (masks, regularisation start, lambda, t*) reach the trainer, so replaying the log
 * rebuilds them.
 */
public final class LoggedDecisions {
    /** The events that carry a decision; every other event is a record of what happened. */
    public static final java.util.Set<RecordType> DECISIONS = java.util.EnumSet.of(RecordType.MASK_SNAPSHOT,
            RecordType.REGULARIZATION_STARTED, RecordType.PENALTY_CHANGED, RecordType.PRUNING_EVENT);

    private LoggedDecisions() {
    }

    public static Decision decode(ControlEvent e, EventCodec codec) throws UnreadableRecordException {
        switch (e.type) {
            case MASK_SNAPSHOT: {
                MaskSnapshot m = codec.decode(e.value, MaskSnapshot.class);
                return new Decision.Mask(m.getHeader().getEpoch(), kept(m.getGroups()));
            }
            case REGULARIZATION_STARTED:
                return new Decision.RegularizationStarted(e.epoch);
            case PENALTY_CHANGED: {
                PenaltyChanged p = codec.decode(e.value, PenaltyChanged.class);
                return new Decision.Penalty(p.getHeader().getEpoch(), p.getLambdaNew());
            }
            case PRUNING_EVENT: {
                PruningEvent p = codec.decode(e.value, PruningEvent.class);
                return new Decision.Prune(p.getTStar(), kept(p.getFinalMask()));
            }
            default:
                return new Decision.None(); // EpochCompleted, ModelPublished: records of what happened
        }
    }

    private static Map<String, int[]> kept(List<GroupMask> groups) {
        Map<String, int[]> m = new LinkedHashMap<>();
        for (GroupMask g : groups) {
            m.put(g.getGroupId(), g.getKept().stream().mapToInt(Integer::intValue).toArray());
        }
        return m;
    }
}
