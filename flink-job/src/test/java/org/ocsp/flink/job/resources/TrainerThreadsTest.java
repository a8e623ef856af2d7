package org.ocsp.flink.job.resources;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.runtime.util.TestingTaskManagerRuntimeInfo;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ocsp.modelops.engine.OpenMpThreads;

/** A trainer's OpenMP share follows its TaskManager's slot count, on the task thread itself. */
class TrainerThreadsTest {
    /** The harness runs on the test thread: give it back the whole machine for the tests after this one. */
    @AfterEach
    void restore() {
        OpenMpThreads.limitCallingThread(Runtime.getRuntime().availableProcessors());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void sharesTheCoresBetweenTheTaskManagersSlots(int slots) throws Exception {
        Configuration conf = new Configuration();
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, slots);
        MockEnvironment env = new MockEnvironmentBuilder().setTaskManagerRuntimeInfo(new TestingTaskManagerRuntimeInfo(conf))
                .build();
        int cpus = Runtime.getRuntime().availableProcessors();
        try (OneInputStreamOperatorTestHarness<Integer, List<Integer>> h = new OneInputStreamOperatorTestHarness<>(
                new ProcessOperator<>(new Probe()), Types.INT.createSerializer(new org.apache.flink.api.common.serialization
                        .SerializerConfigImpl()), env)) {
            h.open();
            h.processElement(0, 0);
            List<Integer> seen = h.extractOutputValues().get(0);
            assertEquals(slots, seen.get(0), "slots read from the TaskManager configuration");
            assertEquals(OpenMpThreads.budget(cpus, slots), seen.get(1), "share applied");
            assertEquals(seen.get(1), seen.get(2), "the task thread's OpenMP team");
        }
    }

    /** Applies the share in open and reports slots, share and the thread's team size per element. */
    private static final class Probe extends ProcessFunction<Integer, List<Integer>> {
        private int slots;
        private int threads;

        @Override
        public void open(OpenContext ctx) {
            slots = TrainerThreads.slots(getRuntimeContext());
            threads = TrainerThreads.limit(getRuntimeContext());
        }

        @Override
        public void processElement(Integer value, Context ctx, Collector<List<Integer>> out) {
            out.collect(List.of(slots, threads, OpenMpThreads.ofCallingThread().orElse(-1)));
        }
    }
}
