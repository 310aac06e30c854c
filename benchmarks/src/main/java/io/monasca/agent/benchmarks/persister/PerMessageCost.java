package io.monasca.agent.benchmarks.persister;

import io.monasca.agent.benchmarks.Woven;
import io.monasca.agent.recording.CellReading;
import io.monasca.agent.recording.Recorder;
import io.monasca.perf.load.EnvelopeFactory;
import io.monasca.sample.persister.pipeline.MetricHandler;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The sample persister's work per Kafka message, without and with the agent's advice: its real
 * {@link MetricHandler} (parser, batch, Dropwizard meters) fed realistic envelopes, one metric each, made as the perf
 * tool makes them (the JMeter plan's metric names, dimensions and tenants), in batches of {@value #BATCH_SIZE}
 * flushed to a repository that discards them. The plain handler is the class as compiled, the agent's the same
 * class woven by the agent's weaver ({@code process} timed as upsert, {@code flushRepository} as flush) calling its
 * real recorder. Both are defined anew in a throwaway loader and called through the same {@link PersisterPath}, so
 * they differ only in the advice.
 *
 * <ul>
 *   <li>{@link #perMessage}, {@code handler=plain} and {@code handler=agent}: each in its own JVMs, side by side in
 *       one run, as JMH compares benchmarks.</li>
 *   <li>{@link #interleaved}: both handlers in one JVM, taking turns every {@value #TURN} messages (some 0.1 ms),
 *       plain or the agent's first in turn. Its JMH score is the mean of the two; the time of each turn, the
 *       thread's CPU time and wall clock, goes to its handler's secondary results, per iteration. Turns next to
 *       each other see the same machine, so what a busy machine adds to both (other processes' use of the cores
 *       and caches, drift) cancels in the ratio of the two, and a pause (GC, being descheduled) lands in a turn of
 *       either handler. The thread's CPU time leaves out the time it waited for a core, and the GC threads' work
 *       (the two handlers allocate the same). The {@code Budgets} runner takes the median of the per-iteration
 *       ratios.</li>
 * </ul>
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar PerMessageCost.perMessage -prof io.monasca.agent.benchmarks.CpuTimeProfiler
 * java -jar benchmarks/target/benchmarks.jar PerMessageCost.interleaved -rf json    # per-iteration times in jmh-result.json
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class PerMessageCost {
    /** Points per batch: the batch is flushed (and emptied) when it holds this many. */
    public static final int BATCH_SIZE = 1000;
    /** Messages made before the run and handed out in turn (a power of two). */
    static final int POOL = 4096;
    /** Messages a handler takes in a row in {@link #interleaved}: some 0.1 ms. */
    public static final int TURN = 32;
    static final int UPSERT = 0;
    static final int FLUSH = 1;

    /** The messages, made before the run so that only their handling is measured. */
    @State(Scope.Thread)
    public static class Messages {
        private final String[] pool = new String[POOL];
        private int next;

        @Setup
        public void make() {
            EnvelopeFactory envelopes = new EnvelopeFactory(1_700_000_000_000L, "RegionOne");
            SplittableRandom random = new SplittableRandom(9);
            for (int i = 0; i < POOL; i++) {
                pool[i] = envelopes.envelope(i, random);
            }
        }

        String next() {
            String message = pool[next];
            next = (next + 1) & (POOL - 1);
            return message;
        }
    }

    /** One handler, plain or with the agent's advice, with what it wrote and what the recorder timed. */
    static final class Handler {
        final boolean advised;
        final DiscardingRepository repository = new DiscardingRepository();
        final MessagePath path;
        long messages;

        Handler(String kind, Messages messages) throws Exception {
            byte[] handlerClass = switch (kind) {
                case "plain" -> Woven.bytes(MetricHandler.class);
                case "agent" -> Woven.weave(MetricHandler.class, Map.of("process", UPSERT, "flushRepository", FLUSH));
                default -> throw new IllegalArgumentException("handler: plain or agent, not " + kind);
            };
            advised = kind.equals("agent");
            Class<?> type = Woven.define(PersisterPath.class,
                    Map.of(PersisterPath.class, Woven.bytes(PersisterPath.class), MetricHandler.class, handlerClass));
            path = (MessagePath) type.getConstructor(DiscardingRepository.class, int.class)
                    .newInstance(repository, BATCH_SIZE);
            for (String message : messages.pool) {
                if (path.onMessage(message) != 1) {
                    throw new IllegalStateException("the persister rejected a benchmark message: " + message);
                }
            }
            this.messages = POOL;
        }

        int onMessage(String message) throws Exception {
            messages++;
            return path.onMessage(message);
        }
    }

    /**
     * The handlers of a benchmark, read as the exporter would read the recorder, outside the measured calls, and
     * checked at the end: batches written, and every message of the advised handler timed (and none of the plain
     * one's).
     */
    abstract static class Handlers {
        Handler[] handlers;
        private long timedUpserts;

        void make(Messages messages, String... kinds) throws Exception {
            Recorder.start(2);
            handlers = new Handler[kinds.length];
            for (int i = 0; i < kinds.length; i++) {
                handlers[i] = new Handler(kinds[i], messages);
            }
        }

        @TearDown(Level.Iteration)
        public void closeInterval() {
            for (CellReading reading : Recorder.closeInterval()) {
                timedUpserts += reading.operation == UPSERT ? reading.received : 0;
            }
        }

        @TearDown
        public void check() {
            closeInterval();
            long advised = 0;
            for (Handler h : handlers) {
                if (h.repository.written() == 0) {
                    throw new IllegalStateException("no batch was flushed");
                }
                advised += h.advised ? h.messages : 0;
            }
            if (timedUpserts != advised) {
                throw new IllegalStateException(advised + " messages through the advice, yet " + timedUpserts + " timed");
            }
        }
    }

    @State(Scope.Thread)
    public static class OneHandler extends Handlers {
        @Param({"plain", "agent"})
        public String handler;

        @Setup
        public void setUp(Messages messages) throws Exception {
            make(messages, handler);
        }
    }

    /**
     * Both handlers in one JVM, taking turns every {@value #TURN} messages; what each turn took, summed over the
     * iteration per handler, as JMH's secondary results (the thread's CPU time and wall-clock time, in ns, and the
     * messages).
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Turns extends Handlers {
        private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        private Handler plain;
        private Handler agent;
        private boolean agentFirst;
        public long plainCpuNanos;
        public long agentCpuNanos;
        public long plainWallNanos;
        public long agentWallNanos;
        public long plainMessages;
        public long agentMessages;

        @Setup
        public void setUp(Messages messages) throws Exception {
            if (!threads.isCurrentThreadCpuTimeSupported()) {
                throw new IllegalStateException("this JVM cannot tell a thread's CPU time");
            }
            make(messages, "plain", "agent");
            plain = handlers[0];
            agent = handlers[1];
        }

        @Setup(Level.Iteration)
        public void reset() {
            plainCpuNanos = agentCpuNanos = plainWallNanos = agentWallNanos = plainMessages = agentMessages = 0;
        }

        /** One turn of each handler, the first in turn plain or the agent's; returns the metrics added. */
        int turns(Messages messages) throws Exception {
            Handler first = agentFirst ? agent : plain;
            Handler second = agentFirst ? plain : agent;
            agentFirst = !agentFirst;
            int accepted = 0;
            long cpu0 = threads.getCurrentThreadCpuTime();
            long wall0 = System.nanoTime();
            for (int i = 0; i < TURN; i++) {
                accepted += first.onMessage(messages.next());
            }
            long cpu1 = threads.getCurrentThreadCpuTime();
            long wall1 = System.nanoTime();
            for (int i = 0; i < TURN; i++) {
                accepted += second.onMessage(messages.next());
            }
            long cpu2 = threads.getCurrentThreadCpuTime();
            long wall2 = System.nanoTime();
            add(first, cpu1 - cpu0, wall1 - wall0);
            add(second, cpu2 - cpu1, wall2 - wall1);
            return accepted;
        }

        private void add(Handler h, long cpu, long wall) {
            if (h.advised) {
                agentCpuNanos += cpu;
                agentWallNanos += wall;
                agentMessages += TURN;
            } else {
                plainCpuNanos += cpu;
                plainWallNanos += wall;
                plainMessages += TURN;
            }
        }
    }

    @Benchmark
    public int perMessage(Messages messages, OneHandler one) throws Exception {
        return one.handlers[0].onMessage(messages.next());
    }

    @Benchmark
    @OperationsPerInvocation(2 * TURN)
    public int interleaved(Messages messages, Turns turns) throws Exception {
        return turns.turns(messages);
    }
}
