package org.ocsp.flink.job.run;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.ocsp.modelops.train.StepResult;

/** Loss and correct predictions of one split's batches in the epoch so far, and their means. */
public final class EpochSums {
    private double loss;
    private long correct;
    private long seen;

    void add(StepResult r, int n) {
        loss += r.loss() * n;
        correct += r.correct();
        seen += n;
    }

    void clear() {
        loss = 0;
        correct = 0;
        seen = 0;
    }

    long seen() {
        return seen;
    }

    /** Mean loss per example; 0 before the first batch. */
    public double meanLoss() {
        return loss / Math.max(1, seen);
    }

    /** Share of examples predicted correctly; 0 before the first batch. */
    public double accuracy() {
        return (double) correct / Math.max(1, seen);
    }

    void write(DataOutputStream out) throws IOException {
        out.writeDouble(loss);
        out.writeLong(correct);
        out.writeLong(seen);
    }

    void read(DataInputStream in) throws IOException {
        loss = in.readDouble();
        correct = in.readLong();
        seen = in.readLong();
    }
}
