package pql.systemtests.processes;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One service as its container runs it: {@code java -cp ... <main class> server <config>} in its
 * own JVM with an environment of its own, output to a log file. Stopped with SIGTERM (what
 * {@code docker stop} sends), killed if it does not exit.
 */
final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Path log;
    private final int adminPort;
    private final Process process;

    private ServiceProcess(String name, Path log, int adminPort, Process process) {
        this.name = name;
        this.log = log;
        this.adminPort = adminPort;
        this.process = process;
    }

    /**
     * @param env the process's whole environment (nothing is inherited but PATH and HOME)
     */
    static ServiceProcess start(String name, String mainClass, Path config, Map<String, String> env, int adminPort,
            Path logDir) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // small and quick to start: five JVMs share two cores here
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                mainClass, "server", config.toString()));
        Path log = logDir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> environment = builder.environment();
        String path = environment.get("PATH");
        String home = environment.get("HOME");
        environment.clear();
        environment.put("PATH", path == null ? "/usr/bin:/bin" : path);
        if (home != null) {
            environment.put("HOME", home);
        }
        environment.putAll(env);
        Process process = builder.start();
        // never outlive the test JVM, even when it ends without running @AfterAll
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        return new ServiceProcess(name, log, adminPort, process);
    }

    /** Waits for the admin port's /healthcheck to answer 200, as the image's HEALTHCHECK does. */
    void awaitHealthy(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + "; its log:\n" + tail());
            }
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + adminPort + "/healthcheck")).timeout(Duration.ofSeconds(3)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                last = response.statusCode() + " " + response.body();
            } catch (IOException notYet) {
                last = notYet.toString();
            }
            Thread.sleep(250);
        }
        throw new AssertionError(name + " not healthy after " + timeout.toSeconds() + " s (" + last + "); its log:\n" + tail());
    }

    String name() {
        return name;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The end of the process's output, for failure messages. */
    String tail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
