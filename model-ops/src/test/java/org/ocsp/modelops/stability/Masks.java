package org.ocsp.modelops.stability;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.ocsp.modelops.selection.SubnetworkMask;

/** Hand-made masks and runs for the stability tests. */
final class Masks {
    private Masks() {
    }

    /** A mask with the single group "g". */
    static SubnetworkMask g(int... kept) {
        return SubnetworkMask.builder().put("g", kept).build();
    }

    /** The same single-group mask {0, 1} at every epoch. */
    static SubnetworkMask g1(int t) {
        return g(0, 1);
    }

    /** A mask with groups "a" then "b". */
    static SubnetworkMask ab(int[] a, int[] b) {
        return SubnetworkMask.builder().put("a", a).put("b", b).build();
    }

    static int[] ints(int... values) {
        return values;
    }

    /** {k, k+1, k+2} with k = t / 2: every mask shares 2 of 4 channels with the one two epochs earlier. */
    static SubnetworkMask shifting(int t) {
        int k = t / 2;
        return g(k, k + 1, k + 2);
    }

    /** A, A, B, B, A, A, ... with disjoint A and B: M_t and M_{t-2} never share a channel. */
    static SubnetworkMask neverStable(int t) {
        return (t / 2) % 2 == 0 ? g(0, 1) : g(2, 3);
    }

    /** A supplier that fails the test if the tracker asks for a mask. */
    static Supplier<SubnetworkMask> notExpected(int t) {
        return () -> {
            throw new AssertionError("mask supplier called for epoch " + t);
        };
    }

    /** Steps epochs 0 .. last with masks from {@code masks}. */
    static List<EpochDecision> run(StabilityTracker tracker, int last, IntFunction<SubnetworkMask> masks) {
        List<EpochDecision> decisions = new ArrayList<>();
        for (int t = tracker.nextEpoch(); t <= last; t++) {
            int epoch = t;
            decisions.add(tracker.step(epoch, () -> masks.apply(epoch)));
        }
        return decisions;
    }
}
