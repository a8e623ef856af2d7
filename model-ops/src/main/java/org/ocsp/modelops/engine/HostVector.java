package org.ocsp.modelops.engine;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Java-side element access to a small contiguous native vector (per-channel statistics and
 * coefficients), through a direct NIO view taken once: no JNI call and no allocation per element,
 * so a loop over C channels costs nanoseconds instead of one ND4J op dispatch per vector operation.
 */
final class HostVector {
    private final FloatBuffer f;
    private final DoubleBuffer d;
    private final int offset;
    private final int length;

    HostVector(INDArray v) {
        if (v.length() != 0 && v.elementWiseStride() != 1) {
            throw new IllegalArgumentException("HostVector needs a contiguous vector, got strides "
                    + java.util.Arrays.toString(v.stride()));
        }
        this.offset = Math.toIntExact(v.offset());
        this.length = Math.toIntExact(v.length());
        if (v.dataType() == DataType.FLOAT) {
            f = v.data().asNioFloat();
            d = null;
        } else if (v.dataType() == DataType.DOUBLE) {
            d = v.data().asNioDouble();
            f = null;
        } else {
            throw new IllegalArgumentException("HostVector supports FLOAT and DOUBLE, got " + v.dataType());
        }
    }

    int length() {
        return length;
    }

    double get(int i) {
        return f != null ? f.get(offset + i) : d.get(offset + i);
    }

    void set(int i, double value) {
        if (f != null) {
            f.put(offset + i, (float) value);
        } else {
            d.put(offset + i, value);
        }
    }
}
