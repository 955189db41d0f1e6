package pql.systemtests.config;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The {@code docker-compose} command line (Debian package docker-compose), when installed. */
final class DockerCompose {

    /** What the command printed and how it exited. */
    record Result(int exitCode, String output) {
    }

    private DockerCompose() {
    }

    static Optional<Path> binary() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "docker-compose");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Runs {@code docker-compose <args>} in {@code dir}; needs no Docker engine for {@code config}. */
    static Result run(Path dir, String... args) throws IOException, InterruptedException {
        Path binary = binary().orElseThrow(() -> new AssertionError(
                "docker-compose is not installed; install the Debian package: apt-get install -y docker-compose"));
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(List.of(args));
        Path output = Files.createTempFile("docker-compose", ".out");
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("docker-compose " + String.join(" ", args) + " did not finish in 120 s");
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
