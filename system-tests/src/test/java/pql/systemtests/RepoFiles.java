package pql.systemtests;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the checkout under test: docker-compose.yml, docker/, the services' config files. */
public final class RepoFiles {

    private RepoFiles() {
    }

    /** The repository root, set by the pom (surefire's {@code pql.repoRoot}), else the parent of the module. */
    public static Path root() {
        Path root = Path.of(System.getProperty("pql.repoRoot", "..")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(root.resolve("pom.xml")) || !Files.isDirectory(root.resolve("system-tests"))) {
            throw new IllegalStateException(root + " is not the PQL Suite checkout");
        }
        return root;
    }

    public static Path file(String relative) {
        Path file = root().resolve(relative);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("missing " + relative + " in " + root());
        }
        return file;
    }
}
