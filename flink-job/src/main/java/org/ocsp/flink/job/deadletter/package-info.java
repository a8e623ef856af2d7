/**
 * Dead letters: the record, the reason and the stage of every input the job refuses, as events on the dead-letter topic.
 */
package org.ocsp.flink.job.deadletter;
