/**
 * Kafka I/O of the job: record (de)serialisation for the sources and the exactly-once sink, and re-reading waiting batches by address.
 */
package org.ocsp.flink.job.kafka;
