package org.ocsp.modelops.stability;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.ocsp.modelops.selection.SubnetworkMask;

/**
 * Versioned binary format of {@link StabilityState}. Every record starts with an int format version;
 * readers reject versions they do not know instead of misreading them. Enums are written by name
 * and maps in their iteration order, so equal states give identical bytes.
 *
 * <pre>{@code
 * byte[] bytes = StabilityStateSerializer.toBytes(tracker.snapshot());
 * StabilityState state = StabilityStateSerializer.fromBytes(bytes);
 * }</pre>
 *
 * Version 1 layout: version, nextEpoch, widths (count, then id and width), masks (count, then epoch
 * and mask), similarities (count, doubles), stability scores (count, doubles), optional
 * regularization start, optional last decision, optional prune event (epoch, reason, mask).
 * An optional value is a boolean followed by the value when true. A mask is a group count, then per
 * group its id, kept count and kept indices.
 *
 * <p>Version 2 (ADAPTIVE rules) is version 1 with two additions: the last decision ends with three
 * optional doubles (churn, removal weight ratio, planned ratio), and the state ends with the
 * optional adaptive penalty (start ratio, lambda). A state without any of these (every REFERENCE
 * state) is still written as version 1, byte for byte as before, so REFERENCE checkpoints are
 * unchanged and stay readable by builds that know version 1 only. Both versions are read.
 */
public final class StabilityStateSerializer {
    /** The newest version this build writes (for states with ADAPTIVE data; others are written as {@link #V1}). */
    public static final int CURRENT_VERSION = 2;
    /** The format of states without ADAPTIVE data; every REFERENCE state. */
    public static final int V1 = 1;
    // Bounds a corrupt count before it becomes a huge allocation; far above any real group or history.
    private static final int MAX_COUNT = 1 << 24;

    private StabilityStateSerializer() {
    }

