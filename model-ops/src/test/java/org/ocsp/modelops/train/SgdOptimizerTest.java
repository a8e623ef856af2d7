package org.ocsp.modelops.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.ocsp.modelops.engine.ParameterStore;
import org.ocsp.modelops.graph.LayerSpec;
import org.ocsp.modelops.graph.NetworkGraph;

class SgdOptimizerTest {
    private static NetworkGraph oneLinear() {
        return NetworkGraph.builder("lin", new LayerSpec.Input(1, 1, 1))
                .add("flat", new LayerSpec.Flatten())
                .add("fc", new LayerSpec.Linear(1, 2, false))
                .build();
    }

    /** torch.optim.SGD(momentum=0.9, nesterov=True, weight_decay=0.1), written out by hand. */
    @Test
    void followsPyTorchNesterovWithWeightDecay() {
        try (ParameterStore p = ParameterStore.allocate(oneLinear(), DataType.DOUBLE)) {
            SgdOptimizer opt = new SgdOptimizer(p, new SgdConfig(0.9, true, 0.1));
            p.flatParams().assign(1.0);
            double w = 1;
            double buf = 0;
            double[] grads = {0.5, -0.2, 0.3};
            for (int step = 0; step < grads.length; step++) {
                p.flatGradients().assign(grads[step]);
                opt.step(0.1);
                double d = grads[step] + 0.1 * w;
                buf = step == 0 ? d : 0.9 * buf + d;
                w -= 0.1 * (d + 0.9 * buf);
                assertEquals(w, p.flatParams().getDouble(0), 1e-12, "step " + step);
            }
        }
    }

    @Test
    void plainMomentumUsesTheBuffer() {
        try (ParameterStore p = ParameterStore.allocate(oneLinear(), DataType.DOUBLE)) {
            SgdOptimizer opt = new SgdOptimizer(p, new SgdConfig(0.5, false, 0));
            p.flatParams().assign(0.0);
            p.flatGradients().assign(1.0);
            opt.step(1.0);
            p.flatGradients().assign(1.0);
            opt.step(1.0);
            assertEquals(-(1 + 1.5), p.flatParams().getDouble(1), 1e-12);
        }
    }
}
