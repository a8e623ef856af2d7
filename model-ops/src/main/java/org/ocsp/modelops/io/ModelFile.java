package org.ocsp.modelops.io;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ocsp.modelops.engine.ParameterStore;
import org.ocsp.modelops.engine.TensorKind;
import org.ocsp.modelops.engine.TensorRef;
import org.ocsp.modelops.graph.LayerId;
import org.ocsp.modelops.graph.LayerSpec;
import org.ocsp.modelops.graph.NetworkGraph;
import org.ocsp.modelops.graph.Node;
import org.ocsp.modelops.surgery.ChannelProvenance;

/**
 * Saves and loads a network with everything needed to use it without its original
 * definition: the graph with current widths, every tensor (weights, BN parameters and running
 * statistics), and which original channel each kept channel came from.
 *
 * <p>Format version 1 (big-endian, java.io.DataOutput primitives):
 * <pre>
 * magic "OCSPNET" (7 bytes, UTF-8) | int version = 1
 * utf graphName | int nodeCount | nodeCount x (utf id | utf type | int nIn | nIn x utf input | int nArgs | nArgs x double arg)
 * int groupCount | groupCount x (utf groupId | int originalWidth | int n | n x int originalIndex)
 * int tensorCount | tensorCount x (utf layerId | utf kind | int rank | rank x long dim | length x float value)
 * 32 bytes SHA-256 of everything before it
 * </pre>
 * Spec arguments per type: input (c, h, w); conv2d (in, out, kernel, stride, padding, groups,
 * bias 0/1); batchnorm (channels, eps, momentum); maxpool (kernel, stride, padding); avgpool
 * (kernel, stride); linear (in, out, bias 0/1); relu, gap, flatten, add (none).
 *
 * <pre>{@code
 * String sha = ModelFile.save(path, graph, params, provenance);
 * try (ModelFile.Loaded m = ModelFile.load(path)) { ... m.graph() ... m.params() ... }
 * }</pre>
 */
public final class ModelFile {
    public static final int VERSION = 1;
    private static final byte[] MAGIC = "OCSPNET".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private ModelFile() {
    }

    /** A loaded model; closing it frees the parameters' native memory. */
    public record Loaded(NetworkGraph graph, ParameterStore params, ChannelProvenance provenance, String sha256)
            implements AutoCloseable {
        @Override
        public void close() {
            params.close();
        }
    }

    /** Writes the model and returns the SHA-256 of the file's content (hex). */
    public static String save(Path file, NetworkGraph graph, ParameterStore params, ChannelProvenance provenance)
            throws IOException {
        String[] hex = new String[1];
        AtomicFile.write(file, out -> hex[0] = write(out, graph, params, provenance));
        return hex[0];
    }

    public static String write(OutputStream raw, NetworkGraph graph, ParameterStore params, ChannelProvenance provenance)
            throws IOException {
        MessageDigest md = sha256();
        DataOutputStream out = new DataOutputStream(new DigestOutputStream(raw, md));
        out.write(MAGIC);
        out.writeInt(VERSION);
        out.writeUTF(graph.name());
        out.writeInt(graph.nodes().size());
        for (Node n : graph.nodes()) {
            out.writeUTF(n.id().value());
            out.writeUTF(n.spec().type());
            out.writeInt(n.inputs().size());
            for (LayerId in : n.inputs()) {
                out.writeUTF(in.value());
            }
            double[] args = SpecArgs.of(n.spec());
            out.writeInt(args.length);
            for (double a : args) {
                out.writeDouble(a);
            }
        }
        out.writeInt(provenance.groupIds().size());
        for (String g : provenance.groupIds()) {
            out.writeUTF(g);
            out.writeInt(provenance.originalWidth(g));
            int[] idx = provenance.originalIndices(g);
            out.writeInt(idx.length);
            for (int i : idx) {
                out.writeInt(i);
            }
        }
        List<TensorRef> refs = params.refs();
        out.writeInt(refs.size());
        for (TensorRef ref : refs) {
            INDArray t = params.tensor(ref.layer(), ref.kind());
            out.writeUTF(ref.layer().value());
            out.writeUTF(ref.kind().name());
            out.writeInt(t.rank());
            for (long d : t.shape()) {
                out.writeLong(d);
            }
            for (float f : t.dup('c').data().asFloat()) {
                out.writeFloat(f);
            }
        }
        out.flush();
        byte[] digest = md.digest();
        raw.write(digest);
        raw.flush();
        return HexFormat.of().formatHex(digest);
    }

