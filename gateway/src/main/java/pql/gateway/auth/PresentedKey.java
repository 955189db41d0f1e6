package pql.gateway.auth;

import java.util.Locale;

/** Reads the key a caller presented: {@code authorization: Bearer <key>} or {@code x-api-key: <key>}. */
public final class PresentedKey {

    private PresentedKey() {
    }

    /** The key, or null when neither header carries one. */
    public static String from(String authorization, String xApiKey) {
        if (authorization != null) {
            String value = authorization.trim();
            if (value.length() > 7 && value.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
                String key = value.substring(7).trim();
                if (!key.isEmpty()) {
                    return key;
                }
            }
        }
        if (xApiKey != null && !xApiKey.isBlank()) {
            return xApiKey.trim();
        }
        return null;
    }
}
