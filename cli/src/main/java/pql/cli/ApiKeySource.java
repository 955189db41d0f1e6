package pql.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the CLI's key comes from: --key, PQL_API_KEY, or the all-in-one's local key file. */
final class ApiKeySource {

    private ApiKeySource() {
    }

    static String resolve(String explicit) {
        if (explicit != null && !explicit.isBlank()) {
            return explicit.trim();
        }
        String dataDir = System.getenv().getOrDefault("PQL_DATA_DIR", "./data");
        Path local = Path.of(dataDir, "local-api-key");
        if (Files.isReadable(local)) {
            try {
                String key = Files.readString(local).trim();
                return key.isEmpty() ? null : key;
            } catch (IOException e) {
                return null;
            }
        }
        return null;
    }
}
