package org.ocsp.modelops.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.ocsp.modelops.arch.TorchNames;
import org.ocsp.modelops.bench.ExportSamples;
import org.ocsp.modelops.data.FashionMnist;
import org.ocsp.modelops.engine.ParameterStore;
import org.ocsp.modelops.engine.TensorRef;

class SafetensorsTest {
    @TempDir
    Path dir;

    static final ExportMetadata META = ExportMetadata.builder().setNormalization(FashionMnist.NORMALIZATION)
            .optRun("run-3", "c0ffee").build();

    @Test
    void prunedWeightsRoundTripUnderTheirPytorchNamesAndLoadIntoTheSameWidths() throws IOException {
        try (ExportSamples.Sample s = ExportSamples.build("resnet20", true, 5)) {
            Path file = dir.resolve("model.safetensors");
            String sha = Safetensors.write(file, s.graph(), s.params(), META);
            assertEquals(ExportFiles.sha256(Files.readAllBytes(file)), sha);

            byte[] bytes = Files.readAllBytes(file);
            long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
            assertEquals(0, headerLength % 8, "the data starts 8-byte aligned");
            String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
            assertTrue(header.startsWith("{\"__metadata__\":{\"ocsp.architecture\":\"resnet20\""), header);

            Safetensors.Content c = Safetensors.read(file);
            assertEquals(s.params().refs().stream().map(TorchNames::stateDictKey).toList(),
                    List.copyOf(c.tensors().keySet()));
            assertEquals(META.entries(s.graph(), 0), c.metadata());
            TensorRef first = s.params().refs().get(0);
            assertEquals("conv1.weight", TorchNames.stateDictKey(first));
            assertArrayEquals(s.params().tensor(first.layer(), first.kind()).shape(), c.tensors().get("conv1.weight").shape());

            try (ParameterStore loaded = ParameterStore.allocate(s.graph(), DataType.FLOAT)) {
                Safetensors.load(file, loaded);
                ExportSamples.Sample back = new ExportSamples.Sample("resnet20", true, s.graph(), loaded);
                float[] x = new float[2 * 32 * 32];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) Math.sin(i);
                }
                assertArrayEquals(s.logits(x, 2), back.logits(x, 2), 0f);
            }
        }
    }

    @Test
    void loadNamesTheTensorThatDoesNotFit() throws IOException {
        try (ExportSamples.Sample dense = ExportSamples.build("fashion-vgg", false, 1);
             ExportSamples.Sample pruned = ExportSamples.build("fashion-vgg", true, 1)) {
            Path file = dir.resolve("dense.safetensors");
            Safetensors.write(file, dense.graph(), dense.params(), META);
            IOException e = assertThrows(IOException.class, () -> Safetensors.load(file, pruned.params()));
            assertTrue(e.getMessage().contains("has shape") && e.getMessage().contains("the network needs"), e.getMessage());
        }
    }

    @Test
    void pytorchBatchCountersAreSkippedAndOtherDtypesOrBadOffsetsAreRefused() throws IOException {
        Map<String, Safetensors.Tensor> t = new LinkedHashMap<>();
        t.put("a.weight", new Safetensors.Tensor(new long[] {2, 2}, new float[] {1, 2, 3, 4}));
        Path ok = dir.resolve("ok.safetensors");
        Files.write(ok, Safetensors.encode(t, Map.of()));
        assertArrayEquals(new float[] {1, 2, 3, 4}, Safetensors.read(ok).tensors().get("a.weight").values(), 0f);

        String torchHeader = "{\"bn.num_batches_tracked\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[0,8]},"
                + "\"bn.weight\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}";
        Path torch = dir.resolve("torch.safetensors");
        Files.write(torch, file(torchHeader, 12));
        assertEquals(List.of("bn.weight"), List.copyOf(Safetensors.read(torch).tensors().keySet()));

        Path half = dir.resolve("half.safetensors");
        Files.write(half, file("{\"w\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,2]}}", 2));
        assertTrue(assertThrows(IOException.class, () -> Safetensors.read(half)).getMessage().contains("dtype F16"));

        Path outside = dir.resolve("outside.safetensors");
        Files.write(outside, file("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8));
        assertTrue(assertThrows(IOException.class, () -> Safetensors.read(outside)).getMessage().contains("do not fit"));

        Path huge = dir.resolve("huge.safetensors");
        Files.write(huge, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(Long.MAX_VALUE).array());
        assertTrue(assertThrows(IOException.class, () -> Safetensors.read(huge)).getMessage().contains("header length"));
    }

    private static byte[] file(String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).put(h)
                .array();
    }
}
