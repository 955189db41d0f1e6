package pql.allinone.restart;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import pql.allinone.Main;
import pql.allinone.support.RunningAllInOne;

/**
 * The all-in-one as {@code ./pql start} runs it: {@code java -cp ... pql.allinone.Main server
 * all-in-one/config.yml} in a JVM of its own, on a data directory that outlives it, so the test
 * can stop it the way an operator or the kernel does: SIGTERM (a graceful stop, what
 * {@code docker stop} and Ctrl-C send) or SIGKILL (a crash: nothing runs on the way out).
 */
final class AllInOneProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final int grpcPort;
    private final ManagedChannel channel;

    private AllInOneProcess(Process process, Path log, int grpcPort) {
        this.process = process;
        this.log = log;
        this.grpcPort = grpcPort;
        this.channel = NettyChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext()
                .maxInboundMessageSize(64 * 1024 * 1024).build();
    }

    /**
     * @param dataDirectory events, scoring checkpoints, the local key and the sample's state file
     * @param overrides more {@code dw.*} overrides of the bundled config (without the prefix)
     */
    static AllInOneProcess start(Path dataDirectory, Map<String, String> overrides, Path log) throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        int grpcPort = freePort();
        settings.put("grpc.port", Integer.toString(grpcPort));
        settings.put("server.applicationConnectors[0].port", Integer.toString(freePort()));
        settings.put("server.adminConnectors[0].port", Integer.toString(freePort()));
        settings.put("eventStore.directory", dataDirectory.resolve("events").toString());
        settings.put("scoring.dataDirectory", dataDirectory.resolve("scoring").toString());
        settings.put("sampleData.stateFile", dataDirectory.resolve("sample-data.state").toString());
        settings.put("auth.localKey.file", dataDirectory.resolve("local-api-key").toString());
        settings.putAll(overrides);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // quick to start and light on the two shared cores of CI
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        settings.forEach((key, value) -> command.add("-Ddw." + key + "=" + value));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "server",
                RunningAllInOne.bundledConfig().toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        // never outlive the test JVM, even when it ends without running @AfterAll
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        return new AllInOneProcess(process, log, grpcPort);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The gateway's public gRPC endpoint. */
    ManagedChannel channel() {
        return channel;
    }

    /**
     * Waits until the gateway's grpc.health.v1 says SERVING for "" (every backend serving): what
     * a load balancer or {@code grpc_health_probe} waits for before sending traffic.
     */
    Duration awaitServing(Duration timeout) throws InterruptedException {
        return awaitServing(timeout, () -> { });
    }

    /** {@link #awaitServing(Duration)}, running {@code meanwhile} between two looks at the health. */
    Duration awaitServing(Duration timeout, Runnable meanwhile) throws InterruptedException {
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        String last = "no answer";
        // No RPC before the port is open: a channel refused at connect backs off for seconds.
        while (!portOpen()) {
            if (!process.isAlive()) {
                throw new AssertionError("the all-in-one exited with " + process.exitValue() + "; its log:\n" + tail());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the all-in-one's gRPC port is not open after " + timeout.toSeconds()
                        + " s; its log:\n" + tail());
            }
            Thread.sleep(20);
        }
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the all-in-one exited with " + process.exitValue() + "; its log:\n" + tail());
            }
            try {
                ServingStatus status = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(2, TimeUnit.SECONDS)
                        .check(HealthCheckRequest.newBuilder().setService("").build()).getStatus();
                if (status == ServingStatus.SERVING) {
                    return Duration.ofNanos(System.nanoTime() - started);
                }
                last = status.name();
            } catch (StatusRuntimeException notYet) {
                last = notYet.getStatus().getCode().name();
            }
            meanwhile.run();
            Thread.sleep(20);
        }
        throw new AssertionError("the all-in-one is not SERVING after " + timeout.toSeconds() + " s (" + last
                + "); its log:\n" + tail());
    }

    private boolean portOpen() {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", grpcPort), 200);
            return true;
        } catch (IOException closed) {
            return false;
        }
    }

    /** SIGTERM, then waits for the graceful shutdown to finish. */
    void terminate() throws InterruptedException {
        terminate(() -> { });
    }

    /** SIGTERM; {@code meanwhile} runs while the process shuts down (e.g. a client giving up its stream). */
    void terminate(Runnable meanwhile) throws InterruptedException {
        process.destroy();
        meanwhile.run();
        boolean exited = process.waitFor(60, TimeUnit.SECONDS);
        channel.shutdownNow();
        if (!exited) {
            process.destroyForcibly();
            throw new AssertionError("the all-in-one did not stop within 60 s of SIGTERM; its log:\n" + tail());
        }
    }

    /** SIGKILL: the process ends at once, as in a crash or an OOM kill. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        channel.shutdownNow();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    int grpcPort() {
        return grpcPort;
    }

    /** The end of the process's output (all starts append to one file), for failure messages. */
    String tail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
        channel.shutdownNow();
    }
}
