package org.ocsp.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The checks catch what they are for: each broken manifest is reported with the right reason. */
class ValidatorsTest {
    private static final CrdSchema FLINK = CrdSchema.load("/crds/flinkdeployments.flink.apache.org-v1.yml", "v1beta1");

    private static ObjectNode baseDeployment() {
        return Manifests.one(Manifests.render(Manifests.BASE), "FlinkDeployment").deepCopy();
    }

    @Test
    void theCommittedDeploymentFitsTheOperatorsSchema() {
        assertEquals(List.of(), FLINK.validate(baseDeployment()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "- {op: add, path: /spec/job/upgradMode, value: savepoint}|.spec.job.upgradMode: unknown field",
        "- {op: replace, path: /spec/job/upgradeMode, value: keep}|.spec.job.upgradeMode: 'keep' is not one of",
        "- {op: replace, path: /spec/flinkVersion, value: v2_9}|.spec.flinkVersion: 'v2_9' is not one of",
        "- {op: replace, path: /spec/job/parallelism, value: two}|.spec.job.parallelism: expected integer",
        "- {op: replace, path: /spec/jobManager/resource/cpu, value: '1'}|.spec.jobManager.resource.cpu: expected number",
        "- {op: add, path: /spec/podTemplate/spec/containers/0/envv, value: []}|.spec.podTemplate.spec.containers[0].envv: unknown field",
        "- {op: replace, path: /kind, value: FlinkSessionJob}|kind: FlinkSessionJob, expected FlinkDeployment",
    })
    void schemaReportsBrokenDeployments(String patch, String expected) throws Exception {
        ObjectNode d = baseDeployment();
        JsonPatch.apply(d, Yaml.MAPPER.readTree(patch));
        List<String> errors = FLINK.validate(d);
        assertTrue(errors.stream().anyMatch(e -> e.contains(expected)), errors.toString());
    }

    @Test
    void strimziModelUnknownFieldsAreFound() throws Exception {
        ObjectNode kafka = Manifests.one(Manifests.render(Manifests.BASE), "Kafka").deepCopy();
        JsonPatch.apply(kafka, Yaml.MAPPER.readTree("- {op: add, path: /spec/kafka/listeners/0/tlss, value: true}\n"
                + "- {op: add, path: /spec/entityOperatr, value: {}}"));
        List<String> unknown = ModelStrictness.unknownProperties(Yaml.convert(kafka, Kafka.class));
        assertTrue(unknown.stream().anyMatch(u -> u.contains("'tlss'")), unknown.toString());
        assertTrue(unknown.stream().anyMatch(u -> u.contains("'entityOperatr'")), unknown.toString());
    }

    @Test
    void strimziTopicWithAMisspeltFieldIsFound() throws Exception {
        ObjectNode topic = Manifests.ofKind(Manifests.render(Manifests.BASE), "KafkaTopic").get(0).deepCopy();
        JsonPatch.apply(topic, Yaml.MAPPER.readTree("- {op: add, path: /spec/replica, value: 3}"));
        assertEquals(List.of("KafkaTopic.spec: unknown field 'replica'"),
                ModelStrictness.unknownProperties(Yaml.convert(topic, KafkaTopic.class)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "state.checkpoints.dir, execution.checkpointing.dir",
        "state.savepoints.dir, execution.checkpointing.savepoint-dir",
        "state.backend.incremental, execution.checkpointing.incremental",
    })
    void flink1KeysAreReportedWithTheirFlink2Name(String old, String current) {
        assertEquals(current, FlinkOptions.lookup(old).flatMap(FlinkOptions.Lookup::replacedBy).orElse("(not deprecated)"));
    }

    @Test
    void unknownFlinkKeysAreNotOptions() {
        assertTrue(FlinkOptions.lookup("state.backend.typ").isEmpty());
        assertTrue(FlinkOptions.otherKeyReason("s3.secret-key").isEmpty(), "credentials are no allowed plugin key");
    }
}
