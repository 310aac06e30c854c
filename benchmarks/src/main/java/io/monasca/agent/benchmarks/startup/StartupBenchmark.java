package io.monasca.agent.benchmarks.startup;

import io.monasca.agent.benchmarks.Budget;
import io.monasca.agent.benchmarks.Stats;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent's start-up cost, whole process, in rounds of three runs whose order rotates: no agent, the floor (an agent
 * whose transformer returns null: what the JVM charges any such agent) and the agent; the differences are paired
 * within each round. On
 * <ol>
 *   <li>a persister-sized application: ~7,000 classes of real libraries loaded in the same class loader as
 *       look-alikes of the Java persister's handlers (the default profile's targets), which it then calls;</li>
 *   <li>an application that loads nothing;</li>
 *   <li>attach to a running JVM with those classes loaded: how soon after the {@code attach} command returns a
 *       call of a target is timed;</li>
 *   <li>class-loader churn: thousands of loaders, each loading and calling a target, then dropped: heap after GC.</li>
 * </ol>
 * Prints each run, then one line per budget: {@code name value budget PASS|FAIL}.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.monasca.agent.benchmarks.startup.StartupBenchmark [rounds]</pre>
 * ({@code -Dagent.jar=<path>} measures another build of the agent, e.g. an older one, named monasca-persister-agent.jar)
 */
public final class StartupBenchmark {
    static final double WALL_BUDGET_MS = 150;
    static final double RSS_BUDGET_MIB = 25;
    static final double EMPTY_WALL_BUDGET_MS = 50;
    static final double ATTACH_BUDGET_MS = 1000;
    static final double CHURN_BUDGET_KIB = 1024;

    private final Path javaBin;
    private final Path agentJar;
    private final Path libraries;
    private final Path classes;
    /** The look-alikes and the libraries, all in the application class loader. */
    private final String classPath;
    /** {@link NullTransformerAgent}'s jar. */
    private final Path floorJar;

    StartupBenchmark(Path javaHome, Path agentJar, Path libraries, Path classes) throws IOException {
        this.javaBin = javaHome.resolve("bin/java");
        this.agentJar = agentJar;
        this.libraries = libraries;
        this.classes = classes;
        List<String> path = new ArrayList<>(List.of(classes.toString()));
        if (Files.isDirectory(libraries)) {
            try (var jars = Files.list(libraries)) {
                jars.map(Path::toString).filter(p -> p.endsWith(".jar")).sorted().forEach(path::add);
            }
        }
        this.classPath = String.join(java.io.File.pathSeparator, path);
        Path scratch = Files.createTempDirectory("startup-benchmark");
        scratch.toFile().deleteOnExit();
        this.floorJar = NullTransformerAgent.writeJar(scratch);
        floorJar.toFile().deleteOnExit();
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        List<Budget> budgets = run(Path.of(System.getProperty("project.root", ".")), rounds);
        System.out.println();
        budgets.forEach(b -> System.out.println(b.line()));
    }

    /** Runs all four, {@code rounds} off/on pairs of runs each for the first two, and returns their budgets. */
    public static List<Budget> run(Path projectRoot, int rounds) throws Exception {
        Path root = projectRoot.toAbsolutePath();
        StartupBenchmark bench = new StartupBenchmark(Path.of(System.getProperty("java.home")),
                Path.of(System.getProperty("agent.jar", root.resolve("agent/target/monasca-persister-agent.jar").toString())),
                root.resolve("benchmarks/target/startup-libs"), root.resolve("benchmarks/target/classes"));
        for (Path p : List.of(bench.agentJar, bench.libraries, bench.classes)) {
            if (!Files.exists(p)) {
                throw new IllegalStateException(p + " is missing: build first (mvn -B -DskipTests package)");
            }
        }
        List<Budget> budgets = new ArrayList<>();
        budgets.addAll(bench.compare("persister", rounds, WALL_BUDGET_MS, RSS_BUDGET_MIB, "load", bench.libraries.toString()));
        budgets.addAll(bench.compare("empty", rounds, EMPTY_WALL_BUDGET_MS, Double.NaN, "empty"));
        budgets.add(bench.attach());
        budgets.add(bench.churn(3000));
        return budgets;
    }

