package org.ocsp.modelops.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ocsp.modelops.arch.TorchNames;
import org.ocsp.modelops.engine.ParameterStore;
import org.ocsp.modelops.engine.TensorRef;

/**
 * A directory of named tensors that PyTorch reads without extra packages (see
 * {@code bench/pytorch_reference.py}): {@code index.json} lists
 * {@code {"name", "shape", "file"[, "dtype"]}} per tensor, each file holds the raw little-endian
 * values in C order, float32 unless the entry says {@code "int32"}.
 *
 * <pre>{@code
 * TensorDir.Writer w = TensorDir.writer(dir);
 * TensorDir.exportParameters(store, w);          // "features.0.weight", "features.1.running_var", ...
 * w.floats("x.0", new long[] {128, 1, 28, 28}, batch);
 * w.finish();
 * Map<String, float[]> back = TensorDir.readFloats(dir);
 * }</pre>
 * Tensor names are PyTorch {@code state_dict} keys: layer id (= module name) + suffix, where BN's
 * gamma / beta are {@code weight} / {@code bias}.
 */
final class TensorDir {
    private TensorDir() {
    }

    static void exportParameters(ParameterStore store, Writer w) throws IOException {
        for (Map.Entry<TensorRef, long[]> e : store.shapes().entrySet()) {
            INDArray t = store.tensor(e.getKey().layer(), e.getKey().kind());
            w.floats(TorchNames.stateDictKey(e.getKey()), e.getValue(), t.dup().data().asFloat());
        }
    }

    static Writer writer(Path dir) throws IOException {
        Files.createDirectories(dir);
        return new Writer(dir);
    }

    static final class Writer {
        private final Path dir;
        private final StringBuilder entries = new StringBuilder();

        private Writer(Path dir) {
            this.dir = dir;
        }

        void floats(String name, long[] shape, float[] values) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(values);
            write(name, shape, "float32", ".f32", b.array());
        }

        void ints(String name, long[] shape, int[] values) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asIntBuffer().put(values);
            write(name, shape, "int32", ".i32", b.array());
        }

        private void write(String name, long[] shape, String dtype, String ext, byte[] bytes) throws IOException {
            Files.write(dir.resolve(name + ext), bytes);
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < shape.length; i++) {
                s.append(i == 0 ? "" : ", ").append(shape[i]);
            }
            entries.append(entries.length() == 0 ? "\n" : ",\n").append(String.format(Locale.ROOT,
                    "  {\"name\": \"%s\", \"shape\": [%s], \"dtype\": \"%s\", \"file\": \"%s\"}", name, s, dtype, name + ext));
        }

        void finish() throws IOException {
            Files.writeString(dir.resolve("index.json"), "{\"format\": \"model-ops-tensors\", \"version\": 1, "
                    + "\"dtype\": \"float32\", \"byteOrder\": \"little\", \"tensors\": [" + entries + "\n]}\n");
        }
    }

    private static final Pattern ENTRY = Pattern.compile(
            "\\{\\s*\"name\":\\s*\"([^\"]+)\",\\s*\"shape\":\\s*\\[[^\\]]*\\],\\s*\"file\":\\s*\"([^\"]+)\"\\s*\\}");

    /** Reads the float32 tensors of a directory written by the Python side (its index layout). */
    static Map<String, float[]> readFloats(Path dir) throws IOException {
        String index = Files.readString(dir.resolve("index.json")).replaceAll("\\s+", " ");
        Map<String, float[]> out = new LinkedHashMap<>();
        Matcher m = ENTRY.matcher(index);
        while (m.find()) {
            byte[] bytes = Files.readAllBytes(dir.resolve(m.group(2)));
            float[] v = new float[bytes.length / 4];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
            out.put(m.group(1), v);
        }
        if (out.isEmpty()) {
            throw new IOException("No tensors found in " + dir.resolve("index.json"));
        }
        return out;
    }
}
