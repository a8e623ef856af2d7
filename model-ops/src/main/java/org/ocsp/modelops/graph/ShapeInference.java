package org.ocsp.modelops.graph;

import java.util.List;

/** Output shape of one layer from its input shapes; rejects widths that do not match. */
final class ShapeInference {
    private ShapeInference() {
    }

    static Shape infer(String id, LayerSpec spec, List<Shape> ins) {
        if (!(spec instanceof LayerSpec.Add)) {
            Checks.checkArgument(ins.size() == 1, "Layer '" + id + "' (" + spec.type() + ") takes one input, got " + ins.size());
        }
        Shape in = ins.get(0);
        if (spec instanceof LayerSpec.Conv2d c) {
            requireSpatial(id, in);
            requireWidth(id, "inChannels", c.inChannels(), in.channels());
            int h = outSize(id, in.height(), c.kernel(), c.stride(), c.padding());
            int w = outSize(id, in.width(), c.kernel(), c.stride(), c.padding());
            return Shape.spatial(c.outChannels(), h, w);
        } else if (spec instanceof LayerSpec.BatchNorm b) {
            requireWidth(id, "channels", b.channels(), in.channels());
            return in;
        } else if (spec instanceof LayerSpec.Relu) {
            return in;
        } else if (spec instanceof LayerSpec.MaxPool p) {
            requireSpatial(id, in);
            return Shape.spatial(in.channels(), outSize(id, in.height(), p.kernel(), p.stride(), p.padding()),
                    outSize(id, in.width(), p.kernel(), p.stride(), p.padding()));
        } else if (spec instanceof LayerSpec.AvgPool p) {
            requireSpatial(id, in);
            return Shape.spatial(in.channels(), outSize(id, in.height(), p.kernel(), p.stride(), 0),
                    outSize(id, in.width(), p.kernel(), p.stride(), 0));
        } else if (spec instanceof LayerSpec.GlobalAvgPool) {
            requireSpatial(id, in);
            return Shape.spatial(in.channels(), 1, 1);
        } else if (spec instanceof LayerSpec.Flatten) {
            return Shape.features((int) in.elements());
        } else if (spec instanceof LayerSpec.Linear l) {
            Checks.checkArgument(in.flat(), "Layer '" + id + "' (linear) needs a flattened input, got " + in);
            requireWidth(id, "inFeatures", l.inFeatures(), in.channels());
            return Shape.features(l.outFeatures());
        } else if (spec instanceof LayerSpec.Add) {
            Checks.checkArgument(ins.size() >= 2, "Layer '" + id + "' (add) needs at least two inputs");
            for (Shape s : ins) {
                Checks.checkArgument(s.equals(in), "Layer '" + id + "' (add) inputs differ: " + ins);
            }
            return in;
        }
        throw new IllegalArgumentException("Layer '" + id + "' (" + spec.type() + ") cannot be added here");
    }

    private static void requireSpatial(String id, Shape in) {
        Checks.checkArgument(!in.flat(), "Layer '" + id + "' needs a spatial input, got " + in);
    }

    private static void requireWidth(String id, String field, int declared, int actual) {
        Checks.checkArgument(declared == actual, "Layer '" + id + "' declares " + field + " = " + declared
                + " but its input has " + actual + " channels");
    }

    private static int outSize(String id, int in, int k, int s, int p) {
        int out = (in + 2 * p - k) / s + 1;
        Checks.checkArgument(out > 0, "Layer '" + id + "' produces an empty output from input size " + in);
        return out;
    }
}
