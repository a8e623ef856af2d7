/**
 * Per-run logic of the trainer without Flink types: the run's lifecycle and its checkpointed value, the decisions read from the log, opening and completing epochs, the live session, the published model.
 */
package org.ocsp.flink.job.run;
