package org.ocsp.flink.job.run;

import java.util.Map;

/** A decision read back from the event log, decoded ({@link LoggedDecisions}) and applied by {@link RunLifecycle}. */
public sealed interface Decision {
    /** The sub-network selected at the end of epoch {@code epoch - 1}, the mask epoch {@code epoch} trains against. */
    record Mask(int epoch, Map<String, int[]> kept) implements Decision {
    }

    /** The selections agree: the penalty starts at {@code epoch}. */
    record RegularizationStarted(int epoch) implements Decision {
    }

    /** The penalty strength from {@code epoch} on. */
    record Penalty(int epoch, double lambda) implements Decision {
    }

    /** t*: at the end of epoch {@code tStar} the channels outside {@code kept} are removed. */
    record Prune(int tStar, Map<String, int[]> kept) implements Decision {
    }

    /** A record of what happened (EpochCompleted, ModelPublished): no control change. */
    record None() implements Decision {
    }
}
