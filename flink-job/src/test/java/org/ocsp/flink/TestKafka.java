package org.ocsp.flink;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/** One in-process KRaft broker per test JVM (stack.md recipe); stopped by a shutdown hook. */
public final class TestKafka {
    private static String bootstrap;

    private TestKafka() {
    }

    public static synchronized String bootstrapServers() {
        if (bootstrap == null) {
            bootstrap = start();
        }
        return bootstrap;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String start() {
        try {
            Path dir = Files.createTempDirectory("test-kafka-");
            int port = freePort();
            int controller = freePort();
            Properties p = new Properties();
            p.put("process.roles", "broker,controller");
            p.put("node.id", "1");
            p.put("controller.quorum.voters", "1@127.0.0.1:" + controller);
            p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller);
            p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
            p.put("controller.listener.names", "CONTROLLER");
            p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            p.put("inter.broker.listener.name", "PLAINTEXT");
            p.put("log.dirs", dir.resolve("logs").toString());
            p.put("offsets.topic.replication.factor", "1");
            p.put("offsets.topic.num.partitions", "1");
            p.put("transaction.state.log.replication.factor", "1");
            p.put("transaction.state.log.min.isr", "1");
            p.put("transaction.state.log.num.partitions", "1");
            p.put("share.coordinator.state.topic.replication.factor", "1");
            p.put("share.coordinator.state.topic.min.isr", "1");
            p.put("group.initial.rebalance.delay.ms", "0");
            p.put("auto.create.topics.enable", "false");
            p.put("message.max.bytes", Integer.toString(64 * 1024 * 1024 + 1024));
            p.put("transaction.max.timeout.ms", "900000");
            Path props = dir.resolve("server.properties");
            StringBuilder sb = new StringBuilder();
            p.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
            Files.writeString(props, sb.toString());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int code = StorageTool.execute(new String[] {"format", "--config", props.toString(), "--cluster-id",
                Uuid.randomUuid().toString(), "--ignore-formatted"}, new PrintStream(out, true, StandardCharsets.UTF_8));
            if (code != 0) {
                throw new IllegalStateException("format failed: " + out);
            }
            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(p, false), Time.SYSTEM);
            server.startup();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.shutdown();
                server.awaitShutdown();
            }));
            return "127.0.0.1:" + port;
        } catch (Exception e) {
            throw new IllegalStateException("Cannot start the test broker: " + e, e);
        }
    }
}
