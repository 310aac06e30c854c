package io.monasca.testkit.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

import io.monasca.testkit.process.ServerProcess;

/**
 * A real single-node Kafka broker (KRaft, broker and controller combined) in its own JVM
 * ({@code java -cp <this JVM's class path> kafka.Kafka server.properties}; the class path holds Kafka's server jars,
 * a compile dependency of the test kit, and test runners such as surefire put the whole test class path there), so
 * that it can be stopped (SIGTERM), killed (SIGKILL) and started again on the same port and the same data, as a
 * broker restart in production. The storage is formatted once, in this JVM, with Kafka's own StorageTool.
 * {@link #close()} kills the broker and deletes its data. Exercised by the sample persister's FaultInjectionIT (a stop,
 * a kill, each restarted on the same port and data under continuous production) and ReliabilityRunIT.
 */
public final class KafkaBrokerProcess implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60); // two loaded cores are slow
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final ServerProcess process = new ServerProcess("kafka");
    private final Path config;
    private final int port;

    private KafkaBrokerProcess() {
        port = ServerProcess.freePort();
        config = process.home().resolve("server.properties");
        try {
            Files.writeString(config, properties(process.home().resolve("data"), port, ServerProcess.freePort()));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the broker's server.properties", e);
        }
        format();
    }

    /** Formats the storage, starts the broker and returns once it answers clients. */
    public static KafkaBrokerProcess started() {
        KafkaBrokerProcess broker = new KafkaBrokerProcess();
        try {
            broker.start();
            return broker;
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    private static String properties(Path data, int port, int controllerPort) {
        return String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + data,
                // One broker: internal topics cannot have more replicas than that.
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                // Consumer groups start at once instead of waiting for more members.
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=false",
                // After a SIGKILL the controller accepts the new incarnation only once the old one's session has
                // expired (9 s by default).
                "broker.session.timeout.ms=2000",
                "broker.heartbeat.interval.ms=500",
                // Consumers may ask for sessions down to 1 s, so that a killed consumer's partitions move on soon.
                "group.min.session.timeout.ms=1000",
                "");
    }

    private void format() {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int status;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            status = kafka.tools.StorageTool.execute(new String[] {"format", "--cluster-id", Uuid.randomUuid().toString(),
                    "--config", config.toString()}, out);
        }
        if (status != 0) {
            throw new IllegalStateException("formatting the broker's storage failed (" + status + "): "
                    + output.toString(StandardCharsets.UTF_8));
        }
    }

    /** Starts the broker (again, on the same port and data after a stop or kill) and waits until it is ready. */
    public synchronized void start() {
        if (process.isAlive()) {
            return;
        }
        process.start(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms128m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"), "kafka.Kafka", config.toString()));
        process.awaitReady(READY_TIMEOUT, this::ready);
    }

    /** SIGTERM: a controlled shutdown; the data stays for {@link #start()}. @return its exit status */
    public synchronized int stop() {
        return process.stop(STOP_GRACE);
    }

    /** SIGKILL: the broker dies without a shutdown; the data stays for {@link #start()}. @return its exit status */
    public synchronized int kill() {
        return process.kill();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The broker answers clients and every partition of every topic has its leader. */
    private boolean ready() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000); // no client (and its warnings) before
        } catch (IOException e) {
            return false;
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000))) {
            if (admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
                return false;
            }
            Set<String> topics = admin.listTopics().names().get(3, TimeUnit.SECONDS);
            if (!topics.isEmpty()) {
                Topics.awaitLeaders(admin, topics, 3);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    /** The {@code host:port} for a client's {@code bootstrap.servers}; the same after every restart. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Creates a topic (replication factor 1) and waits until the broker has created it. */
    public void createTopic(String name, int partitions) {
        Topics.create(bootstrapServers(), name, partitions);
    }

    public String logTail() {
        return process.logTail(30);
    }

    @Override
    public void close() {
        process.delete();
    }
}