    public static Loaded load(Path file) throws IOException {
        long size = Files.size(file);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            return read(in, file.toString(), size);
        }
    }

    public static Loaded read(InputStream raw, String source) throws IOException {
        return read(raw, source, Long.MAX_VALUE);
    }

    /**
     * Reads a model of at most {@code sizeBytes} bytes. Every count in the file is checked against
     * that size before anything is allocated for it, and so are the parameters the graph needs, so
     * a corrupt or hostile file fails with a clear message instead of exhausting the heap.
     */
    public static Loaded read(InputStream raw, String source, long sizeBytes) throws IOException {
        MessageDigest md = sha256();
        DataInputStream in = new DataInputStream(new DigestInputStream(raw, md));
        byte[] magic = new byte[MAGIC.length];
        in.readFully(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new IOException(source + " is not a model file (bad magic)");
        }
        int version = in.readInt();
        if (version != VERSION) {
            throw new IOException(source + " has model format version " + version + "; this build reads version " + VERSION);
        }
        String name = in.readUTF();
        int nodes = count(in, "layers", source, sizeBytes);
        NetworkGraph.Builder b = null;
        for (int i = 0; i < nodes; i++) {
            String id = in.readUTF();
            String type = in.readUTF();
            int nIn = count(in, "inputs of a layer", source, sizeBytes);
            String[] inputs = new String[nIn];
            for (int k = 0; k < nIn; k++) {
                inputs[k] = in.readUTF();
            }
            double[] args = new double[count(in, "arguments of a layer", source, sizeBytes)];
            for (int k = 0; k < args.length; k++) {
                args[k] = in.readDouble();
            }
            LayerSpec spec = SpecArgs.spec(type, args);
            if (i == 0) {
                b = NetworkGraph.builder(name, (LayerSpec.Input) spec);
            } else {
                b.add(id, spec, inputs);
            }
        }
        if (b == null) {
            throw new IOException(source + " has no layers");
        }
        NetworkGraph graph = b.build();
        long parameterBytes = ParameterStore.shapesOf(graph).values().stream()
                .mapToLong(shape -> java.util.Arrays.stream(shape).reduce(1, Math::multiplyExact)).sum() * Float.BYTES;
        if (parameterBytes > sizeBytes) {
            throw new IOException(source + ": its graph needs " + parameterBytes + " bytes of parameters, more than the "
                    + sizeBytes + " bytes of the file (corrupt, or not a model file)");
        }
        int groups = count(in, "channel groups", source, sizeBytes);
        Map<String, int[]> orig = new LinkedHashMap<>();
        Map<String, Integer> widths = new LinkedHashMap<>();
        for (int i = 0; i < groups; i++) {
            String g = in.readUTF();
            widths.put(g, in.readInt());
            int[] idx = new int[count(in, "kept channels of a group", source, sizeBytes)];
            for (int k = 0; k < idx.length; k++) {
                idx[k] = in.readInt();
            }
            orig.put(g, idx);
        }
        ParameterStore params = ParameterStore.allocate(graph, DataType.FLOAT);
        try {
            int tensors = count(in, "tensors", source, sizeBytes);
            List<TensorRef> seen = new ArrayList<>();
            for (int i = 0; i < tensors; i++) {
                TensorRef ref = new TensorRef(LayerId.of(in.readUTF()), TensorKind.valueOf(in.readUTF()));
                long[] shape = new long[count(in, "dimensions of a tensor", source, sizeBytes)];
                for (int k = 0; k < shape.length; k++) {
                    shape[k] = in.readLong();
                }
                INDArray target = params.tensor(ref.layer(), ref.kind());
                if (!java.util.Arrays.equals(shape, target.shape())) {
                    throw new IOException(source + ": tensor " + ref.key() + " has shape " + java.util.Arrays.toString(shape)
                            + " but the graph needs " + java.util.Arrays.toString(target.shape()));
                }
                float[] v = new float[Math.toIntExact(target.length())];
                for (int k = 0; k < v.length; k++) {
                    v[k] = in.readFloat();
                }
                target.assign(Nd4j.createFromArray(v).reshape(shape));
                seen.add(ref);
            }
            if (seen.size() != params.refs().size()) {
                throw new IOException(source + ": has " + seen.size() + " tensors, the graph needs " + params.refs().size());
            }
            byte[] expected = md.digest();
            byte[] actual = new byte[expected.length];
            raw.readNBytes(actual, 0, actual.length);
            if (!java.util.Arrays.equals(expected, actual)) {
                throw new IOException(source + ": checksum mismatch (file corrupt or truncated)");
            }
            return new Loaded(graph, params, new ChannelProvenance(orig, widths), HexFormat.of().formatHex(expected));
        } catch (IOException | RuntimeException e) {
            params.close();
            throw e;
        }
    }

    /** A count from the file: each item takes at least one byte, so it cannot exceed the file's size. */
    private static int count(DataInputStream in, String what, String source, long sizeBytes) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > sizeBytes) {
            throw new IOException(source + ": " + n + " " + what + " cannot be in a file of " + sizeBytes
                    + " bytes (corrupt, or not a model file)");
        }
        return n;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
