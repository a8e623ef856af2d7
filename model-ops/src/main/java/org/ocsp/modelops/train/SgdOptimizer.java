package org.ocsp.modelops.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ocsp.modelops.engine.ParameterStore;

/**
 * SGD with momentum / Nesterov and weight decay over the store's flat buffers: one update of
 * every parameter costs a few BLAS level-1 calls, whatever the number of layers.
 *
 * <pre>{@code
 * SgdOptimizer opt = new SgdOptimizer(store, SgdConfig.cifarDefault());
 * opt.step(schedule.lr(iteration));
 * }</pre>
 * A new optimiser (after surgery) starts with zero momentum, like a fresh torch.optim.SGD.
 */
public final class SgdOptimizer implements AutoCloseable {
    private final ParameterStore store;
    private final SgdConfig config;
    private final INDArray velocity;
    private final FusedSgdPass fused;
    private boolean started;

    public SgdOptimizer(ParameterStore store, SgdConfig config) {
        this.store = store;
        this.config = config;
        this.velocity = config.momentum() > 0 ? Nd4j.zeros(store.dataType(), store.flatParams().length()) : null;
        this.fused = FusedSgdPass.supports(store) ? new FusedSgdPass(store, velocity) : null;
    }

    public SgdConfig config() {
        return config;
    }

    /** Momentum buffer aligned with the flat parameters (empty if no momentum). */
    public java.util.Optional<INDArray> velocity() {
        return java.util.Optional.ofNullable(velocity);
    }

    /** Whether the momentum buffer holds state (a step has been taken since creation). */
    public boolean hasMomentum() {
        return started;
    }

    /**
     * Restores a momentum buffer saved from {@link #velocity()} after a step (checkpoint restore);
     * the next step continues exactly as the saved optimiser would have.
     */
    public void restoreMomentum(float[] saved) {
        if (velocity == null) {
            throw new IllegalStateException("Cannot restore momentum: this optimiser has momentum 0");
        }
        if (saved.length != velocity.length()) {
            throw new IllegalArgumentException("Invalid momentum buffer: " + saved.length + " values, the optimiser has "
                    + velocity.length() + " parameters");
        }
        velocity.assign(Nd4j.createFromArray(saved).castTo(velocity.dataType()));
        started = true;
    }

    public void step(double lr) {
        step(lr, null, 0);
    }

    /**
     * One step, then the regulariser's shrink {@code w <- w (1 - lambda lr)} on its selected
     * entries (none when {@code regularizer} is null or {@code lambda} is 0). On the CPU in float32
     * both run as one pass in Java over the flat buffers ({@link FusedSgdPass}): the five or seven
     * ND4J vector ops they were each woke OpenMP's team for a few hundred microseconds of work.
     */
    public void step(double lr, SparsityRegularizer regularizer, double lambda) {
        INDArray selected = regularizer == null || lambda == 0 ? null : regularizer.selected().orElse(null);
        if (fused != null) {
            fused.apply(lr, config, velocity != null && started, selected == null ? 0 : SparsityRegularizer.shrinkFactor(lambda, lr),
                    selected);
            started = velocity != null;
            return;
        }
        INDArray w = store.flatParams();
        INDArray g = store.flatGradients();
        long n = w.length();
        var blas = Nd4j.getBlasWrapper().level1();
        if (config.weightDecay() != 0) {
            blas.axpy(n, config.weightDecay(), w, g);
        }
        INDArray update = g;
        if (velocity != null) {
            if (started) {
                velocity.muli(config.momentum()).addi(g);
            } else {
                velocity.assign(g);
                started = true;
            }
            if (config.nesterov()) {
                blas.axpy(n, config.momentum(), velocity, g);
            } else {
                update = velocity;
            }
        }
        blas.axpy(n, -lr, update, w);
        if (selected != null) {
            regularizer.shrink(lambda, lr);
        }
    }

    @Override
    public void close() {
        if (velocity != null) {
            velocity.close();
        }
    }
}
