package org.ocsp.flink.publish;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** float32 tensors as little-endian bytes, the layout of {@code TrainingBatch.features}. */
public final class Floats {
    private Floats() {
    }

    public static byte[] toBytes(float[] values, int count) {
        ByteBuffer b = ByteBuffer.allocate(count * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values, 0, count);
        return b.array();
    }

    public static float[] fromBytes(ByteBuffer bytes) {
        ByteBuffer b = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (b.remaining() % Float.BYTES != 0) {
            throw new IllegalArgumentException("Feature bytes: " + b.remaining() + " is not a multiple of 4");
        }
        float[] out = new float[b.remaining() / Float.BYTES];
        b.asFloatBuffer().get(out);
        return out;
    }
}
