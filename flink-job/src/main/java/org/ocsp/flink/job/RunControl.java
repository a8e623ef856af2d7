package org.ocsp.flink.job;

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
import org.ocsp.modelops.selection.SubnetworkMask;

/**
 * The trainer's control state for one run: where the run is, and what the event log decided.
 * It changes only by applying log events (decisions) and by consuming batches; it is stored as
 * versioned bytes in keyed state (small, rewritten per batch; the model tensors are not).
 */
final class RunControl {
    private static final int VERSION = 2;

    byte[] runStarted;
    String configHash;
    /** Sequence of the last event of this run seen in the log (RunStarted = 0). */
    long lastSequence;
    Optional<Integer> startDatasetEpoch = Optional.empty();
    Optional<Integer> trainBatchesPerEpoch = Optional.empty();
    /** Run epoch in progress (or about to start). */
    int epoch;
    boolean decisionApplied;
    boolean finished;
    int trainSeen;
    int evalSeen;
    Optional<Long> lastOffset = Optional.empty();
    /** Decisions from the log. */
    Optional<Integer> regularizationStart = Optional.empty();
    final TreeMap<Integer, Double> lambdas = new TreeMap<>();
    final TreeMap<Integer, Map<String, int[]>> masks = new TreeMap<>();
    Optional<Integer> pruneEpoch = Optional.empty();
    Map<String, int[]> pruneMask = new LinkedHashMap<>();
    /** The model has been pruned (surgery done). */
    boolean pruned;
    /** Batches waiting in the queue map state occupy the keys [queueHead, queueTail). */
    long queueHead;
    long queueTail;

    boolean queueEmpty() {
        return queueHead == queueTail;
    }

    boolean waitingForDecision(int monitorStart) {
        return !decisionApplied && !pruned && epoch >= monitorStart && !masks.containsKey(epoch);
    }

    double lambdaAt(int t) {
        Map.Entry<Integer, Double> e = lambdas.floorEntry(t);
        return e == null ? 0 : e.getValue();
    }

    boolean regularizedAt(int t) {
        return !pruned && regularizationStart.isPresent() && regularizationStart.get() <= t;
    }

    static SubnetworkMask mask(Map<String, int[]> kept) {
        SubnetworkMask.Builder b = SubnetworkMask.builder();
        kept.forEach(b::put);
        return b.build();
    }

    byte[] toBytes() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(VERSION);
            out.writeInt(runStarted.length);
            out.write(runStarted);
            out.writeUTF(configHash);
            out.writeLong(lastSequence);
            writeOpt(out, startDatasetEpoch);
            writeOpt(out, trainBatchesPerEpoch);
            out.writeInt(epoch);
            out.writeBoolean(decisionApplied);
            out.writeBoolean(finished);
            out.writeInt(trainSeen);
            out.writeInt(evalSeen);
            out.writeBoolean(lastOffset.isPresent());
            out.writeLong(lastOffset.orElse(0L));
            writeOpt(out, regularizationStart);
            out.writeInt(lambdas.size());
            for (Map.Entry<Integer, Double> e : lambdas.entrySet()) {
                out.writeInt(e.getKey());
                out.writeDouble(e.getValue());
            }
            out.writeInt(masks.size());
            for (Map.Entry<Integer, Map<String, int[]>> e : masks.entrySet()) {
                out.writeInt(e.getKey());
                writeMask(out, e.getValue());
            }
            writeOpt(out, pruneEpoch);
            writeMask(out, pruneMask);
            out.writeBoolean(pruned);
            out.writeLong(queueHead);
            out.writeLong(queueTail);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RunControl fromBytes(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            int version = in.readInt();
            if (version != VERSION) {
                // Version 1 (until 2026-12-01) kept the model at epoch boundaries plus the epoch's batches.
                throw new IllegalStateException("Unknown trainer control state version " + version + ", expected " + VERSION
                        + (version == 1 ? " (a checkpoint of an earlier build, which kept the model at epoch boundaries:"
                                + " finish its runs with that build)" : ""));
            }
            RunControl c = new RunControl();
            c.runStarted = new byte[in.readInt()];
            in.readFully(c.runStarted);
            c.configHash = in.readUTF();
            c.lastSequence = in.readLong();
            c.startDatasetEpoch = readOpt(in);
            c.trainBatchesPerEpoch = readOpt(in);
            c.epoch = in.readInt();
            c.decisionApplied = in.readBoolean();
            c.finished = in.readBoolean();
            c.trainSeen = in.readInt();
            c.evalSeen = in.readInt();
            boolean hasOffset = in.readBoolean();
            long offset = in.readLong();
            c.lastOffset = hasOffset ? Optional.of(offset) : Optional.empty();
            c.regularizationStart = readOpt(in);
            int nl = in.readInt();
            for (int i = 0; i < nl; i++) {
                c.lambdas.put(in.readInt(), in.readDouble());
            }
            int nm = in.readInt();
            for (int i = 0; i < nm; i++) {
                c.masks.put(in.readInt(), readMask(in));
            }
            c.pruneEpoch = readOpt(in);
            c.pruneMask = readMask(in);
            c.pruned = in.readBoolean();
            c.queueHead = in.readLong();
            c.queueTail = in.readLong();
            return c;
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
