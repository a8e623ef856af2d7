package org.ocsp.flink.job.run;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@link RunProgress} as versioned bytes in keyed state ("control"). A change of layout is a new
 * version, read next to the old ones: version 2 (savepoints from 2026-12-01) is version 3 without
 * the last decision's hash (2026-12-03), which it restores as unknown; version 3 is version 4
 * without the stream's epoch (2026-12-03), which it restores as unknown.
 */
public final class RunProgressSerializer {
    static final int VERSION = 4;
    /** The oldest layout this build restores. */
    static final int OLDEST_READABLE = 2;

    private RunProgressSerializer() {
    }

    public static byte[] toBytes(RunProgress p) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(VERSION);
            out.writeInt(p.runStarted().length);
            out.write(p.runStarted());
            out.writeUTF(p.configHash());
            out.writeLong(p.lastSequence());
            writeOpt(out, p.startDatasetEpoch());
            writeOpt(out, p.trainBatchesPerEpoch());
            out.writeInt(p.epoch());
            out.writeBoolean(p.decisionApplied());
            out.writeBoolean(p.finished());
            out.writeInt(p.trainSeen());
            out.writeInt(p.evalSeen());
            out.writeBoolean(p.lastOffset().isPresent());
            out.writeLong(p.lastOffset().orElse(0L));
            writeOpt(out, p.regularizationStart());
            out.writeInt(p.lambdas().size());
            for (Map.Entry<Integer, Double> e : p.lambdas().entrySet()) {
                out.writeInt(e.getKey());
                out.writeDouble(e.getValue());
            }
            out.writeInt(p.masks().size());
            for (Map.Entry<Integer, Map<String, int[]>> e : p.masks().entrySet()) {
                out.writeInt(e.getKey());
                writeMask(out, e.getValue());
            }
            writeOpt(out, p.pruneEpoch());
            writeMask(out, p.pruneMask());
            out.writeBoolean(p.pruned());
            out.writeLong(p.queueHead());
            out.writeLong(p.queueTail());
            out.writeBoolean(p.lastDecisionHash().isPresent());
            if (p.lastDecisionHash().isPresent()) {
                out.writeUTF(p.lastDecisionHash().get());
            }
            writeOpt(out, p.streamEpoch());
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RunProgress fromBytes(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            int version = in.readInt();
            if (version < OLDEST_READABLE || version > VERSION) {
                // Version 1 (until 2026-12-01) kept the model at epoch boundaries plus the epoch's batches.
                throw new IllegalStateException("Unknown trainer control state version " + version + ", this build reads "
                        + OLDEST_READABLE + " to " + VERSION
                        + (version == 1 ? " (a checkpoint of an earlier build, which kept the model at epoch boundaries:"
                                + " finish its runs with that build)" : ""));
            }
            byte[] runStarted = new byte[in.readInt()];
            in.readFully(runStarted);
            String configHash = in.readUTF();
            long lastSequence = in.readLong();
            Optional<Integer> startDatasetEpoch = readOpt(in);
            Optional<Integer> trainBatchesPerEpoch = readOpt(in);
            int epoch = in.readInt();
            boolean decisionApplied = in.readBoolean();
            boolean finished = in.readBoolean();
            int trainSeen = in.readInt();
            int evalSeen = in.readInt();
            boolean hasOffset = in.readBoolean();
            long offset = in.readLong();
            Optional<Integer> regularizationStart = readOpt(in);
            TreeMap<Integer, Double> lambdas = new TreeMap<>();
            int nl = in.readInt();
            for (int i = 0; i < nl; i++) {
                lambdas.put(in.readInt(), in.readDouble());
            }
            TreeMap<Integer, Map<String, int[]>> masks = new TreeMap<>();
            int nm = in.readInt();
            for (int i = 0; i < nm; i++) {
                masks.put(in.readInt(), readMask(in));
            }
            Optional<Integer> pruneEpoch = readOpt(in);
            Map<String, int[]> pruneMask = readMask(in);
            boolean pruned = in.readBoolean();
            long queueHead = in.readLong();
            long queueTail = in.readLong();
            Optional<String> lastDecisionHash = version >= 3 && in.readBoolean() ? Optional.of(in.readUTF())
                    : Optional.empty();
            Optional<Integer> streamEpoch = version >= 4 ? readOpt(in) : Optional.empty();
            return new RunProgress(runStarted, configHash, lastSequence, startDatasetEpoch, trainBatchesPerEpoch, epoch,
                    decisionApplied, finished, trainSeen, evalSeen, hasOffset ? Optional.of(offset) : Optional.empty(),
                    regularizationStart, lambdas, masks, pruneEpoch, pruneMask, pruned, queueHead, queueTail,
                    lastDecisionHash, streamEpoch);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeOpt(DataOutputStream out, Optional<Integer> v) throws IOException {
        out.writeBoolean(v.isPresent());
        out.writeInt(v.orElse(0));
    }

    private static Optional<Integer> readOpt(DataInputStream in) throws IOException {
        boolean present = in.readBoolean();
        int v = in.readInt();
        return present ? Optional.of(v) : Optional.empty();
    }

    private static void writeMask(DataOutputStream out, Map<String, int[]> m) throws IOException {
        out.writeInt(m.size());
        for (Map.Entry<String, int[]> e : m.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeInt(e.getValue().length);
            for (int i : e.getValue()) {
                out.writeInt(i);
            }
        }
    }

    private static Map<String, int[]> readMask(DataInputStream in) throws IOException {
        int n = in.readInt();
        Map<String, int[]> m = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String g = in.readUTF();
            int[] v = new int[in.readInt()];
            for (int k = 0; k < v.length; k++) {
                v[k] = in.readInt();
            }
            m.put(g, v);
        }
        return m;
    }
}
