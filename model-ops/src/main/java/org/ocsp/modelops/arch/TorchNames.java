package org.ocsp.modelops.arch;

import org.ocsp.modelops.engine.TensorKind;
import org.ocsp.modelops.engine.TensorRef;
import org.ocsp.modelops.graph.LayerId;

/**
 * How node ids relate to the PyTorch reference models.
 *
 * <pre>{@code
 * TorchNames.functional("layer1.0", "relu");   // "layer1.0.F.relu": F.relu(...) in layer1.0's forward
 * TorchNames.call("layer1.0.relu", 2);         // "layer1.0.relu#2": second call of module layer1.0.relu
 * }</pre>
 *
 * <ul>
 *   <li>A node that is an {@code nn.Module} call has the module's exact PyTorch name
 *       ({@code layer1.0.conv1}, {@code features.0}, {@code fc}); weights export by that name.</li>
 *   <li>A module called more than once (torchvision's {@code relu} in every block) gets
 *       {@code name#k} for its k-th call, k &gt;= 2.</li>
 *   <li>A {@code torch.nn.functional} call (for example {@code F.relu}) has an id with a path
 *       segment {@code F}. ptflops only hooks modules, so such nodes cost nothing in the
 *       reference's FLOPs count (see {@code CostModel}).</li>
 *   <li>Other non-module operations (residual {@code +=}, {@code view}/{@code flatten}) get
 *       readable ids such as {@code layer1.0.add} and {@code flatten}; they cost nothing anyway.</li>
 * </ul>
 */
public final class TorchNames {
    /** The path segment that marks a {@code torch.nn.functional} call. */
    public static final String FUNCTIONAL_SEGMENT = "F";

    private TorchNames() {
    }

    /** Id of a functional op called in {@code scope}'s forward (empty scope: the top-level model). */
    public static String functional(String scope, String op) {
        if (op.isBlank()) {
            throw new IllegalArgumentException("Invalid functional op name '" + op + "': must not be blank");
        }
        return scope.isEmpty() ? FUNCTIONAL_SEGMENT + "." + op : scope + "." + FUNCTIONAL_SEGMENT + "." + op;
    }

    /** Id of the {@code k}-th call (k &gt;= 2) of a module that is used more than once. */
    public static String call(String module, int k) {
        if (k < 2) {
            throw new IllegalArgumentException("Invalid call number " + k + " for module '" + module
                    + "': the first call uses the module name itself, later calls are numbered from 2");
        }
        return module + "#" + k;
    }

    /** Whether the node is a {@code torch.nn.functional} call (no module, invisible to ptflops hooks). */
    public static boolean isFunctional(LayerId id) {
        String v = id.value();
        return v.startsWith(FUNCTIONAL_SEGMENT + ".") || v.contains("." + FUNCTIONAL_SEGMENT + ".");
    }

    /**
     * The PyTorch {@code state_dict} key of a model-ops tensor: the layer id (the module's name) and
     * the tensor's attribute, where BN's gamma and beta are {@code weight} and {@code bias}.
     */
    public static String stateDictKey(TensorRef ref) {
        TensorKind k = ref.kind();
        String suffix = switch (k) {
            case WEIGHT, GAMMA -> "weight";
            case BIAS, BETA -> "bias";
            case RUNNING_MEAN -> "running_mean";
            case RUNNING_VAR -> "running_var";
        };
        return ref.layer().value() + "." + suffix;
    }
}
