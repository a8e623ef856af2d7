package org.ocsp.modelops.group;

import java.util.List;
import java.util.function.Predicate;
import org.ocsp.modelops.graph.LayerId;
import org.ocsp.modelops.graph.LayerSpec;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.graph.Node;
import org.ocsp.modelops.graph.Shape;

/**
 * How one kind of layer couples channel spaces, and which group members it contributes. Exactly
 * one rule applies to each layer: the first in declaration order whose kind matches, so the
 * special convs come before the plain conv.
 */
enum CouplingRule {
    /** The network input: its channels are the data's, never prunable. */
    NETWORK_INPUT(s -> s instanceof LayerSpec.Input) {
        @Override
        void couple(Node n, NetworkGraph graph, ChannelSpaces spaces) {
            spaces.block(n.id());
        }
    },
    /** A depthwise conv (groups == in == out) keeps its input's channels, one filter per channel. */
    DEPTHWISE_CONV(s -> s instanceof LayerSpec.Conv2d c && c.depthwise() && c.outChannels() == c.inChannels()) {
        @Override
        void couple(Node n, NetworkGraph graph, ChannelSpaces spaces) {
            keepInputChannels(n, spaces);
        }

        @Override
        List<GroupMember> members(Node n, ChannelSpaces spaces) {
            return List.of(new GroupMember(n.id(), Side.DEPTHWISE, 1));
        }
    },
    /** Any other grouped conv ties channels across its groups: what it reads and writes stays whole. */
    GROUPED_CONV(s -> s instanceof LayerSpec.Conv2d c && c.groups() > 1) {
        @Override
        void couple(Node n, NetworkGraph graph, ChannelSpaces spaces) {
            spaces.block(in(n));
            spaces.block(n.id());
        }
    },
    /** A conv starts a new channel space; it consumes its input's channels (never flattened ones). */
    CONV(s -> s instanceof LayerSpec.Conv2d) {
        @Override
        void couple(Node n, NetworkGraph graph, ChannelSpaces spaces) {
            spaces.blockIfFlattened(in(n));
        }

        @Override
        List<GroupMember> members(Node n, ChannelSpaces spaces) {
            return producerAndConsumer(n, spaces);
        }
    },
    /** A linear layer starts a new space; after a flatten it owns H*W input columns per channel. */
    LINEAR(s -> s instanceof LayerSpec.Linear) {
        @Override
        List<GroupMember> members(Node n, ChannelSpaces spaces) {
            return producerAndConsumer(n, spaces);
        }
    },
    /** Batch norm keeps its input's channels and has per-channel parameters of its own. */
    BATCH_NORM(s -> s instanceof LayerSpec.BatchNorm) {
        @Override
        void couple(Node n, NetworkGraph graph, ChannelSpaces spaces) {
            keepInputChannels(n, spaces);
        }

        @Override
        List<GroupMember> members(Node n, ChannelSpaces spaces) {
            return List.of(new GroupMember(n.id(), Side.BN, 1));
        }
    },
    /** ReLU and pooling act per channel: same channels in and out, no parameters. */
    CHANNELWISE(s -> s instanceof LayerSpec.Relu || s instanceof LayerSpec.MaxPool || s instanceof LayerSpec.AvgPool
            || s instanceof LayerSpec.GlobalAvgPool) {
        @Override
        void couple(Node n, NetworkGraph graph, ChannelSpaces spaces) {
            keepInputChannels(n, spaces);
        }
    },
    /** A residual add sums its inputs channel by channel: all of them carry one set of channels. */
    RESIDUAL_ADD(s -> s instanceof LayerSpec.Add) {
        @Override
        void couple(Node n, NetworkGraph graph, ChannelSpaces spaces) {
            for (LayerId input : n.inputs()) {
                spaces.couple(n.id(), input);
            }
        }
    },
    /** Flatten keeps the channels and spreads each over its input's H*W columns. */
    FLATTEN(s -> s instanceof LayerSpec.Flatten) {
        @Override
        void couple(Node n, NetworkGraph graph, ChannelSpaces spaces) {
            spaces.couple(n.id(), in(n));
            Shape shape = graph.shape(in(n));
            spaces.columns(n.id(), shape.height() * shape.width());
        }
    };

    private final Predicate<LayerSpec> kind;

    CouplingRule(Predicate<LayerSpec> kind) {
        this.kind = kind;
    }

    /** The rule for this layer. */
    static CouplingRule of(LayerSpec spec) {
        for (CouplingRule r : values()) {
            if (r.kind.test(spec)) {
                return r;
            }
        }
        throw new IllegalArgumentException("No channel coupling rule for a " + spec.type() + " layer");
    }

    /** Records what this layer couples or blocks; runs for every layer before any member is taken. */
    void couple(Node n, NetworkGraph graph, ChannelSpaces spaces) {
    }

    /** The members this layer adds to groups, each in the space of the output it prunes. */
    List<GroupMember> members(Node n, ChannelSpaces spaces) {
        return List.of();
    }

    /** Same channels out as in; per-channel work, so a flattened input (columns, not channels) is blocked. */
    private static void keepInputChannels(Node n, ChannelSpaces spaces) {
        spaces.couple(n.id(), in(n));
        spaces.blockIfFlattened(in(n));
    }

    private static LayerId in(Node n) {
        return n.inputs().get(0);
    }

    /** Pruning the input space removes input channels (or their columns); the output space, output channels. */
    private static List<GroupMember> producerAndConsumer(Node n, ChannelSpaces spaces) {
        return List.of(new GroupMember(n.id(), Side.IN, spaces.columns(in(n))), new GroupMember(n.id(), Side.OUT, 1));
    }
}
