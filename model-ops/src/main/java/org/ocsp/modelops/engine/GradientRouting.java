package org.ocsp.modelops.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.factory.Nd4j;
import org.ocsp.modelops.graph.LayerId;
import org.ocsp.modelops.graph.LayerSpec;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.graph.Node;

/**
 * Which buffer holds each activation's gradient, planned from the output backwards; both engines
 * use it with their own buffer type. A pass-through reader (residual add; flatten in the ND4J
 * engine) hands its own output gradient to its input; an activation read by several layers gets
 * one contribution buffer per reader and the plan sums them before the producer's backward.
 *
 * @param <T> the engine's buffer type
 */
final class GradientRouting<T> {
    /** How an engine provides gradient buffers. */
    interface Buffers<T> {
        /** A buffer of its own for node {@code node}'s output gradient. */
        T own(int node);

        /** The {@code k}-th contribution buffer of node {@code node}'s output gradient. */
        T contribution(int node, int k);

        /** A pass-through reader's output gradient seen with node {@code node}'s shape. */
        T alias(T readerGradient, int node);
    }

    private final List<T> gradients;
    private final List<List<T>> inputGradients;
    private final List<List<T>> sums;

    GradientRouting(NetworkGraph graph, Predicate<LayerSpec> passThrough, Buffers<T> buffers) {
        List<Node> nodes = graph.nodes();
        int n = nodes.size();
        Map<LayerId, Integer> index = new HashMap<>();
        for (int i = 0; i < n; i++) {
            index.put(nodes.get(i).id(), i);
        }
        gradients = new ArrayList<>(Collections.nCopies(n, null));
        inputGradients = new ArrayList<>();
        sums = new ArrayList<>();
        for (Node node : nodes) {
            inputGradients.add(new ArrayList<>(Collections.nCopies(node.inputs().size(), null)));
            sums.add(new ArrayList<>());
        }
        for (int i = n - 1; i >= 0; i--) {
            Node node = nodes.get(i);
            List<int[]> readers = new ArrayList<>();
            for (LayerId c : graph.consumers(node.id())) {
                int ci = index.get(c);
                List<LayerId> ins = nodes.get(ci).inputs();
                for (int slot = 0; slot < ins.size(); slot++) {
                    if (ins.get(slot).equals(node.id())) {
                        readers.add(new int[] {ci, slot});
                    }
                }
            }
            if (readers.size() == 1 && passThrough.test(nodes.get(readers.get(0)[0]).spec())) {
                gradients.set(i, buffers.alias(gradients.get(readers.get(0)[0]), i));
            } else if (readers.size() == 1) {
                gradients.set(i, buffers.own(i));
                inputGradients.get(readers.get(0)[0]).set(readers.get(0)[1], gradients.get(i));
            } else {
                gradients.set(i, buffers.own(i));
                int k = 0;
                for (int[] r : readers) {
                    T contribution;
                    if (passThrough.test(nodes.get(r[0]).spec())) {
                        contribution = buffers.alias(gradients.get(r[0]), i);
                    } else {
                        contribution = buffers.contribution(i, k++);
                        inputGradients.get(r[0]).set(r[1], contribution);
                    }
                    sums.get(i).add(contribution);
                }
            }
        }
    }

    /** The buffer holding node {@code i}'s output gradient (after the sum, if it has several readers). */
    T gradient(int i) {
        return gradients.get(i);
    }

    /** Where node {@code i}'s backward writes the gradient of each of its inputs. */
    List<T> inputGradients(int i) {
        return inputGradients.get(i);
    }

    /** Writes the element-wise sum of the contributions (at least two) into {@code gradient}. */
    static void sumInto(List<INDArray> contributions, INDArray gradient) {
        Nd4j.exec(new AddOp(contributions.get(0), contributions.get(1), gradient));
        for (int k = 2; k < contributions.size(); k++) {
            gradient.addi(contributions.get(k));
        }
    }

    /** The contributions summed into node {@code i}'s gradient before its backward; empty for one reader. */
    List<T> sums(int i) {
        return sums.get(i);
    }
}
