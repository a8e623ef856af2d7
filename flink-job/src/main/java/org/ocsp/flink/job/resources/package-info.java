/**
 * The compute a trainer task gets: its CPU thread share or GPU, chosen from the Flink slot.
 */
package org.ocsp.flink.job.resources;