    public static byte[] toBytes(StabilityState state) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(state, out);
        } catch (IOException e) {
            throw new UncheckedIOException("Writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    /** Reads one state and requires that no bytes follow it. */
    public static StabilityState fromBytes(byte[] bytes) throws StabilityStateFormatException {
        ByteArrayInputStream remaining = new ByteArrayInputStream(bytes);
        StabilityState state = read(new DataInputStream(remaining));
        if (remaining.available() > 0) {
            throw new StabilityStateFormatException("Corrupt stability state: " + remaining.available()
                    + " unexpected bytes after the end of the state");
        }
        return state;
    }

    /** The version {@link #write} uses for {@code state}: 1 unless it holds ADAPTIVE data. */
    public static int versionFor(StabilityState state) {
        boolean adaptive = state.adaptivePenalty().isPresent() || state.lastDecision().filter(d -> d.churn().isPresent()
                || d.removalWeightRatio().isPresent() || d.plannedRatio().isPresent()).isPresent();
        return adaptive ? CURRENT_VERSION : V1;
    }

    public static void write(StabilityState state, DataOutput out) throws IOException {
        int version = versionFor(state);
        boolean v2 = version >= 2;
        out.writeInt(version);
        out.writeInt(state.nextEpoch());
        out.writeInt(state.groupWidths().size());
        for (Map.Entry<String, Integer> e : state.groupWidths().entrySet()) {
            out.writeUTF(e.getKey());
            out.writeInt(e.getValue());
        }
        out.writeInt(state.recentMasks().size());
        for (RecordedMask m : state.recentMasks()) {
            out.writeInt(m.epoch());
            writeMask(m.mask(), out);
        }
        writeDoubles(state.recentSimilarities(), out);
        writeDoubles(state.recentStabilityScores(), out);
        writeOptionalInt(state.regularizationStart(), out);
        out.writeBoolean(state.lastDecision().isPresent());
        if (state.lastDecision().isPresent()) {
            writeDecision(state.lastDecision().get(), v2, out);
        }
        out.writeBoolean(state.pruneEvent().isPresent());
        if (state.pruneEvent().isPresent()) {
            PruneEvent p = state.pruneEvent().get();
            out.writeInt(p.epoch());
            out.writeUTF(p.reason().name());
            writeMask(p.mask(), out);
        }
        if (v2) {
            out.writeBoolean(state.adaptivePenalty().isPresent());
            if (state.adaptivePenalty().isPresent()) {
                out.writeDouble(state.adaptivePenalty().get().startRatio());
                out.writeDouble(state.adaptivePenalty().get().lambda());
            }
        }
    }

    /**
     * @throws StabilityStateFormatException for an unknown version, truncated or corrupt input
     */
    public static StabilityState read(DataInput in) throws StabilityStateFormatException {
        try {
            int version = in.readInt();
            if (version < V1 || version > CURRENT_VERSION) {
                throw new StabilityStateFormatException("Unsupported stability state format version " + version
                        + ": this build reads versions " + V1 + " to " + CURRENT_VERSION);
            }
            return read(in, version >= 2);
        } catch (StabilityStateFormatException e) {
            throw e;
        } catch (EOFException e) {
            throw new StabilityStateFormatException("Truncated stability state: input ended early", e);
        } catch (IOException | IllegalArgumentException | NullPointerException e) {
            throw new StabilityStateFormatException("Corrupt stability state: " + e.getMessage(), e);
        }
    }

    private static StabilityState read(DataInput in, boolean v2) throws IOException {
        int nextEpoch = in.readInt();
        int widthCount = readCount(in, "group widths");
        Map<String, Integer> widths = new LinkedHashMap<>();
        for (int i = 0; i < widthCount; i++) {
            widths.put(in.readUTF(), in.readInt());
        }
        int maskCount = readCount(in, "masks");
        List<RecordedMask> masks = new ArrayList<>();
        for (int i = 0; i < maskCount; i++) {
            int epoch = in.readInt();
            masks.add(new RecordedMask(epoch, readMask(in)));
        }
        List<Double> similarities = readDoubles(in, "similarities");
        List<Double> scores = readDoubles(in, "stability scores");
        OptionalInt regularizationStart = readOptionalInt(in);
        Optional<EpochDecision> decision = in.readBoolean() ? Optional.of(readDecision(in, v2)) : Optional.empty();
        Optional<PruneEvent> prune = Optional.empty();
        if (in.readBoolean()) {
            int epoch = in.readInt();
            PruneReason reason = readEnum(PruneReason.class, in.readUTF());
            prune = Optional.of(new PruneEvent(epoch, reason, readMask(in)));
        }
        Optional<AdaptivePenalty> penalty = v2 && in.readBoolean()
                ? Optional.of(new AdaptivePenalty(in.readDouble(), in.readDouble())) : Optional.empty();
        return new StabilityState(nextEpoch, widths, masks, similarities, scores, regularizationStart, decision, prune,
                penalty);
    }

    private static void writeDecision(EpochDecision d, boolean v2, DataOutput out) throws IOException {
        out.writeInt(d.epoch());
        out.writeUTF(d.phase().name());
        out.writeBoolean(d.mask().isPresent());
        if (d.mask().isPresent()) {
            writeMask(d.mask().get(), out);
        }
        out.writeInt(d.groupJaccard().size());
        for (Map.Entry<String, Double> e : d.groupJaccard().entrySet()) {
            out.writeUTF(e.getKey());
            out.writeDouble(e.getValue());
        }
        writeOptionalDouble(d.similarity(), out);
        writeOptionalDouble(d.stability(), out);
        out.writeBoolean(d.regularizationActive());
        out.writeBoolean(d.regularizationStartedNow());
        writeOptionalDouble(d.lambda(), out);
        out.writeBoolean(d.lambdaChanged());
        out.writeBoolean(d.pruneReason().isPresent());
        if (d.pruneReason().isPresent()) {
            out.writeUTF(d.pruneReason().get().name());
        }
        if (v2) {
            writeOptionalDouble(d.churn(), out);
            writeOptionalDouble(d.removalWeightRatio(), out);
            writeOptionalDouble(d.plannedRatio(), out);
        }
    }

    private static EpochDecision readDecision(DataInput in, boolean v2) throws IOException {
        int epoch = in.readInt();
        Phase phase = readEnum(Phase.class, in.readUTF());
        Optional<SubnetworkMask> mask = in.readBoolean() ? Optional.of(readMask(in)) : Optional.empty();
        int groups = readCount(in, "per-group Jaccard values");
        Map<String, Double> perGroup = new LinkedHashMap<>();
        for (int i = 0; i < groups; i++) {
            perGroup.put(in.readUTF(), in.readDouble());
        }
        OptionalDouble similarity = readOptionalDouble(in);
        OptionalDouble stability = readOptionalDouble(in);
        boolean active = in.readBoolean();
        boolean startedNow = in.readBoolean();
        OptionalDouble lambda = readOptionalDouble(in);
        boolean lambdaChanged = in.readBoolean();
        Optional<PruneReason> reason = in.readBoolean()
                ? Optional.of(readEnum(PruneReason.class, in.readUTF())) : Optional.empty();
        if (!v2) {
            return new EpochDecision(epoch, phase, mask, perGroup, similarity, stability, active, startedNow, lambda,
                    lambdaChanged, reason);
        }
        OptionalDouble churn = readOptionalDouble(in);
        OptionalDouble ratio = readOptionalDouble(in);
        OptionalDouble planned = readOptionalDouble(in);
        return new EpochDecision(epoch, phase, mask, perGroup, similarity, stability, active, startedNow, lambda,
                lambdaChanged, reason, churn, ratio, planned);
    }

    private static void writeMask(SubnetworkMask mask, DataOutput out) throws IOException {
        Map<String, int[]> kept = mask.asMap();
        out.writeInt(kept.size());
        for (Map.Entry<String, int[]> e : kept.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeInt(e.getValue().length);
            for (int index : e.getValue()) {
                out.writeInt(index);
            }
        }
    }

    private static SubnetworkMask readMask(DataInput in) throws IOException {
        int groups = readCount(in, "mask groups");
        SubnetworkMask.Builder b = SubnetworkMask.builder();
        for (int g = 0; g < groups; g++) {
            String id = in.readUTF();
            int[] kept = new int[readCount(in, "kept channels of group '" + id + "'")];
            for (int i = 0; i < kept.length; i++) {
                kept[i] = in.readInt();
            }
            b.put(id, kept);
        }
        return b.build();
    }

    private static void writeDoubles(List<Double> values, DataOutput out) throws IOException {
        out.writeInt(values.size());
        for (double v : values) {
            out.writeDouble(v);
        }
    }

    private static List<Double> readDoubles(DataInput in, String what) throws IOException {
        int n = readCount(in, what);
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            values.add(in.readDouble());
        }
        return values;
    }

    private static void writeOptionalInt(OptionalInt value, DataOutput out) throws IOException {
        out.writeBoolean(value.isPresent());
        if (value.isPresent()) {
            out.writeInt(value.getAsInt());
        }
    }

    private static OptionalInt readOptionalInt(DataInput in) throws IOException {
        return in.readBoolean() ? OptionalInt.of(in.readInt()) : OptionalInt.empty();
    }

    private static void writeOptionalDouble(OptionalDouble value, DataOutput out) throws IOException {
        out.writeBoolean(value.isPresent());
        if (value.isPresent()) {
            out.writeDouble(value.getAsDouble());
        }
    }

    private static OptionalDouble readOptionalDouble(DataInput in) throws IOException {
        return in.readBoolean() ? OptionalDouble.of(in.readDouble()) : OptionalDouble.empty();
    }

    private static int readCount(DataInput in, String what) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_COUNT) {
            throw new StabilityStateFormatException("Corrupt stability state: invalid count " + n + " of " + what);
        }
        return n;
    }

    private static <E extends Enum<E>> E readEnum(Class<E> type, String name) throws StabilityStateFormatException {
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException e) {
            throw new StabilityStateFormatException("Corrupt stability state: unknown " + type.getSimpleName()
                    + " '" + name + "'", e);
        }
    }
}
