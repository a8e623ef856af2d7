package org.ocsp.flink.job;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ocsp.schemas.EventCodec;
import org.ocsp.schemas.RecordType;
import org.ocsp.schemas.UnreadableRecordException;
import org.ocsp.schemas.avro.event.GroupMask;
import org.ocsp.schemas.avro.event.MaskSnapshot;
import org.ocsp.schemas.avro.event.PenaltyChanged;
import org.ocsp.schemas.avro.event.PruningEvent;

/**
 * Applies an event read back from the log to a run's control state: the only way the decisions
 * (masks, regularisation start, lambda, t*) reach the trainer, so replaying the log rebuilds them.
 */
final class LoggedDecisions {
    private LoggedDecisions() {
    }

    static void apply(RunControl c, ControlEvent e, EventCodec codec) throws UnreadableRecordException {
        RecordType type = e.type;
        switch (type) {
            case MASK_SNAPSHOT: {
                MaskSnapshot m = codec.decode(e.value, MaskSnapshot.class);
                c.masks.put(m.getHeader().getEpoch(), kept(m.getGroups()));
                break;
            }
            case REGULARIZATION_STARTED:
                c.regularizationStart = Optional.of(e.epoch);
                break;
            case PENALTY_CHANGED: {
                PenaltyChanged p = codec.decode(e.value, PenaltyChanged.class);
                c.lambdas.put(p.getHeader().getEpoch(), p.getLambdaNew());
                break;
            }
            case PRUNING_EVENT: {
                PruningEvent p = codec.decode(e.value, PruningEvent.class);
                c.pruneEpoch = Optional.of(p.getTStar());
                c.pruneMask = kept(p.getFinalMask());
                break;
            }
            default:
                break; // EpochCompleted, ModelPublished: records of what happened, no control change
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
