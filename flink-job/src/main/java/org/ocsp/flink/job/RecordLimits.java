package org.ocsp.flink.job;

import java.util.ArrayList;
import java.util.List;

/**
 * How large a record the job takes from each topic, and how much of a rejected one its dead letter
 * keeps: the limits that keep an oversized record or a flood of them from exhausting the job
 * (with {@link JobSettingDef#MAX_ACTIVE_RUNS} against a flood of runs). Each is a declared setting.
 */
public record RecordLimits(long maxBatchRecordBytes, long maxEventRecordBytes, long deadLetterPayloadBytes)
        implements java.io.Serializable {
    public static final RecordLimits DEFAULTS = new RecordLimits(
            JobSettingDef.MAX_BATCH_RECORD_BYTES.defaultValue().orElseThrow(),
            JobSettingDef.MAX_EVENT_RECORD_BYTES.defaultValue().orElseThrow(),
            JobSettingDef.DEAD_LETTER_PAYLOAD_BYTES.defaultValue().orElseThrow());

    /** What is wrong with each limit, by its setting's rule. */
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        JobSettingDef.MAX_BATCH_RECORD_BYTES.problem(maxBatchRecordBytes).ifPresent(p::add);
        JobSettingDef.MAX_EVENT_RECORD_BYTES.problem(maxEventRecordBytes).ifPresent(p::add);
        JobSettingDef.DEAD_LETTER_PAYLOAD_BYTES.problem(deadLetterPayloadBytes).ifPresent(p::add);
        return p;
    }
}
