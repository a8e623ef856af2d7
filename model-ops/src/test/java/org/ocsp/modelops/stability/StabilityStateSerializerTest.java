package org.ocsp.modelops.stability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ocsp.modelops.stability.Masks.ab;
import static org.ocsp.modelops.stability.Masks.ints;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ocsp.modelops.selection.SubnetworkMask;

class StabilityStateSerializerTest {
    private static final int LAST_EPOCH = 13;

    /** Two groups; settles after a few epochs, so a run passes DENSE, MONITORING, REGULARIZING, PRUNED. */
    private static SubnetworkMask settling(int t) {
        int k = Math.min(t, 6) / 2;
        return ab(ints(k, k + 1, k + 2), t < 5 ? ints(t % 3) : ints(0, 2));
    }

    private static Map<String, Integer> widths() {
        Map<String, Integer> w = new LinkedHashMap<>();
        w.put("a", 8);
        w.put("b", 3);
        return w;
    }

    static Stream<Arguments> runs() {
        StabilityConfig fixed = StabilityConfig.builder().optRegularizationStart(RegularizationStartMode.FIXED)
                .optSlStart(2).optLambdaInterval(2).build();
        StabilityConfig automaticWeighted = StabilityConfig.builder().optJaccardAveraging(JaccardAveraging.WEIGHTED)
                .optMonitorStart(1).optLag(1).optWindow(4).build();
        StabilityConfig hardCap = StabilityConfig.builder().optHardCap(7).build();
        return Stream.of(
                Arguments.of("fixed", fixed, (IntFunction<SubnetworkMask>) StabilityStateSerializerTest::settling),
                Arguments.of("automatic-weighted", automaticWeighted,
                        (IntFunction<SubnetworkMask>) StabilityStateSerializerTest::settling),
                Arguments.of("hard-cap", hardCap, (IntFunction<SubnetworkMask>) t -> ab(
                        Masks.neverStable(t).kept("g"), ints(0))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void everySnapshotSurvivesARoundTrip(String name, StabilityConfig config, IntFunction<SubnetworkMask> masks)
            throws Exception {
        StabilityTracker tracker = StabilityTracker.start(config, widths());
        Set<Phase> seen = EnumSet.noneOf(Phase.class);
        for (int t = 0; t <= LAST_EPOCH; t++) {
            int epoch = t;
            seen.add(tracker.step(epoch, () -> masks.apply(epoch)).phase());
            StabilityState state = tracker.snapshot();
            byte[] bytes = StabilityStateSerializer.toBytes(state);
            StabilityState read = StabilityStateSerializer.fromBytes(bytes);
            assertEquals(state, read, "epoch " + t);
            assertEquals(List.copyOf(state.groupWidths().keySet()), List.copyOf(read.groupWidths().keySet()));
            assertArrayEquals(bytes, StabilityStateSerializer.toBytes(read), "bytes are deterministic");
        }
        assertTrue(seen.contains(Phase.PRUNED), name + " reached " + seen);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void restoringAtAnyEpochGivesTheSameDecisionsAsAnUninterruptedRun(String name, StabilityConfig config,
            IntFunction<SubnetworkMask> masks) throws Exception {
        List<EpochDecision> uninterrupted = Masks.run(StabilityTracker.start(config, widths()), LAST_EPOCH, masks);
        for (int split = 0; split <= LAST_EPOCH; split++) {
            StabilityTracker first = StabilityTracker.start(config, widths());
            List<EpochDecision> decisions = new ArrayList<>(Masks.run(first, split - 1, masks));
            byte[] checkpoint = StabilityStateSerializer.toBytes(first.snapshot());
            StabilityTracker restored = StabilityTracker.restore(config, StabilityStateSerializer.fromBytes(checkpoint));
            assertEquals(first.lastDecision(), restored.lastDecision());
            decisions.addAll(Masks.run(restored, LAST_EPOCH, masks));
            assertEquals(uninterrupted, decisions, name + ", restored before epoch " + split);
        }
    }

    @Test
    void unknownFormatVersionIsRejected() {
        byte[] bytes = StabilityStateSerializer.toBytes(StabilityState.initial(Map.of()));
        ByteBuffer.wrap(bytes).putInt(0, 99);
        StabilityStateFormatException e = assertThrows(StabilityStateFormatException.class,
                () -> StabilityStateSerializer.fromBytes(bytes));
        assertEquals("Unsupported stability state format version 99: this build reads versions 1 to 2", e.getMessage());
    }

    @Test
    void truncatedInputIsRejected() {
        StabilityTracker tracker = StabilityTracker.start(StabilityConfig.defaults());
        Masks.run(tracker, 4, Masks::g1);
        byte[] bytes = StabilityStateSerializer.toBytes(tracker.snapshot());
        StabilityStateFormatException e = assertThrows(StabilityStateFormatException.class,
                () -> StabilityStateSerializer.fromBytes(Arrays.copyOf(bytes, bytes.length - 3)));
        assertEquals("Truncated stability state: input ended early", e.getMessage());
    }

    @Test
    void trailingBytesAreRejected() {
        byte[] bytes = StabilityStateSerializer.toBytes(StabilityState.initial(Map.of()));
        StabilityStateFormatException e = assertThrows(StabilityStateFormatException.class,
                () -> StabilityStateSerializer.fromBytes(Arrays.copyOf(bytes, bytes.length + 2)));
        assertEquals("Corrupt stability state: 2 unexpected bytes after the end of the state", e.getMessage());
    }

    @Test
    void negativeCountIsRejected() {
        byte[] bytes = StabilityStateSerializer.toBytes(StabilityState.initial(Map.of()));
        ByteBuffer.wrap(bytes).putInt(8, -5); // version, nextEpoch, then the group-width count
        StabilityStateFormatException e = assertThrows(StabilityStateFormatException.class,
                () -> StabilityStateSerializer.fromBytes(bytes));
        assertEquals("Corrupt stability state: invalid count -5 of group widths", e.getMessage());
    }

    @Test
    void restoreRejectsStateWrittenWithAnotherWindow() {
        StabilityTracker tracker = StabilityTracker.start(StabilityConfig.defaults());
        Masks.run(tracker, 5, Masks::g1);
        StabilityConfig otherWindow = StabilityConfig.builder().optWindow(5).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StabilityTracker.restore(otherWindow, tracker.snapshot()));
        assertEquals("Stability state does not fit the configuration: expected 4 recent similarities but found 3 "
                + "(was the state written with a different monitorStart, lag or window?)", e.getMessage());
    }
}
