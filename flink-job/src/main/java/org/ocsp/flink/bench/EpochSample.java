package org.ocsp.flink.bench;

import java.util.OptionalLong;

/**
 * One epoch of one run, as its trainer measured it: TRAIN images, the training rate
 * ({@code trainImages} over the time from the epoch's start to its last TRAIN step), the epoch's
 * wall time (TRAIN and EVAL) and, for streaming runs, how long the trainer waited for the epoch's
 * decision before it could start.
 */
record EpochSample(int epoch, long trainImages, double imagesPerSecond, long wallMillis, OptionalLong decisionWaitMillis) {
    double trainSeconds() {
        return trainImages / imagesPerSecond;
    }
}
