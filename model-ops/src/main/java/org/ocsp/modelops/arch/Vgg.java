package org.ocsp.modelops.arch;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.ocsp.modelops.graph.LayerSpec;
import org.ocsp.modelops.graph.NetworkGraph;

/**
 * VGG networks laid out like the reference's CIFAR VGG ({@code engine/models/cifar/vgg.py} of
 * OCSPruner, taken from RepDistiller): the convolutions sit in five {@code nn.Sequential} blocks
 * {@code block0..block4}, each a run of 3x3 conv (bias) [+ BN] + ReLU modules whose last ReLU is
 * dropped and applied functionally in {@code forward} ({@code F.relu0..}); a 2x2 max pool
 * {@code pool<i>} may follow block i; the last block is followed by a global average pool
 * ({@code pool<last>}, AdaptiveAvgPool2d(1)), a flatten and one linear layer {@code classifier}.
 *
 * <pre>{@code
 * NetworkGraph vgg16 = Vgg.cifar16(10);          // the reference's vgg16 (vgg16_bn), 32x32 input
 * NetworkGraph small = Vgg.builder()
 *     .setCfg("32 M 64 64 M 128")                // widths; "M" ends a block with a max pool,
 *     .setNumClasses(10)                         // "|" ends a block without one
 *     .optInput(new LayerSpec.Input(1, 28, 28))
 *     .build();
 * }</pre>
 */
public final class Vgg {
    /** Block widths of the reference's configurations A (11), B (13), D (16) and E (19 layers). */
    private static final int[][] CFG_A = {{64}, {128}, {256, 256}, {512, 512}, {512, 512}};
    private static final int[][] CFG_B = {{64, 64}, {128, 128}, {256, 256}, {512, 512}, {512, 512}};
    private static final int[][] CFG_D = {{64, 64}, {128, 128}, {256, 256, 256}, {512, 512, 512}, {512, 512, 512}};
    private static final int[][] CFG_E = {{64, 64}, {128, 128}, {256, 256, 256, 256}, {512, 512, 512, 512},
        {512, 512, 512, 512}};

