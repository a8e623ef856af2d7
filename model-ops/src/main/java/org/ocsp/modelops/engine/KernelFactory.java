package org.ocsp.modelops.engine;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.ocsp.modelops.graph.LayerSpec;
import org.ocsp.modelops.graph.Node;

/** Picks the kernel for a layer spec and binds it to the layer's parameters. */
final class KernelFactory {
    private KernelFactory() {
    }

    static LayerKernel create(Node node, ParameterStore p, KernelArgs a,
            java.util.function.Function<long[], INDArray> workspace) {
        LayerSpec s = node.spec();
        if (s instanceof LayerSpec.Conv2d c) {
            return new ConvKernel(c, p.tensor(node.id(), TensorKind.WEIGHT), bias(p, node), p.gradient(node.id(), TensorKind.WEIGHT),
                    biasGrad(p, node), a);
        } else if (s instanceof LayerSpec.Linear) {
            return new LinearKernel(p.tensor(node.id(), TensorKind.WEIGHT), bias(p, node),
                    p.gradient(node.id(), TensorKind.WEIGHT), biasGrad(p, node), a);
        } else if (s instanceof LayerSpec.BatchNorm b) {
            return new BatchNormKernel(b, p, node.id(), a, workspace.apply(a.in().shape()));
        } else if (s instanceof LayerSpec.Relu) {
            return new ReluKernel(a);
        } else if (s instanceof LayerSpec.MaxPool m) {
            return PoolKernel.max(m.kernel(), m.stride(), m.padding(), a);
        } else if (s instanceof LayerSpec.AvgPool m) {
            return PoolKernel.avg(m.kernel(), m.stride(), a);
        } else if (s instanceof LayerSpec.GlobalAvgPool) {
            return PoolKernel.global(a);
        } else if (s instanceof LayerSpec.Flatten) {
            return new FlattenKernel();
        } else if (s instanceof LayerSpec.Add) {
            return new AddKernel(a);
        }
        throw new IllegalArgumentException("No kernel for layer '" + node.id() + "' of type " + s.type());
    }

    private static INDArray bias(ParameterStore p, Node n) {
        return p.find(n.id(), TensorKind.BIAS).orElse(null);
    }

    private static INDArray biasGrad(ParameterStore p, Node n) {
        return p.findGradient(n.id(), TensorKind.BIAS).orElse(null);
    }
}
