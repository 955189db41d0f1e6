package pql.gateway.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Reads the local key from its file, creating it (owner read/write only) on first use. */
public final class LocalKeyFile {

    private LocalKeyFile() {
    }

    public static String loadOrCreate(Path file) {
        try {
            if (Files.exists(file)) {
                String key = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (!key.isEmpty()) {
                    return key;
                }
            }
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            String key = ApiKeys.generate();
            Path temp = Files.createTempFile(parent, ".local-api-key", ".tmp");
            try {
                restrictToOwner(temp);
                Files.writeString(temp, key + "\n", StandardCharsets.UTF_8);
                Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException raced) {
                Files.deleteIfExists(temp);
                return Files.readString(file, StandardCharsets.UTF_8).trim();
            }
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the local API key file " + file, e);
        }
    }

    private static void restrictToOwner(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the user's profile directory is already private.
        }
    }
}
