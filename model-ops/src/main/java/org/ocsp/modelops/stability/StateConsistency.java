package org.ocsp.modelops.stability;

import java.util.List;

/**
 * Checks that a saved {@link StabilityState} is one the tracker could have produced under the given
 * configuration. A checkpoint restored with a changed lag, window or monitorStart would otherwise
 * silently give different decisions than the run it continues.
 */
final class StateConsistency {
    private StateConsistency() {
    }

    static void check(StabilityConfig config, StabilityState state) {
        int next = state.nextEpoch();
        if (config.jaccardAveraging() == JaccardAveraging.WEIGHTED && state.groupWidths().isEmpty()) {
            fail("jaccardAveraging=WEIGHTED needs the original width of every group, but none were given");
        }
        boolean adaptive = config.stabilityRules() == StabilityRules.ADAPTIVE;
        if (adaptive && state.groupWidths().isEmpty()) {
            fail("stability-rules=ADAPTIVE needs the original width of every group (churn counts the channels a mask "
                    + "removes), but none were given");
        }
        boolean penalised = state.regularizationStart().isPresent() && state.pruneEvent().isEmpty();
        if (state.adaptivePenalty().isPresent() && !(adaptive && penalised)) {
            fail("an adaptive penalty is kept only under stability-rules=ADAPTIVE between the start of regularisation "
                    + "and t*" + (adaptive ? "" : " (was the state written with the ADAPTIVE rules?)"));
        }
        if (adaptive && penalised && state.adaptivePenalty().isEmpty()) {
            fail("regularisation started under stability-rules=ADAPTIVE keeps its adaptive penalty, but the state has "
                    + "none (was it written with the REFERENCE rules?)");
        }
        if (state.lastDecision().isPresent() != next > 0
                || state.lastDecision().filter(d -> d.epoch() != next - 1).isPresent()) {
            fail("the last decision must be for epoch " + (next - 1) + " (nextEpoch " + next + "), got "
                    + state.lastDecision().map(d -> "epoch " + d.epoch()).orElse("none"));
        }
        if (state.pruneEvent().isPresent()) {
            int tStar = state.pruneEvent().get().epoch();
            if (tStar >= next || tStar < config.monitorStart()) {
                fail("prune epoch " + tStar + " must be in [monitorStart " + config.monitorStart() + ", nextEpoch " + next + ")");
            }
            if (!state.recentMasks().isEmpty() || !state.recentSimilarities().isEmpty()
                    || !state.recentStabilityScores().isEmpty()) {
                fail("a pruned run keeps no masks, similarities or stability scores");
            }
        } else {
            long monitored = Math.max(0L, (long) next - config.monitorStart());
            requireSize("masks", state.recentMasks(), Math.min(config.lag(), monitored));
            requireSize("similarities", state.recentSimilarities(), Math.min(config.window(), monitored));
            requireSize("stability scores", state.recentStabilityScores(),
                    Math.min(RegularizationSchedule.AUTOMATIC_PLATEAU_DISTANCE, monitored));
            List<RecordedMask> masks = state.recentMasks();
            for (int i = 0; i < masks.size(); i++) {
                long expected = (long) next - masks.size() + i;
                if (masks.get(i).epoch() != expected) {
                    fail("mask " + i + " is for epoch " + masks.get(i).epoch() + ", expected epoch " + expected);
                }
            }
        }
        if (state.regularizationStart().isPresent()) {
            int r = state.regularizationStart().getAsInt();
            if (r < config.monitorStart() || r >= next) {
                fail("regularization start " + r + " must be in [monitorStart " + config.monitorStart() + ", nextEpoch "
                        + next + ")");
            }
        }
    }

    private static void requireSize(String what, List<?> values, long expected) {
        if (values.size() != expected) {
            fail("expected " + expected + " recent " + what + " but found " + values.size()
                    + " (was the state written with a different monitorStart, lag or window?)");
        }
    }

    private static void fail(String reason) {
        throw new IllegalArgumentException("Stability state does not fit the configuration: " + reason);
    }
}
