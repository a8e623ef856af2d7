package org.ocsp.modelops.engine;

import java.util.List;
import java.util.Optional;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.stream;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The oneDNN CPU engine and stream shared by every {@link DnnlPlan}, and the layouts plans use.
 * Activations between layers stay in oneDNN's blocked channel layout (nChw16c with AVX-512,
 * nChw8c with AVX2), the layout its fastest conv kernels read and write, or in channels-last
 * (see {@link #activationLayouts()}): libnd4j's conv op converts from and to NCHW around every
 * call instead, which was most of our step time.
 */
final class Dnnl {
    private static final Logger LOG = LoggerFactory.getLogger(Dnnl.class);
    private static final Object LOCK = new Object();
    private static Optional<Dnnl> instance;

    final engine engine;
    final stream stream;
    private final memory.format_tag blocked;
    private final boolean winograd;

    private Dnnl() {
        this.engine = new engine(org.bytedeco.dnnl.engine.kind.cpu, 0);
        this.stream = new stream(engine);
        this.blocked = probeBlockedLayout(engine);
        this.winograd = probeWinograd(engine);
    }

    /** The engine, or empty (with the reason logged once) if oneDNN's native library cannot load. */
    static Optional<Dnnl> get() {
        synchronized (LOCK) {
            if (instance == null) {
                try {
                    Dnnl d = new Dnnl();
                    LOG.info("oneDNN {}.{}.{} CPU engine: {}", dnnl.dnnl_version().major(),
                            dnnl.dnnl_version().minor(), dnnl.dnnl_version().patch(), d.describe());
                    instance = Optional.of(d);
                } catch (Throwable t) {
                    LOG.warn("oneDNN is not available ({}); the ND4J engine is used", t.toString());
                    instance = Optional.empty();
                }
            }
            return instance;
        }
    }

    /**
     * The instruction set oneDNN dispatches to: the CPU's best, or less where {@code ONEDNN_MAX_CPU_ISA}
     * (older name {@code DNNL_MAX_CPU_ISA}) caps it. Its kernel names carry the same word
     * ({@code jit:avx2}, {@code bnorm_jit:avx512_common}).
     */
    String isa() {
        int bits = dnnl.dnnl_get_effective_cpu_isa();
        for (dnnl.cpu_isa i : dnnl.cpu_isa.values()) {
            if (i.value == bits) {
                return i.name();
            }
        }
        return "0x" + Integer.toHexString(bits);
    }

    /** Channels per block of the blocked activation layout (16 with AVX-512, 8 with AVX2), or 1 without one. */
    int channelBlock() {
        return blocked == memory.format_tag.nChw16c ? 16 : blocked == memory.format_tag.nChw8c ? 8 : 1;
    }

    /** True if this ISA has Winograd conv kernels (oneDNN 2.5 has them for AVX-512 only). */
    boolean hasWinograd() {
        return winograd;
    }

    /** ISA (and its cap, if one is set), activation layout and Winograd availability, for logs and startup lines. */
    String describe() {
        String cap = System.getenv("ONEDNN_MAX_CPU_ISA") != null ? "ONEDNN_MAX_CPU_ISA=" + System.getenv("ONEDNN_MAX_CPU_ISA")
                : System.getenv("DNNL_MAX_CPU_ISA") != null ? "DNNL_MAX_CPU_ISA=" + System.getenv("DNNL_MAX_CPU_ISA") : null;
        return "ISA " + isa() + (cap == null ? "" : " (capped by " + cap + ")") + ", activations in " + blocked
                + ", Winograd kernels " + (winograd ? "available" : "not available");
    }

    /** Asks oneDNN whether it has a Winograd kernel for a conv every Winograd implementation covers (64 -> 64, 3x3). */
    private static boolean probeWinograd(engine e) {
        long[] one = {1, 1};
        try {
            new convolution_forward.primitive_desc(new convolution_forward.desc(dnnl.prop_kind.forward_training,
                    dnnl.algorithm.convolution_winograd, any(new long[] {32, 64, 16, 16}), any(new long[] {64, 64, 3, 3}),
                    any(new long[] {32, 64, 16, 16}), one, one, one), e);
            return true;
        } catch (RuntimeException unsupported) {
            return false;
        }
    }

    /** Asks oneDNN which source layout its conv picks when free to choose. */
    private static memory.format_tag probeBlockedLayout(engine e) {
        memory.desc any = new memory.desc(new long[] {1, 32, 8, 8}, memory.data_type.f32, memory.format_tag.any);
        memory.desc w = new memory.desc(new long[] {32, 32, 3, 3}, memory.data_type.f32, memory.format_tag.any);
        long[] one = {1, 1};
        convolution_forward.primitive_desc pd = new convolution_forward.primitive_desc(
                new convolution_forward.desc(dnnl.prop_kind.forward_training, dnnl.algorithm.convolution_direct,
                        any, w, any, one, one, one), e);
        memory.desc chosen = pd.src_desc();
        for (memory.format_tag t : new memory.format_tag[] {memory.format_tag.nChw16c, memory.format_tag.nChw8c}) {
            if (chosen.equals(new memory.desc(new long[] {1, 32, 8, 8}, memory.data_type.f32, t))) {
                return t;
            }
        }
        return memory.format_tag.nchw;
    }

    /** Row-major layout of the given dims (NCHW for 4-D, [N, F] for 2-D). */
    static memory.desc plain(long[] dims) {
        memory.format_tag t = switch (dims.length) {
            case 1 -> memory.format_tag.a;
            case 2 -> memory.format_tag.ab;
            case 3 -> memory.format_tag.abc;
            case 4 -> memory.format_tag.abcd;
            case 5 -> memory.format_tag.abcde;
            default -> throw new IllegalArgumentException("Unsupported rank " + dims.length);
        };
        return new memory.desc(dims, memory.data_type.f32, t);
    }

    /**
     * Activation layouts to try for a network, best first: the blocked layout, then channels-last
     * (NHWC). oneDNN 2.5's optimised convs need blocked channel counts that are multiples of the
     * block, so a pruned network with, say, 5 channels in a group would fall back to its reference
     * kernel (100x slower, measured); channels-last has optimised kernels for any channel count.
     */
    List<memory.format_tag> activationLayouts() {
        return blocked == memory.format_tag.nchw ? List.of(memory.format_tag.nhwc)
                : List.of(blocked, memory.format_tag.nhwc);
    }

    static memory.desc layout(long[] dims, memory.format_tag tag) {
        return new memory.desc(dims, memory.data_type.f32, tag);
    }

    /** True if oneDNN chose its reference (unoptimised) implementation for this primitive. */
    static boolean isReference(org.bytedeco.dnnl.primitive_desc pd) {
        return pd.impl_info_str().getString().startsWith("ref");
    }

    static memory.desc any(long[] dims) {
        return new memory.desc(dims, memory.data_type.f32, memory.format_tag.any);
    }

    /** Floats a buffer of this layout holds (blocked layouts pad the channel dimension). */
    static long elements(memory.desc d) {
        return d.get_size() / Float.BYTES;
    }

    /** A oneDNN memory over an ND4J array's native storage (no copy); the array must be float and contiguous. */
    memory bind(memory.desc d, INDArray a) {
        if (a.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("oneDNN plans run in float32, got " + a.dataType());
        }
        if (a.length() > 1 && a.elementWiseStride() != 1) {
            throw new IllegalArgumentException("oneDNN memory needs a contiguous array");
        }
        if (a.length() * Float.BYTES < d.get_size()) {
            throw new IllegalArgumentException("Array of " + a.length() + " floats is smaller than the layout's "
                    + d.get_size() + " bytes");
        }
        return new memory(d, engine, new Address(a.data().address() + a.offset() * Float.BYTES));
    }

    /** A raw native address; the memory descriptor says how many bytes are behind it. */
    private static final class Address extends Pointer {
        Address(long address) {
            this.address = address;
        }
    }

    /** A oneDNN memory that owns its buffer (scratch layouts such as blocked weights). */
    memory allocate(memory.desc d) {
        return new memory(d, engine);
    }
}
