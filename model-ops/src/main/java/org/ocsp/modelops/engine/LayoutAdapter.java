package org.ocsp.modelops.engine;

import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.reorder;

/**
 * A tensor as a primitive wants it ({@link #inner()}) next to the same tensor as the rest of the
 * plan holds it. When the layouts agree, both are one memory and the conversions do nothing;
 * otherwise a buffer in the primitive's layout and a reorder one way (into the primitive before
 * it runs, or out of it after).
 */
final class LayoutAdapter {
    private final Dnnl d;
    private final memory outer;
    private final memory inner;
    private final reorder conversion;
    private final boolean into;

    private LayoutAdapter(Dnnl d, memory outer, memory.desc wanted, boolean into) {
        this.d = d;
        this.outer = outer;
        this.into = into;
        if (outer.get_desc().equals(wanted)) {
            this.inner = outer;
            this.conversion = null;
        } else {
            this.inner = d.allocate(wanted);
            this.conversion = into ? new reorder(outer, inner) : new reorder(inner, outer);
        }
    }

    /** An input of the primitive, read from {@code outer}. */
    static LayoutAdapter into(Dnnl d, memory outer, memory.desc wanted) {
        return new LayoutAdapter(d, outer, wanted, true);
    }

    /** An output of the primitive, written to {@code outer}. */
    static LayoutAdapter outOf(Dnnl d, memory.desc produced, memory outer) {
        return new LayoutAdapter(d, outer, produced, false);
    }

    memory inner() {
        return inner;
    }

    void convertIn() {
        if (conversion != null && into) {
            conversion.execute(d.stream, outer, inner);
        }
    }

    void convertOut() {
        if (conversion != null && !into) {
            conversion.execute(d.stream, inner, outer);
        }
    }
}
