package pql.common.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/** Who may use the admin port: decides on the key a request presented. */
@FunctionalInterface
public interface AdminAccess {

    enum Decision { ALLOWED, UNKNOWN_KEY, NOT_ADMIN }

    /** @param presentedKey never null or empty */
    Decision decide(String presentedKey);

    /** Nobody: the admin port answers only its open probes. */
    AdminAccess NOBODY = key -> Decision.UNKNOWN_KEY;

    /** The keys whose SHA-256 (64 hex digits) is listed, as in an {@code auth.apiKeys} entry. */
    static AdminAccess ofSha256Hex(List<String> hashes) {
        List<byte[]> accepted = hashes.stream().map(hash -> {
            String hex = hash == null ? "" : hash.trim().toLowerCase(Locale.ROOT);
            if (!hex.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("adminAuth.apiKeySha256: expected the 64 hex digits of a key's SHA-256");
            }
            return HexFormat.of().parseHex(hex);
        }).toList();
        return key -> {
            byte[] presented = sha256(key);
            boolean found = false;
            for (byte[] hash : accepted) {
                found |= MessageDigest.isEqual(hash, presented);
            }
            return found ? Decision.ALLOWED : Decision.UNKNOWN_KEY;
        };
    }

    /** Allowed when either allows; NOT_ADMIN when either knows the key. */
    default AdminAccess or(AdminAccess other) {
        return key -> {
            Decision first = decide(key);
            Decision second = other.decide(key);
            if (first == Decision.ALLOWED || second == Decision.ALLOWED) {
                return Decision.ALLOWED;
            }
            return first == Decision.NOT_ADMIN || second == Decision.NOT_ADMIN ? Decision.NOT_ADMIN : Decision.UNKNOWN_KEY;
        };
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
