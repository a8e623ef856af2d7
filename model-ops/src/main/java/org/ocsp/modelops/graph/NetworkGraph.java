package org.ocsp.modelops.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * An immutable layer graph in topological order, with the activation shape of every node.
 *
 * <pre>{@code
 * NetworkGraph g = NetworkGraph.builder("tiny", LayerSpec.Input(1, 28, 28))
 *     .add("conv1", new LayerSpec.Conv2d(1, 8, 3, 1, 1, 1, false))
 *     .add("bn1", new LayerSpec.BatchNorm(8))
 *     .add("relu1", new LayerSpec.Relu())
 *     .add("gap", new LayerSpec.GlobalAvgPool())
 *     .add("flat", new LayerSpec.Flatten())
 *     .add("fc", new LayerSpec.Linear(8, 10, true))
 *     .build();
 * }</pre>
 * Every {@code add} without explicit inputs consumes the previous node. The last node is the output.
 */
public final class NetworkGraph {
    public static final LayerId INPUT = LayerId.of("input");

    private final String name;
    private final List<Node> nodes;
    private final Map<LayerId, Node> byId;
    private final Map<LayerId, Shape> shapes;
    private final Map<LayerId, List<LayerId>> consumers;

    private NetworkGraph(String name, List<Node> nodes, Map<LayerId, Shape> shapes) {
        this.name = name;
        this.nodes = List.copyOf(nodes);
        Map<LayerId, Node> ids = new LinkedHashMap<>();
        Map<LayerId, List<LayerId>> cons = new LinkedHashMap<>();
        for (Node n : nodes) {
            ids.put(n.id(), n);
            cons.put(n.id(), new ArrayList<>());
        }
        for (Node n : nodes) {
            for (LayerId in : n.inputs()) {
                cons.get(in).add(n.id());
            }
        }
        this.byId = Collections.unmodifiableMap(ids);
        this.shapes = Collections.unmodifiableMap(new LinkedHashMap<>(shapes));
        Map<LayerId, List<LayerId>> frozen = new LinkedHashMap<>();
        cons.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        this.consumers = Collections.unmodifiableMap(frozen);
    }

    public static Builder builder(String name, LayerSpec.Input input) {
        return new Builder(name, input);
    }

    public String name() {
        return name;
    }

    /** All nodes in topological order; the first is the input, the last the output. */
    public List<Node> nodes() {
        return nodes;
    }

    public Node node(LayerId id) {
        Node n = byId.get(id);
        if (n == null) {
            throw new IllegalArgumentException("Unknown layer '" + id + "' in graph " + name);
        }
        return n;
    }

    public boolean contains(LayerId id) {
        return byId.containsKey(id);
    }

    public Node output() {
        return nodes.get(nodes.size() - 1);
    }

    public LayerSpec.Input inputSpec() {
        return (LayerSpec.Input) nodes.get(0).spec();
    }

    public Shape shape(LayerId id) {
        return shapes.get(id);
    }

    public Shape inputShape(Node n, int slot) {
        return shapes.get(n.inputs().get(slot));
    }

    public List<LayerId> consumers(LayerId id) {
        return consumers.get(id);
    }

    public int numClasses() {
        return output().spec() instanceof LayerSpec.Linear l ? l.outFeatures() : shape(output().id()).channels();
    }

    /** A graph with the same topology and some specs replaced (surgery uses this); re-validated. */
    public NetworkGraph withSpecs(UnaryOperator<Node> replace) {
        Builder b = null;
        for (Node n : nodes) {
            Node r = replace.apply(n);
            if (b == null) {
                b = new Builder(name, (LayerSpec.Input) r.spec());
            } else {
                b.add(r.id().value(), r.spec(), r.inputs().stream().map(LayerId::value).toArray(String[]::new));
            }
        }
        return b.build();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name).append('\n');
        for (Node n : nodes) {
            sb.append("  ").append(n.id()).append(' ').append(n.spec()).append(" <- ").append(n.inputs())
                    .append(" -> ").append(shapes.get(n.id())).append('\n');
        }
        return sb.toString();
    }

    /** Validating builder: unique ids, inputs defined before use (so no cycles), widths that match. */
    public static final class Builder {
        private final String name;
        private final List<Node> nodes = new ArrayList<>();
        private final Map<LayerId, Shape> shapes = new LinkedHashMap<>();

        private Builder(String name, LayerSpec.Input input) {
            this.name = name;
            nodes.add(new Node(INPUT, input, List.of()));
            shapes.put(INPUT, Shape.spatial(input.channels(), input.height(), input.width()));
        }

        /** Adds a node fed by the previous node. */
        public Builder add(String id, LayerSpec spec) {
            return add(id, spec, nodes.get(nodes.size() - 1).id().value());
        }

        public Builder add(String id, LayerSpec spec, String... inputs) {
            LayerId lid = LayerId.of(id);
            Checks.checkArgument(!shapes.containsKey(lid), "Duplicate layer id '" + id + "' in graph " + name);
            Checks.checkArgument(!(spec instanceof LayerSpec.Input), "Only one input node allowed: '" + id + "'");
            Checks.checkArgument(inputs.length > 0, "Layer '" + id + "' has no inputs");
            List<LayerId> ins = new ArrayList<>();
            List<Shape> inShapes = new ArrayList<>();
            for (String in : inputs) {
                LayerId iid = LayerId.of(in);
                Shape s = shapes.get(iid);
                Checks.checkArgument(s != null, "Layer '" + id + "' reads '" + in + "', which is not defined before it");
                ins.add(iid);
                inShapes.add(s);
            }
            Shape out = ShapeInference.infer(id, spec, inShapes);
            nodes.add(new Node(lid, spec, ins));
            shapes.put(lid, out);
            return this;
        }

        /** The id of the most recently added node. */
        public String last() {
            return nodes.get(nodes.size() - 1).id().value();
        }

        public NetworkGraph build() {
            Checks.checkArgument(nodes.size() > 1, "Graph " + name + " has no layers");
            return new NetworkGraph(name, nodes, shapes);
        }
    }
}
