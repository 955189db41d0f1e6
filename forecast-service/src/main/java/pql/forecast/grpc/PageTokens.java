package pql.forecast.grpc;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * CompareForecast's page tokens: the last account id of the previous page (keyset paging, stable
 * while scores change) and a fingerprint of the request, so a token is refused with another
 * request's parameters.
 */
final class PageTokens {

    private static final String PREFIX = "cmp1:";

    private PageTokens() {
    }

    static String encode(String lastAccountId, long fingerprint) {
        String raw = PREFIX + Long.toHexString(fingerprint) + ":" + lastAccountId;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** The last account id of the previous page, or null if the token is not one of ours for this request. */
    static String decode(String token, long fingerprint) {
        String raw;
        try {
            raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        String expected = PREFIX + Long.toHexString(fingerprint) + ":";
        if (!raw.startsWith(expected) || raw.length() == expected.length()) {
            return null;
        }
        return raw.substring(expected.length());
    }
}
