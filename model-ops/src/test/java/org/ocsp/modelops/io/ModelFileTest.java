package org.ocsp.modelops.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ocsp.modelops.engine.Initializer;
import org.ocsp.modelops.engine.Network;
import org.ocsp.modelops.engine.ParameterStore;
import org.ocsp.modelops.engine.TensorKind;
import org.ocsp.modelops.graph.LayerId;
import org.ocsp.modelops.group.ChannelGroup;
import org.ocsp.modelops.group.ChannelGroups;
import org.ocsp.modelops.selection.SubnetworkMask;
import org.ocsp.modelops.surgery.ChannelProvenance;
import org.ocsp.modelops.surgery.ChannelSurgery;
import org.ocsp.modelops.testing.MaskOracle;
import org.ocsp.modelops.testing.SmallGraphs;

class ModelFileTest {
    @TempDir
    Path dir;

    @Test
    void prunedModelLoadsWithoutItsOriginalDefinitionAndComputesTheSameOutputs() throws IOException {
        var graph = SmallGraphs.residual();
        List<ChannelGroup> groups = ChannelGroups.derive(graph);
        SubnetworkMask mask = MaskOracle.randomMask(groups, 4);
        try (ParameterStore dense = ParameterStore.allocate(graph, DataType.FLOAT)) {
            new Initializer(1).initialize(graph, dense);
            dense.tensor(LayerId.of("bn1"), TensorKind.RUNNING_MEAN).assign(0.25);
            var pruned = ChannelSurgery.apply(graph, dense, groups, mask);
            ChannelProvenance prov = ChannelProvenance.identity(groups).afterSurgery(mask);
            Path file = dir.resolve("model.ocsp");
            String sha;
            try (ParameterStore small = pruned.params()) {
                sha = ModelFile.save(file, pruned.graph(), small, prov);
                try (ModelFile.Loaded loaded = ModelFile.load(file);
                     Network a = new Network(pruned.graph(), small, 2);
                     Network b = new Network(loaded.graph(), loaded.params(), 2)) {
                    assertEquals(sha, loaded.sha256());
                    assertEquals(prov.asMask(), loaded.provenance().asMask());
                    assertEquals(pruned.graph().toString(), loaded.graph().toString());
                    INDArray x = a.input(2);
                    for (long i = 0; i < x.length(); i++) {
                        x.putScalar(i, Math.sin(i));
                    }
                    b.input(2).assign(x);
                    assertArrayEquals(a.forward(2, false).ravel().toFloatVector(), b.forward(2, false).ravel().toFloatVector(), 0f);
                    assertEquals(0.25f, loaded.params().tensor(LayerId.of("bn1"), TensorKind.RUNNING_MEAN).getFloat(0), 0f);
                }
            }
            assertEquals(64, sha.length());
        }
    }

    @Test
    void corruptedFileIsRejectedWithAClearMessage() throws IOException {
        Path file = saved(SmallGraphs.depthwise(), "m.ocsp");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 100] ^= 0x5a;
        Files.write(file, bytes);
        IOException e = assertThrows(IOException.class, () -> ModelFile.load(file).close());
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
        Files.write(file, "not a model".getBytes());
        IOException e2 = assertThrows(IOException.class, () -> ModelFile.load(file).close());
        assertTrue(e2.getMessage().contains("bad magic"), e2.getMessage());
    }

    @Test
    void sizesAreCheckedAgainstTheFileBeforeAnythingIsAllocated() throws IOException {
        var graph = SmallGraphs.residual();
        Path file = saved(graph, "m.ocsp");
        byte[] bytes = Files.readAllBytes(file);
        int layerCount = 7 + 4 + 2 + graph.name().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        byte[] huge = bytes.clone();
        java.nio.ByteBuffer.wrap(huge).putInt(layerCount, Integer.MAX_VALUE);
        Files.write(file, huge);
        IOException e = assertThrows(IOException.class, () -> ModelFile.load(file).close());
        assertTrue(e.getMessage().contains(Integer.MAX_VALUE + " layers cannot be in a file of " + bytes.length), e.getMessage());

        // 140k parameters behind a small graph
        Path big = saved(org.ocsp.modelops.arch.Architectures.byName("fashion-vgg", 10), "big.ocsp");
        byte[] vggBytes = Files.readAllBytes(big);
        Path cut = dir.resolve("cut.ocsp");
        Files.write(cut, java.util.Arrays.copyOf(vggBytes, vggBytes.length / 3)); // the graph whole, the tensors cut off
        IOException e2 = assertThrows(IOException.class, () -> ModelFile.load(cut).close());
        assertTrue(String.valueOf(e2.getMessage()).contains("bytes of parameters, more than the " + vggBytes.length / 3),
                String.valueOf(e2.getMessage()));
    }

    /** The graph with seeded weights, saved under the test's directory. */
    private Path saved(org.ocsp.modelops.graph.NetworkGraph graph, String name) throws IOException {
        Path file = dir.resolve(name);
        try (ParameterStore p = ParameterStore.allocate(graph, DataType.FLOAT)) {
            new Initializer(2).initialize(graph, p);
            ModelFile.save(file, graph, p, ChannelProvenance.identity(ChannelGroups.derive(graph)));
        }
        return file;
    }
}
