package org.ocsp.modelops.export;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ocsp.modelops.arch.TorchNames;
import org.ocsp.modelops.engine.ParameterStore;
import org.ocsp.modelops.engine.TensorRef;
import org.ocsp.modelops.graph.NetworkGraph;

/**
 * Weights in the safetensors format, under their PyTorch {@code state_dict} keys, so that
 * {@code model.load_state_dict(...)} of the matching {@code nn.Module} takes them (see
 * {@link PytorchModuleSource}); and the way back, to load PyTorch-trained weights into a
 * model-ops network of the same widths.
 *
 * <p>The format (huggingface/safetensors): an unsigned little-endian 64-bit header length, a
 * JSON header {@code {"name": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, ...,
 * "__metadata__": {string: string}}} padded with spaces to a multiple of 8 bytes, then the raw
 * little-endian tensors in C order, offsets counted from the end of the header.
 *
 * <pre>{@code
 * Safetensors.write(path, graph, params, metadata);
 * Safetensors.Content c = Safetensors.read(path);     // c.tensors().get("features.0.weight")
 * Safetensors.load(path, params);                      // assigns every tensor by its state_dict key
 * }</pre>
 */
public final class Safetensors {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String METADATA = "__metadata__";
    /** A header larger than this is refused before it is allocated (the reference reader's limit too). */
    static final long MAX_HEADER_BYTES = 100L << 20;

    private Safetensors() {
    }

    /** One float32 tensor: its shape and values in C order. */
    public record Tensor(long[] shape, float[] values) {
    }

    /** A read file: tensors in file order, and the metadata. */
    public record Content(Map<String, Tensor> tensors, Map<String, String> metadata) {
    }

    /** Writes the parameters (float32) and the metadata entries atomically; returns the file's SHA-256 (hex). */
    public static String write(Path file, NetworkGraph graph, ParameterStore params, ExportMetadata metadata)
            throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (TensorRef ref : params.refs()) {
            INDArray t = params.tensor(ref.layer(), ref.kind());
            tensors.put(TorchNames.stateDictKey(ref), new Tensor(t.shape(), t.dup('c').data().asFloat()));
        }
        return ExportFiles.writeAtomically(file, encode(tensors, metadata.entries(graph, 0)));
    }

    /** The bytes of a safetensors file with these float32 tensors, in this order. */
    public static byte[] encode(Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put(METADATA, metadata);
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            long end = offset + (long) e.getValue().values().length * Float.BYTES;
            header.put(e.getKey(), Map.of("dtype", "F32", "shape", e.getValue().shape(), "data_offsets",
                    List.of(offset, end)));
            offset = end;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8;
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.toIntExact(8 + padded + offset));
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
        out.write(json);
        for (int i = json.length; i < padded; i++) {
            out.write(' ');
        }
        for (Tensor t : tensors.values()) {
            ByteBuffer b = ByteBuffer.allocate(t.values().length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(t.values());
            out.write(b.array());
        }
        return out.toByteArray();
    }

    /** Reads a file of float32 tensors; any other dtype, or offsets outside the file, is refused. */
    public static Content read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        ByteBuffer buf = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        if (all.length < 8) {
            throw new IOException(file + " is not a safetensors file: shorter than its 8-byte header length");
        }
        long headerLength = buf.getLong(0);
        if (headerLength < 2 || headerLength > MAX_HEADER_BYTES || 8 + headerLength > all.length) {
            throw new IOException(file + " is not a safetensors file: header length " + headerLength
                    + " does not fit a file of " + all.length + " bytes (limit " + MAX_HEADER_BYTES + ")");
        }
        Map<String, Object> header = JSON.readValue(new String(all, 8, (int) headerLength, StandardCharsets.UTF_8).trim(),
                new TypeReference<LinkedHashMap<String, Object>>() { });
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        long data = 8 + headerLength;
        for (Map.Entry<String, Object> e : header.entrySet()) {
            if (e.getKey().equals(METADATA)) {
                ((Map<?, ?>) e.getValue()).forEach((k, v) -> metadata.put(String.valueOf(k), String.valueOf(v)));
                continue;
            }
            Map<?, ?> entry = (Map<?, ?>) e.getValue();
            if (e.getKey().endsWith(".num_batches_tracked")) {
                continue; // PyTorch's BN step counter (I64): model-ops keeps no such state
            }
            if (!"F32".equals(entry.get("dtype"))) {
                throw new IOException(file + ": tensor " + e.getKey() + " has dtype " + entry.get("dtype")
                        + "; model-ops reads F32 only");
            }
            long[] shape = ((List<?>) entry.get("shape")).stream().mapToLong(d -> ((Number) d).longValue()).toArray();
            List<?> offsets = (List<?>) entry.get("data_offsets");
            long begin = ((Number) offsets.get(0)).longValue();
            long end = ((Number) offsets.get(1)).longValue();
            long count = Arrays.stream(shape).reduce(1, Math::multiplyExact);
            if (begin < 0 || end - begin != count * Float.BYTES || data + end > all.length) {
                throw new IOException(file + ": tensor " + e.getKey() + " of shape " + Arrays.toString(shape)
                        + " has data offsets [" + begin + ", " + end + ") that do not fit its shape or the file");
            }
            float[] values = new float[(int) count];
            buf.slice((int) (data + begin), (int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
            tensors.put(e.getKey(), new Tensor(shape, values));
        }
        return new Content(tensors, metadata);
    }

    /**
     * Assigns every parameter of {@code params} from the file's tensor of the same
     * {@code state_dict} key. A missing tensor, a wrong shape or a tensor the network does not
     * have is an error naming it; PyTorch's {@code num_batches_tracked} counters are skipped by {@link #read}.
     */
    public static void load(Path file, ParameterStore params) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>(read(file).tensors());
        for (TensorRef ref : params.refs()) {
            String key = TorchNames.stateDictKey(ref);
            Tensor t = tensors.remove(key);
            INDArray target = params.tensor(ref.layer(), ref.kind());
            if (t == null) {
                throw new IOException(file + " has no tensor " + key + " (shape " + Arrays.toString(target.shape()) + ")");
            }
            if (!Arrays.equals(t.shape(), target.shape())) {
                throw new IOException(file + ": tensor " + key + " has shape " + Arrays.toString(t.shape())
                        + ", the network needs " + Arrays.toString(target.shape()));
            }
            target.assign(Nd4j.createFromArray(t.values()).reshape(t.shape()));
        }
        if (!tensors.isEmpty()) {
            throw new IOException(file + " has tensors the network does not: " + tensors.keySet());
        }
    }
}
