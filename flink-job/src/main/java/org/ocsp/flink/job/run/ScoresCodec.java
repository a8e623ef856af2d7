package org.ocsp.flink.job.run;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ocsp.modelops.saliency.GroupScores;

/** Group scores as bytes between the trainer and the stability operator (group order kept, doubles exact). */
public final class ScoresCodec {
    private static final int VERSION = 1;

    private ScoresCodec() {
    }

    public static byte[] toBytes(GroupScores scores) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(VERSION);
            out.writeInt(scores.groupIds().size());
            for (String g : scores.groupIds()) {
                double[] v = scores.of(g);
                out.writeUTF(g);
                out.writeInt(v.length);
                for (double d : v) {
                    out.writeDouble(d);
                }
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static GroupScores fromBytes(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            int version = in.readInt();
            if (version != VERSION) {
                throw new IllegalArgumentException("Unknown scores format version " + version + ", expected " + VERSION);
            }
            int groups = in.readInt();
            Map<String, double[]> m = new LinkedHashMap<>();
            for (int i = 0; i < groups; i++) {
                String g = in.readUTF();
                double[] v = new double[in.readInt()];
                for (int k = 0; k < v.length; k++) {
                    v[k] = in.readDouble();
                }
                m.put(g, v);
            }
            return new GroupScores(m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
