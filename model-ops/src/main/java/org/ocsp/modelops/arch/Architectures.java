package org.ocsp.modelops.arch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.ocsp.modelops.graph.LayerSpec;
import org.ocsp.modelops.graph.NetworkGraph;

/**
 * The architectures a run can name, each with its default input shape.
 *
 * <pre>{@code
 * NetworkGraph r56 = Architectures.byName("resnet56", 10);                 // 3x32x32
 * NetworkGraph r18 = Architectures.byName("resnet18", 1000);               // 3x224x224
 * NetworkGraph r18s = Architectures.byName("resnet18", 200, new LayerSpec.Input(3, 64, 64));
 * Architectures.names();   // [vgg11-cifar, vgg13-cifar, vgg16-cifar, vgg19-cifar, resnet20, ...]
 * }</pre>
 * Names are matched case-insensitively; an unknown name throws {@link UnknownArchitectureException}
 * listing the known ones.
 */
public final class Architectures {
    private static final LayerSpec.Input CIFAR = new LayerSpec.Input(3, 32, 32);
    private static final LayerSpec.Input IMAGENET = new LayerSpec.Input(3, 224, 224);
    private static final LayerSpec.Input FASHION = new LayerSpec.Input(1, 28, 28);
    private static final LayerSpec.Input SMALL = new LayerSpec.Input(3, 16, 16);

    private static final Map<String, Entry> ENTRIES = entries();

    private Architectures() {
    }

    /** One registered architecture. */
    public record Entry(String name, String description, LayerSpec.Input defaultInput, Factory factory) {
        public Entry {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(defaultInput, "defaultInput");
            Objects.requireNonNull(factory, "factory");
        }
    }

    /** Builds one architecture for a class count and input shape. */
    @FunctionalInterface
    public interface Factory {
        NetworkGraph build(int numClasses, LayerSpec.Input input);
    }

    /** Registered names, in a fixed order. */
    public static List<String> names() {
        return List.copyOf(ENTRIES.keySet());
    }

    public static Entry entry(String name) {
        Objects.requireNonNull(name, "architecture name");
        Entry e = ENTRIES.get(name.trim().toLowerCase(Locale.ROOT));
        if (e == null) {
            throw new UnknownArchitectureException(name, names());
        }
        return e;
    }

    /** The named architecture at its default input shape. */
    public static NetworkGraph byName(String name, int numClasses) {
        Entry e = entry(name);
        return e.factory().build(numClasses, e.defaultInput());
    }

    /** The named architecture at the given input shape. */
    public static NetworkGraph byName(String name, int numClasses, LayerSpec.Input input) {
        Objects.requireNonNull(input, "input shape");
        return entry(name).factory().build(numClasses, input);
    }

    private static Map<String, Entry> entries() {
        List<Entry> list = new ArrayList<>();
        for (int depth : new int[] {11, 13, 16, 19}) {
            list.add(new Entry("vgg" + depth + "-cifar", "reference CIFAR VGG-" + depth + " with BN (vgg" + depth
                    + "_bn)", CIFAR, (n, in) -> Vgg.cifar(depth, n, in)));
        }
        for (int depth : new int[] {20, 32, 44, 56, 110}) {
            list.add(new Entry("resnet" + depth, "reference CIFAR ResNet-" + depth + " (resnet_tiny)", CIFAR,
                    (n, in) -> CifarResNet.resnet(depth, n, in)));
        }
        list.add(new Entry("resnet18", "torchvision ResNet-18", IMAGENET, ImageNetResNet::resnet18));
        list.add(new Entry("resnet34", "torchvision ResNet-34", IMAGENET, ImageNetResNet::resnet34));
        list.add(new Entry("resnet50", "torchvision ResNet-50 (v1.5)", IMAGENET, ImageNetResNet::resnet50));
        list.add(new Entry("fashion-vgg", "small VGG for 28x28 grey images", FASHION, FashionVgg::build));
        list.add(new Entry("mobile-tiny", "depthwise-separable block (test model)", SMALL, MobileBlocks::tiny));
        list.add(new Entry("mobile-tiny-residual", "inverted residual block (test model)", SMALL,
                MobileBlocks::tinyResidual));
        Map<String, Entry> map = new LinkedHashMap<>();
        for (Entry e : list) {
            map.put(e.name(), e);
        }
        return Collections.unmodifiableMap(map);
    }
}
