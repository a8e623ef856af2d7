package org.ocsp.modelops.engine;

import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.reorder;

/**
 * Flatten of a blocked [N, C, H, W] activation into a row-major [N, C*H*W] one: a layout
 * conversion forward, the inverse for the gradient.
 */
final class DnnlReorder implements LayerKernel {
    private final Dnnl d;
    private final reorder forward;
    private final reorder backward;
    private final memory x;
    private final memory yAsPlain4d;
    private final memory gx;
    private final memory gyAsPlain4d;

    DnnlReorder(Dnnl d, DnnlTensor x, DnnlTensor gx, DnnlTensor y, DnnlTensor gy) {
        this.d = d;
        memory.desc plain4d = Dnnl.plain(x.dims());
        this.x = x.mem();
        this.yAsPlain4d = d.bind(plain4d, y.buffer());
        this.gx = gx.mem();
        this.gyAsPlain4d = d.bind(plain4d, gy.buffer());
        this.forward = new reorder(this.x, yAsPlain4d);
        this.backward = new reorder(gyAsPlain4d, this.gx);
    }

    @Override
    public void forward(boolean training) {
        forward.execute(d.stream, x, yAsPlain4d);
    }

    @Override
    public void backward() {
        backward.execute(d.stream, gyAsPlain4d, gx);
    }
}
