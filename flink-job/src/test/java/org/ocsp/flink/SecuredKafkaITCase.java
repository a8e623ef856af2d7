package org.ocsp.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.apache.avro.specific.SpecificRecord;
import org.ocsp.deploy.EmbeddedKafkaBroker;
import org.ocsp.flink.audit.DecisionVerifier;
import org.ocsp.flink.audit.KafkaEventSource;
import org.ocsp.flink.audit.NoSuchRunException;
import org.ocsp.flink.audit.RunLog;
import org.ocsp.flink.audit.VerificationResult;
import org.ocsp.flink.chain.TestSigningKey;
import org.ocsp.flink.job.RunRequestGate;
import org.ocsp.flink.job.TrainerJob;
import org.ocsp.flink.publish.Publisher;
import org.ocsp.flink.run.RunSpecs;
import org.ocsp.flink.run.RunStarter;
import org.ocsp.flink.topics.KafkaConnection;
import org.ocsp.flink.topics.TopicAdmin;
import org.ocsp.flink.topics.Topics;
import org.ocsp.schemas.EventCodec;
import org.ocsp.schemas.avro.deadletter.DeadLetter;
import org.ocsp.schemas.avro.event.ModelPublished;
import org.ocsp.schemas.avro.event.PenaltyChanged;

/**
 * A whole run against a broker that authenticates every client (SASL PLAIN over TLS, keys made
 * with the JDK's keytool at test time) and authorizes every request (KRaft's StandardAuthorizer,
 * no ACL means no access): the publisher, the operator CLI, the job and the auditor each with
 * their own credentials and only their own ACLs, as k8s/base/kafka-users.yaml grants them.
 */
class SecuredKafkaITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension();

    @TempDir
    static Path dir;
    static EmbeddedKafkaBroker broker;
    static TlsFixture tls;
    static final Topics TOPICS = Topics.withPrefix("secured.");
    static final String GROUP = "secured-trainer";

    @BeforeAll
    static void securedBroker() throws Exception {
        tls = TlsFixture.create(dir.resolve("tls"));
        StringBuilder jaas = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required "
                + "username=\"admin\" password=\"admin-secret\" user_admin=\"admin-secret\"");
        for (String user : List.of("job", "publisher", "operator", "auditor")) {
            jaas.append(" user_").append(user).append("=\"").append(user).append("-secret\"");
        }
        broker = EmbeddedKafkaBroker.builder().saslSslListener()
                .brokerProperty("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
                // The plain loopback listener is the broker's own (inter-broker, controller): ANONYMOUS there.
                .brokerProperty("super.users", "User:admin;User:ANONYMOUS")
                .brokerProperty("allow.everyone.if.no.acl.found", "false")
                .brokerProperty("sasl.enabled.mechanisms", "PLAIN")
                .brokerProperty("listener.name.secured.sasl.enabled.mechanisms", "PLAIN")
                .brokerProperty("listener.name.secured.plain.sasl.jaas.config", jaas.append(";").toString())
                .brokerProperty("listener.name.secured.ssl.keystore.type", "PKCS12")
                .brokerProperty("listener.name.secured.ssl.keystore.location", tls.keystore().toString())
                .brokerProperty("listener.name.secured.ssl.keystore.password", TlsFixture.PASSWORD)
                .start();
        TopicAdmin.createAll(as("admin"), TOPICS);
        try (Admin admin = Admin.create(as("admin").properties())) {
            List<AclBinding> acls = new ArrayList<>();
            allow(acls, "job", ResourceType.TOPIC, TOPICS.batches().name(), PatternType.LITERAL, AclOperation.READ, AclOperation.DESCRIBE);
            allow(acls, "job", ResourceType.TOPIC, TOPICS.runRequests().name(), PatternType.LITERAL, AclOperation.READ,
                    AclOperation.DESCRIBE);
            allow(acls, "job", ResourceType.TOPIC, TOPICS.events().name(), PatternType.LITERAL, AclOperation.READ,
                    AclOperation.WRITE, AclOperation.DESCRIBE);
            allow(acls, "job", ResourceType.TOPIC, TOPICS.deadLetters().name(), PatternType.LITERAL, AclOperation.WRITE,
                    AclOperation.DESCRIBE);
            allow(acls, "job", ResourceType.GROUP, GROUP, PatternType.PREFIXED, AclOperation.READ, AclOperation.DESCRIBE);
            allow(acls, "job", ResourceType.TRANSACTIONAL_ID, GROUP, PatternType.PREFIXED, AclOperation.WRITE,
                    AclOperation.DESCRIBE);
            allow(acls, "job", ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL, AclOperation.IDEMPOTENT_WRITE);
            allow(acls, "publisher", ResourceType.TOPIC, TOPICS.batches().name(), PatternType.LITERAL, AclOperation.WRITE,
                    AclOperation.DESCRIBE);
            allow(acls, "publisher", ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL, AclOperation.IDEMPOTENT_WRITE);
            // The operator asks (run-requests) and follows (events), but only the job writes the log.
            allow(acls, "operator", ResourceType.TOPIC, TOPICS.runRequests().name(), PatternType.LITERAL,
                    AclOperation.WRITE, AclOperation.DESCRIBE);
            allow(acls, "operator", ResourceType.TOPIC, TOPICS.events().name(), PatternType.LITERAL, AclOperation.READ,
                    AclOperation.DESCRIBE);
            allow(acls, "operator", ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL, AclOperation.IDEMPOTENT_WRITE);
            allow(acls, "auditor", ResourceType.TOPIC, TOPICS.events().name(), PatternType.LITERAL, AclOperation.READ,
                    AclOperation.DESCRIBE);
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private static void allow(List<AclBinding> acls, String user, ResourceType type, String name, PatternType pattern,
                              AclOperation... ops) {
        for (AclOperation op : ops) {
            acls.add(new AclBinding(new ResourcePattern(type, name, pattern),
                    new AccessControlEntry("User:" + user, "*", op, AclPermissionType.ALLOW)));
        }
    }

    /** A principal's client settings, as its --command-config file would hold them. */
    static KafkaConnection as(String user) {
        return as(user, user + "-secret");
    }

    static KafkaConnection as(String user, String password) {
        return new KafkaConnection(broker.securedBootstrapServers(), Map.of(
                "security.protocol", "SASL_SSL", "sasl.mechanism", "PLAIN",
                "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                        + user + "\" password=\"" + password + "\";",
                "ssl.truststore.type", "PKCS12", "ssl.truststore.location", tls.truststore().toString(),
                "ssl.truststore.password", TlsFixture.PASSWORD));
    }

    @Test
    void aWholeRunWithAuthenticatedClientsEachLimitedToItsRole() throws Exception {
        RunStarter.start(as("operator"), TOPICS, "secured-run", Fixtures.spec(0.5, 3, 2));
        TrainerJob job = TrainerJob.builder().setKafka(as("job")).optTopics(TOPICS)
                .optModelDir(dir.resolve("models").toString()).optCheckpointInterval(Duration.ofMillis(800))
                .optCheckpointDir(dir.resolve("checkpoints").toUri().toString()).optGroupId(GROUP)
                .optTransactionalIdPrefix(GROUP).optSigningKeyFile(TestSigningKey.privateKeyFile().toString()).build();
        JobClient running = Fixtures.start(job);
        try {
            // The run must be registered before its stream starts, or it would join at a later epoch.
            Fixtures.awaitRunsRegistered(as("operator"), as("admin"), TOPICS);
            Publisher.builder().setKafka(as("publisher")).setTopics(TOPICS).setSequence(Fixtures.sequence())
                    .setDatasetName(Fixtures.DATASET).optEpochs(3).build().publish();
            try (LogReader events = new LogReader(as("auditor"), TOPICS.events().name())) {
                List<SpecificRecord> log = events.await(rs -> rs.stream().anyMatch(r -> r instanceof ModelPublished),
                        Fixtures.TIMEOUT, "the secured run's ModelPublished");
                assertTrue(log.size() > 3, "the job trained and logged the run: " + log.size() + " events");
            }
            // What the operator may write is requests; a decision written there is refused by the job, not logged.
            Fixtures.send(as("operator"), TOPICS.runRequests().name(), "forged-decision",
                    EventCodec.create().encode(forgedPenalty("forged-decision")));
            try (LogReader dlq = new LogReader(as("admin"), TOPICS.deadLetters().name())) {
                DeadLetter refused = (DeadLetter) dlq.await(rs -> rs.stream().anyMatch(SecuredKafkaITCase::forgedDecision),
                        Fixtures.TIMEOUT, "the forged decision's dead letter").stream()
                        .filter(SecuredKafkaITCase::forgedDecision).findFirst().orElseThrow();
                assertEquals(RunRequestGate.STAGE, refused.getStage());
                assertTrue(refused.getReason().contains("PenaltyChanged"), refused.getReason());
            }
            // The gate's dead letter and its copies share one transactional writer: had it copied the
            // forgery, the copy would be committed by now. The audit's source reads to the log's end.
            KafkaEventSource log = KafkaEventSource.builder().setKafka(as("auditor")).setTopic(TOPICS.events().name())
                    .optTimeout(Duration.ofSeconds(60)).build();
            assertThrows(NoSuchRunException.class, () -> log.load("forged-decision"), "the forgery reached the log");
        } finally {
            running.cancel().get();
        }
        RunLog log = KafkaEventSource.builder().setKafka(as("auditor")).setTopic(TOPICS.events().name())
                .optTimeout(Duration.ofSeconds(60)).build().load("secured-run");
        VerificationResult verified = new DecisionVerifier(List.of(Fixtures.publicKey())).verify(log);
        assertTrue(verified.ok(), verified.describe());
    }

    @Test
    void aClientWithoutValidCredentialsIsRefused() {
        IllegalStateException wrong = assertThrows(IllegalStateException.class,
                () -> TopicAdmin.createAll(as("auditor", "not-the-password"), Topics.withPrefix("wrong.")));
        assertTrue(causes(wrong).stream().anyMatch(c -> c instanceof SaslAuthenticationException), causes(wrong).toString());
    }

    @Test
    void aReadOnlyClientCanReadTheLogButNotWriteARun() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> RunStarter.start(as("auditor"), TOPICS, "forged-run", Fixtures.spec(0.5, 3, 2)));
        // Refused at its first request: the auditor may not even produce (no IdempotentWrite), let alone to the log.
        assertTrue(causes(e).stream().anyMatch(c -> c instanceof AuthorizationException), causes(e).toString());
        try (LogReader events = new LogReader(as("auditor"), TOPICS.events().name())) {
            events.poll(); // and reading is what it may do
        }
        IllegalStateException batches = assertThrows(IllegalStateException.class,
                () -> RunStarter.start(as("publisher"), TOPICS, "forged-run", Fixtures.spec(0.5, 3, 2)));
        assertTrue(causes(batches).stream().anyMatch(c -> c instanceof TopicAuthorizationException),
                "the publisher may write batches only: " + causes(batches));
    }

    @Test
    void aClientThatMayWriteRunsCannotWriteTheLog() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Fixtures.send(as("operator"),
                TOPICS.events().name(), "secured-run", EventCodec.create().encode(forgedPenalty("secured-run"))));
        assertTrue(causes(e).stream().anyMatch(c -> c instanceof TopicAuthorizationException),
                "only the job's principal may write the events topic: " + causes(e));
    }

    private static PenaltyChanged forgedPenalty(String runId) {
        return PenaltyChanged.newBuilder().setHeader(RunSpecs.header(runId, 1, 3, 0, "forged", "none"))
                .setLambdaOld(0).setLambdaNew(1).build();
    }

    private static boolean forgedDecision(SpecificRecord r) {
        return r instanceof DeadLetter d && "forged-decision".equals(d.getRunId());
    }

    private static List<Throwable> causes(Throwable t) {
        List<Throwable> out = new ArrayList<>();
        for (Throwable c = t; c != null && !out.contains(c); c = c.getCause()) {
            out.add(c);
        }
        return out;
    }
}
