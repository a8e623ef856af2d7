package org.ocsp.modelops.cost;

import java.util.Locale;

/** FLOPs (multiply-accumulates, per sample) and trainable parameters of a graph or a layer. */
public record Cost(long flops, long params) {
    public Cost {
        if (flops < 0 || params < 0) {
            throw new IllegalArgumentException("Invalid cost flops=" + flops + ", params=" + params + ": must be >= 0");
        }
    }

    public double mflops() {
        return flops / 1e6;
    }

    public double mparams() {
        return params / 1e6;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%.2f MFLOPs, %.4f M params", mflops(), mparams());
    }
}
