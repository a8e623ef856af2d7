package org.ocsp.modelops.engine;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_FROM;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_TO;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.reorder;

/**
 * Flatten of a blocked [N, C, H, W] activation into a row-major [N, C*H*W] one: a layout
 * conversion forward, the inverse for the gradient.
 */
final class DnnlReorder {
    private DnnlReorder() {
    }

    static LayerKernel flatten(Dnnl d, DnnlTensor x, DnnlTensor gx, DnnlTensor y, DnnlTensor gy) {
        memory.desc plain4d = Dnnl.plain(x.dims());
        memory yAsPlain4d = d.bind(plain4d, y.buffer());
        memory gyAsPlain4d = d.bind(plain4d, gy.buffer());
        IntMemoryMap forwardArgs = new IntMemoryMap();
        forwardArgs.put(DNNL_ARG_FROM, x.mem());
        forwardArgs.put(DNNL_ARG_TO, yAsPlain4d);
        IntMemoryMap backwardArgs = new IntMemoryMap();
        backwardArgs.put(DNNL_ARG_FROM, gyAsPlain4d);
        backwardArgs.put(DNNL_ARG_TO, gx.mem());
        return new PrimitiveKernel(d, new reorder(x.mem(), yAsPlain4d), forwardArgs, new reorder(gyAsPlain4d, gx.mem()),
                backwardArgs);
    }
}
