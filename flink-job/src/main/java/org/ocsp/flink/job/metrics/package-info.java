/**
 * The trainer's and stability operator's metrics, per task and per run.
 */
package org.ocsp.flink.job.metrics;