    private Vgg() {
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The reference's CIFAR VGG-16 ({@code vgg16} in its registry, i.e. {@code vgg16_bn}) at 3x32x32. */
    public static NetworkGraph cifar16(int numClasses) {
        return cifar(16, numClasses, new LayerSpec.Input(3, 32, 32));
    }

    public static NetworkGraph cifar16(int numClasses, LayerSpec.Input input) {
        return cifar(16, numClasses, input);
    }

    /**
     * The reference's CIFAR VGG with batch norm, depth 11, 13, 16 or 19. As in the reference,
     * {@code pool3} is applied only when the input is 64 pixels high; blocks 0-2 are always
     * followed by a max pool.
     */
    public static NetworkGraph cifar(int depth, int numClasses, LayerSpec.Input input) {
        int[][] blocks;
        switch (depth) {
            case 11: blocks = CFG_A; break;
            case 13: blocks = CFG_B; break;
            case 16: blocks = CFG_D; break;
            case 19: blocks = CFG_E; break;
            default:
                throw new IllegalArgumentException("Invalid value " + depth
                        + " for VGG depth: must be one of 11, 13, 16, 19");
        }
        StringBuilder cfg = new StringBuilder();
        for (int b = 0; b < blocks.length; b++) {
            for (int w : blocks[b]) {
                cfg.append(w).append(' ');
            }
            if (b < 3) {
                cfg.append("M ");
            } else if (b == 3) {
                cfg.append(input.height() == 64 ? "M " : "| ");
            }
        }
        return builder().optName("vgg" + depth + "-cifar").setCfg(cfg.toString().trim())
                .setNumClasses(numClasses).optInput(input).build();
    }

    /** Settings of a VGG; {@code set*} are required, {@code opt*} have defaults. */
    public static final class Builder {
        private String cfg;
        private Integer numClasses;
        private String name = "vgg";
        private LayerSpec.Input input = new LayerSpec.Input(3, 32, 32);
        private boolean batchNorm = true;
        private boolean convBias = true;

        private Builder() {
        }

        /** Conv widths, {@code M} (block end + 2x2 max pool), {@code |} (block end); spaces or commas between. */
        public Builder setCfg(String cfg) {
            this.cfg = cfg;
            return this;
        }

        public Builder setNumClasses(int numClasses) {
            this.numClasses = numClasses;
            return this;
        }

        /** Graph name; default "vgg". */
        public Builder optName(String name) {
            this.name = name;
            return this;
        }

        /** Input shape; default 3x32x32. */
        public Builder optInput(LayerSpec.Input input) {
            this.input = input;
            return this;
        }

        /** BatchNorm after every conv; default true (the reference registry's vgg16 is vgg16_bn). */
        public Builder optBatchNorm(boolean batchNorm) {
            this.batchNorm = batchNorm;
            return this;
        }

        /** Conv bias; default true (the reference keeps nn.Conv2d's default bias even before BN). */
        public Builder optConvBias(boolean convBias) {
            this.convBias = convBias;
            return this;
        }

        /** Builds the graph; reports every invalid setting at once. */
        public NetworkGraph build() {
            List<String> errors = new ArrayList<>();
            if (cfg == null) {
                errors.add("Missing configuration cfg: call setCfg(\"64 64 M 128 ...\")");
            }
            if (numClasses == null) {
                errors.add("Missing configuration numClasses: call setNumClasses(n)");
            } else if (numClasses <= 0) {
                errors.add("Invalid value " + numClasses + " for configuration numClasses: must be > 0");
            }
            if (input == null) {
                errors.add("Invalid value null for configuration input: must be an input shape");
            }
            List<Block> blocks = cfg == null ? List.of() : parse(cfg, errors);
            if (!errors.isEmpty()) {
                throw new IllegalArgumentException("Invalid VGG '" + name + "': " + String.join("; ", errors));
            }
            return assemble(blocks);
        }

        private NetworkGraph assemble(List<Block> blocks) {
            NetworkGraph.Builder g = NetworkGraph.builder(name, input);
            int in = input.channels();
            for (int b = 0; b < blocks.size(); b++) {
                Block block = blocks.get(b);
                int idx = 0;
                for (int j = 0; j < block.widths().size(); j++) {
                    int w = block.widths().get(j);
                    g.add("block" + b + "." + idx++, new LayerSpec.Conv2d(in, w, 3, 1, 1, 1, convBias));
                    if (batchNorm) {
                        g.add("block" + b + "." + idx++, new LayerSpec.BatchNorm(w));
                    }
                    if (j < block.widths().size() - 1) {
                        g.add("block" + b + "." + idx, new LayerSpec.Relu());
                    }
                    idx++;
                    in = w;
                }
                g.add(TorchNames.functional("", "relu" + b), new LayerSpec.Relu());
                if (block.pool()) {
                    g.add("pool" + b, new LayerSpec.MaxPool(2, 2, 0));
                }
            }
            g.add("pool" + (blocks.size() - 1), new LayerSpec.GlobalAvgPool());
            g.add("flatten", new LayerSpec.Flatten());
            g.add("classifier", new LayerSpec.Linear(in, numClasses, true));
            return g.build();
        }

        private static List<Block> parse(String cfg, List<String> errors) {
            List<Block> blocks = new ArrayList<>();
            List<Integer> current = new ArrayList<>();
            String[] tokens = cfg.trim().split("[\\s,]+");
            String last = null;
            for (String t : tokens) {
                if (t.isEmpty()) {
                    continue;
                }
                last = t;
                String u = t.toUpperCase(Locale.ROOT);
                if (u.equals("M") || u.equals("|")) {
                    if (current.isEmpty()) {
                        errors.add("Invalid value '" + cfg + "' for configuration cfg: '" + t
                                + "' must follow at least one conv width (blocks cannot be empty)");
                        return List.of();
                    }
                    blocks.add(new Block(List.copyOf(current), u.equals("M")));
                    current.clear();
                } else {
                    Optional<Integer> w = parseWidth(t);
                    if (w.isEmpty()) {
                        errors.add("Invalid value '" + cfg + "' for configuration cfg: token '" + t
                                + "' is neither a positive width, 'M' nor '|'");
                        return List.of();
                    }
                    current.add(w.get());
                }
            }
            if (last == null) {
                errors.add("Invalid value '" + cfg + "' for configuration cfg: no conv widths");
                return List.of();
            }
            if (current.isEmpty()) {
                errors.add("Invalid value '" + cfg + "' for configuration cfg: must end with a width"
                        + " (the last block is followed by the global average pool)");
                return List.of();
            }
            blocks.add(new Block(List.copyOf(current), false));
            return blocks;
        }

        private static Optional<Integer> parseWidth(String t) {
            try {
                int w = Integer.parseInt(t);
                return w > 0 ? Optional.of(w) : Optional.empty();
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
    }

    private record Block(List<Integer> widths, boolean pool) {
    }
}