    /**
     * One run of the app: wall time in ms (whole process, start to exit), the time until the app had done its work
     * (its last line, before the JVM's exit and the agent's last send) and the peak resident set in MiB.
     */
    record Run(double wallMillis, double workDoneMillis, double peakMiB, OwnCost own) {
    }

    /** The agent's own time on the application's threads, from its log line {@code start-up cost: ...} (ms). */
    record OwnCost(double premain, double look, double weave) {
        private static final Pattern LINE = Pattern.compile("start-up cost: ([0-9.]+) ms in premain; \\d+ classes looked"
                + " at in ([0-9.]+) ms, of which \\d+ woven in ([0-9.]+) ms");

        static OwnCost parse(String log) {
            Matcher m = LINE.matcher(log);
            return m.find() ? new OwnCost(Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)),
                    Double.parseDouble(m.group(3))) : null;
        }
    }

    /** No agent; the floor ({@link NullTransformerAgent}: what the JVM charges any agent); the agent. */
    enum Arm { OFF, FLOOR, ON }

    /** Each round runs the three arms in one of their six orders, in turn, so that no arm always comes first. */
    private static final List<List<Arm>> ORDERS = List.of(List.of(Arm.OFF, Arm.FLOOR, Arm.ON),
            List.of(Arm.ON, Arm.OFF, Arm.FLOOR), List.of(Arm.FLOOR, Arm.ON, Arm.OFF), List.of(Arm.ON, Arm.FLOOR, Arm.OFF),
            List.of(Arm.OFF, Arm.ON, Arm.FLOOR), List.of(Arm.FLOOR, Arm.OFF, Arm.ON));

    List<Budget> compare(String name, int rounds, double wallBudget, double rssBudget, String... appArgs) throws Exception {
        Map<Arm, List<Double>> wall = new EnumMap<>(Arm.class);
        for (Arm arm : Arm.values()) {
            wall.put(arm, new ArrayList<>());
        }
        List<Double> wallAdded = new ArrayList<>();
        List<Double> floorAdded = new ArrayList<>();
        List<Double> ownShare = new ArrayList<>();
        List<Double> rssAdded = new ArrayList<>();
        List<Double> workDoneAdded = new ArrayList<>();
        List<Double> premain = new ArrayList<>();
        List<Double> look = new ArrayList<>();
        List<Double> weave = new ArrayList<>();
        run(Arm.OFF, appArgs); // warms the disk cache for all
        for (int i = 0; i < rounds; i++) {
            Map<Arm, Run> runs = new EnumMap<>(Arm.class);
            for (Arm arm : ORDERS.get(i % ORDERS.size())) {
                runs.put(arm, run(arm, appArgs));
            }
            Run off = runs.get(Arm.OFF);
            Run floor = runs.get(Arm.FLOOR);
            Run on = runs.get(Arm.ON);
            runs.forEach((arm, run) -> wall.get(arm).add(run.wallMillis));
            wallAdded.add(on.wallMillis - off.wallMillis);
            floorAdded.add(floor.wallMillis - off.wallMillis);
            ownShare.add(on.wallMillis - floor.wallMillis);
            rssAdded.add(on.peakMiB - off.peakMiB);
            workDoneAdded.add(on.workDoneMillis - off.workDoneMillis);
            if (on.own != null) {
                premain.add(on.own.premain);
                look.add(on.own.look);
                weave.add(on.own.weave);
            }
            System.out.printf(Locale.ROOT, "%s round %d: off %.0f ms %.1f MiB, floor %.0f ms, on %.0f ms %.1f MiB%n", name,
                    i + 1, off.wallMillis, off.peakMiB, floor.wallMillis, on.wallMillis, on.peakMiB);
        }
        System.out.println(name + " wall off:   " + Stats.describe(wall.get(Arm.OFF), "%.0f"));
        System.out.println(name + " wall floor: " + Stats.describe(wall.get(Arm.FLOOR), "%.0f"));
        System.out.println(name + " wall on:    " + Stats.describe(wall.get(Arm.ON), "%.0f"));
        System.out.println(name + " wall added by the agent (paired): " + Stats.describe(wallAdded, "%.0f"));
        System.out.println(name + "   of which the JVM's cost of any agent with a transformer (floor - off, paired): "
                + Stats.describe(floorAdded, "%.0f"));
        System.out.println(name + "   and the agent's own work (on - floor, paired): " + Stats.describe(ownShare, "%.0f"));
        if (!premain.isEmpty()) {
            System.out.println(name + " the agent's own time on the application's threads, as it logs it (ms): premain "
                    + Stats.describe(premain, "%.1f"));
            System.out.println(name + "   looking at each class loaded, weaving included: " + Stats.describe(look, "%.1f"));
            System.out.println(name + "   of which weaving: " + Stats.describe(weave, "%.1f"));
        }
        System.out.println(name + " time until the work is done (before the exit) added by the agent (paired): "
                + Stats.describe(workDoneAdded, "%.0f"));
        System.out.println(name + " peak RSS added by the agent (paired, MiB): " + Stats.describe(rssAdded, "%.1f"));
        List<Budget> budgets = new ArrayList<>();
        budgets.add(Budget.atMost("startup." + name + ".wall_added_ms", Stats.median(wallAdded), wallBudget, "%.0f"));
        if (!Double.isNaN(rssBudget)) {
            budgets.add(Budget.atMost("startup." + name + ".rss_added_mib", Stats.median(rssAdded), rssBudget, "%.1f"));
        }
        return budgets;
    }

    private Run run(Arm arm, String... appArgs) throws Exception {
        List<String> command = new ArrayList<>(List.of(javaBin.toString()));
        if (arm == Arm.ON) {
            command.add("-javaagent:" + agentJar + "=statsd.port=" + statsdPort());
        } else if (arm == Arm.FLOOR) {
            command.add("-javaagent:" + floorJar);
        }
        command.addAll(List.of("-cp", classPath, StartupApp.class.getName()));
        command.addAll(List.of(appArgs));
        Path log = Files.createTempFile("startup-benchmark", ".err");
        long start = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
        StringBuilder out = new StringBuilder();
        long workDone = 0;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.startsWith("HWM ")) {
                    workDone = System.nanoTime(); // main's last line
                }
                out.append(line).append('\n');
            }
        }
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0 || workDone == 0) {
            throw new IllegalStateException("the app failed: " + command + "\n" + out);
        }
        double wall = (System.nanoTime() - start) / 1e6;
        String stderr = Files.readString(log);
        Files.delete(log);
        return new Run(wall, (workDone - start) / 1e6, valueAfter(out.toString(), "HWM ") / 1024.0,
                arm == Arm.ON ? OwnCost.parse(stderr) : null);
    }

    /**
     * Attaches to a running JVM that has loaded the libraries, then calls a target right after the command returns
     * (and every 50 ms until a call is counted): the value is how long after the return the first counted call was.
     */
    Budget attach() throws Exception {
        Process app = new ProcessBuilder(javaBin.toString(), "-XX:+EnableDynamicAgentLoading", "-cp", classPath,
                StartupApp.class.getName(), "wait", libraries.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (DatagramSocket statsd = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            BufferedReader out = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8));
            String ready = out.readLine();
            System.out.println("attach: the app " + ready);
            ready = out.readLine();
            if (ready == null || !ready.startsWith("READY")) {
                throw new IllegalStateException("the app did not start: " + ready);
            }
            long commandStart = System.nanoTime();
            Process cli = new ProcessBuilder(javaBin.toString(), "-jar", agentJar.toString(), "attach", Long.toString(app.pid()),
                    "statsd.host=127.0.0.1,statsd.port=" + statsd.getLocalPort() + ",interval=100ms")
                    .redirectErrorStream(true).start();
            String cliOut = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            cli.waitFor();
            long returned = System.nanoTime();
            System.out.printf(Locale.ROOT, "attach: the command took %.0f ms (exit %d): %s%n",
                    (returned - commandStart) / 1e6, cli.exitValue(), cliOut.strip().replace('\n', ' '));
            OutputStream in = app.getOutputStream();
            statsd.setSoTimeout(50);
            byte[] buffer = new byte[8192];
            long deadline = returned + TimeUnit.SECONDS.toNanos(10);
            long firstCall = -1;
            long counted = -1;
            while (counted < 0 && System.nanoTime() < deadline) {
                in.write("call\n".getBytes(StandardCharsets.UTF_8));
                in.flush();
                String called = out.readLine();
                if (firstCall < 0) {
                    firstCall = System.nanoTime();
                }
                long callTime = System.nanoTime();
                long waitUntil = callTime + TimeUnit.MILLISECONDS.toNanos(300);
                while (counted < 0 && System.nanoTime() < waitUntil) {
                    try {
                        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                        statsd.receive(packet);
                        String text = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
                        if (text.matches("(?s).*upsert\\.received:[1-9].*") && "CALLED".equals(called)) {
                            counted = callTime;
                        }
                    } catch (SocketTimeoutException quiet) {
                        // next poll
                    }
                }
            }
            double millis = counted < 0 ? Double.POSITIVE_INFINITY : (counted - returned) / 1e6;
            System.out.printf(Locale.ROOT, "attach: first call after the command returned: %.0f ms later; "
                    + "first counted call: %.0f ms after the return%n", (firstCall - returned) / 1e6, millis);
            return Budget.atMost("attach.first_timed_call_after_return_ms", millis, ATTACH_BUDGET_MS, "%.0f");
        } finally {
            app.getOutputStream().close();
            if (!app.waitFor(20, TimeUnit.SECONDS)) {
                app.destroyForcibly();
            }
        }
    }

    /** Heap after GC: growth from the first to the last 500 loaders, agent on minus agent off. */
    Budget churn(int loaders) throws Exception {
        double off = churnGrowth(false, loaders);
        double on = churnGrowth(true, loaders);
        System.out.printf(Locale.ROOT, "churn: %d loaders, heap growth after GC off %.0f KiB, on %.0f KiB%n",
                loaders, off, on);
        return Budget.atMost("churn.heap_growth_added_kib", on - off, CHURN_BUDGET_KIB, "%.0f");
    }

    private double churnGrowth(boolean withAgent, int loaders) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(javaBin.toString(), "-Xmx256m"));
        if (withAgent) {
            command.add("-javaagent:" + agentJar + "=statsd.port=" + statsdPort() + ",interval=1s");
        }
        command.addAll(List.of("-cp", classes.toString(), StartupApp.class.getName(), "churn",
                Integer.toString(loaders), classes.toString()));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<Long> heap = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("HEAP ")) {
                    heap.add(Long.parseLong(line.split(" ")[2]));
                }
            }
        }
        p.waitFor();
        if (heap.size() < 2) {
            throw new IllegalStateException("churn printed no heap figures: " + command);
        }
        System.out.println("churn " + (withAgent ? "on " : "off") + ": heap after GC every 500 loaders (KiB): "
                + heap.stream().map(h -> Long.toString(h / 1024)).toList());
        return (heap.get(heap.size() - 1) - heap.get(0)) / 1024.0;
    }

    private static double valueAfter(String output, String prefix) {
        for (String line : output.split("\n")) {
            if (line.startsWith(prefix)) {
                return Double.parseDouble(line.substring(prefix.length()).trim());
            }
        }
        throw new IllegalStateException("no '" + prefix + "' line in: " + output);
    }

    private static DatagramSocket daemon;

    /**
     * The port of a statsd daemon stand-in, as a persister has: a socket that receives and drops what the agent sends
     * (with nobody listening, each send would fail and the agent open a new socket).
     */
    private static synchronized int statsdPort() throws IOException {
        if (daemon == null) {
            DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
            Thread drain = new Thread(() -> {
                DatagramPacket packet = new DatagramPacket(new byte[65536], 65536);
                while (true) {
                    try {
                        socket.receive(packet);
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "statsd-stand-in");
            drain.setDaemon(true);
            drain.start();
            daemon = socket;
        }
        return daemon.getLocalPort();
    }
}
