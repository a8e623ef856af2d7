/**
 * The trainer's keyed state (RocksDB): descriptor names, the run's progress and model tensors, the wait queue's addresses, and the live sessions written at each checkpoint.
 */
package org.ocsp.flink.job.state;
