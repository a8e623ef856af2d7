package org.ocsp.modelops.train;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Copies a host batch into a preallocated native input buffer without creating arrays. */
final class HostTransfer {
    private HostTransfer() {
    }

    static void copyInto(INDArray target, float[] features, int n) {
        long len = target.length();
        if (features.length < len) {
            throw new IllegalArgumentException("Batch of " + n + " needs " + len + " features, got " + features.length);
        }
        if (target.dataType() == DataType.FLOAT && target.offset() == 0) {
            target.data().asNioFloat().put(features, 0, (int) len);
        } else {
            for (long i = 0; i < len; i++) {
                target.putScalar(i, features[(int) i]);
            }
        }
    }
}
