package org.ocsp.modelops.io;

import java.io.IOException;
import org.ocsp.modelops.graph.LayerSpec;

/** Layer specs to and from a flat list of numbers (see {@link ModelFile} for the table). */
final class SpecArgs {
    private SpecArgs() {
    }

    static double[] of(LayerSpec s) {
        if (s instanceof LayerSpec.Input i) {
            return new double[] {i.channels(), i.height(), i.width()};
        } else if (s instanceof LayerSpec.Conv2d c) {
            return new double[] {c.inChannels(), c.outChannels(), c.kernel(), c.stride(), c.padding(), c.groups(), c.bias() ? 1 : 0};
        } else if (s instanceof LayerSpec.BatchNorm b) {
            return new double[] {b.channels(), b.eps(), b.momentum()};
        } else if (s instanceof LayerSpec.MaxPool p) {
            return new double[] {p.kernel(), p.stride(), p.padding()};
        } else if (s instanceof LayerSpec.AvgPool p) {
            return new double[] {p.kernel(), p.stride()};
        } else if (s instanceof LayerSpec.Linear l) {
            return new double[] {l.inFeatures(), l.outFeatures(), l.bias() ? 1 : 0};
        }
        return new double[0];
    }

    static LayerSpec spec(String type, double[] a) throws IOException {
        switch (type) {
            case "input":
                need(type, a, 3);
                return new LayerSpec.Input((int) a[0], (int) a[1], (int) a[2]);
            case "conv2d":
                need(type, a, 7);
                return new LayerSpec.Conv2d((int) a[0], (int) a[1], (int) a[2], (int) a[3], (int) a[4], (int) a[5], a[6] != 0);
            case "batchnorm":
                need(type, a, 3);
                return new LayerSpec.BatchNorm((int) a[0], a[1], a[2]);
            case "maxpool":
                need(type, a, 3);
                return new LayerSpec.MaxPool((int) a[0], (int) a[1], (int) a[2]);
            case "avgpool":
                need(type, a, 2);
                return new LayerSpec.AvgPool((int) a[0], (int) a[1]);
            case "linear":
                need(type, a, 3);
                return new LayerSpec.Linear((int) a[0], (int) a[1], a[2] != 0);
            case "relu":
                return new LayerSpec.Relu();
            case "gap":
                return new LayerSpec.GlobalAvgPool();
            case "flatten":
                return new LayerSpec.Flatten();
            case "add":
                return new LayerSpec.Add();
            default:
                throw new IOException("Unknown layer type '" + type + "' in model file");
        }
    }

    private static void need(String type, double[] a, int n) throws IOException {
        if (a.length != n) {
            throw new IOException("Layer type " + type + " needs " + n + " arguments, file has " + a.length);
        }
    }
}
