package org.ocsp.modelops.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.ocsp.modelops.graph.LayerId;
import org.ocsp.modelops.graph.LayerSpec;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.graph.Shape;

class ArchitecturesTest {

    static List<String> names() {
        return Architectures.names();
    }

    @Test
    void listsTheRequiredNamesInAFixedOrder() {
        List<String> names = Architectures.names();
        assertTrue(names.containsAll(List.of("vgg16-cifar", "resnet20", "resnet32", "resnet56", "resnet110",
                "resnet18", "resnet50", "fashion-vgg", "mobile-tiny")), names.toString());
        assertEquals(names, Architectures.names());
        assertEquals("vgg11-cifar", names.get(0));
    }

    @ParameterizedTest
    @MethodSource("names")
    void everyArchitectureEndsInOneLogitPerClass(String name) {
        NetworkGraph g = Architectures.byName(name, 7);
        assertEquals(Shape.features(7), g.shape(g.output().id()));
        assertEquals(7, g.numClasses());
        assertEquals(Architectures.entry(name).defaultInput(), g.inputSpec());
    }

    @Test
    void unknownNameThrowsAndListsTheKnownNames() {
        UnknownArchitectureException e = assertThrows(UnknownArchitectureException.class,
                () -> Architectures.byName("resnet57", 10));
        assertInstanceOf(IllegalArgumentException.class, e);
        assertEquals("resnet57", e.name());
        assertEquals(Architectures.names(), e.known());
        assertTrue(e.getMessage().startsWith("Unknown architecture 'resnet57': known architectures are vgg11-cifar, "),
                e.getMessage());
        assertTrue(e.getMessage().contains("resnet56") && e.getMessage().contains("fashion-vgg"), e.getMessage());
    }

    @Test
    void namesMatchCaseInsensitively() {
        assertEquals("resnet56", Architectures.byName(" ResNet56 ", 10).name());
    }

    @Test
    void inputShapeCanBeOverridden() {
        NetworkGraph g = Architectures.byName("resnet18", 200, new LayerSpec.Input(3, 64, 64));
        assertEquals(Shape.spatial(512, 2, 2), g.shape(LayerId.of("layer4.1.relu#2")));
        assertEquals(Shape.features(200), g.shape(LayerId.of("fc")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"vgg16-cifar", "resnet56", "resnet18", "resnet50", "fashion-vgg", "mobile-tiny"})
    void nonPositiveClassCountIsRejected(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Architectures.byName(name, 0));
        assertTrue(e.getMessage().contains("Invalid value 0 for") && e.getMessage().contains("numClasses"),
                e.getMessage());
    }
}
