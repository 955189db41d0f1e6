package pql.scoring.grpc;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.CRC32;
import pql.scoring.app.ScoringException;

/**
 * Opaque page tokens: where the next page starts plus a fingerprint of the request it belongs to
 * (filter, order, version), so a token used with another request, edited or truncated is refused
 * with INVALID_ARGUMENT on {@code page_token} instead of returning a wrong page.
 */
final class PageTokens {

    private static final byte FORMAT = 1;

    private PageTokens() {
    }

    record Position(double key, String id) {
    }

    static String encode(long fingerprint, double key, String id) {
        byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
        ByteBuffer body = ByteBuffer.allocate(1 + 8 + 8 + idBytes.length);
        body.put(FORMAT).putLong(fingerprint).putLong(Double.doubleToRawLongBits(key)).put(idBytes);
        CRC32 crc = new CRC32();
        crc.update(body.array());
        ByteBuffer token = ByteBuffer.allocate(body.capacity() + 4).put(body.array()).putInt((int) crc.getValue());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token.array());
    }

    /** Null for an empty token (first page). */
    static Position decode(String token, long fingerprint) {
        if (token == null || token.isEmpty()) {
            return null;
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            throw invalid("not a page token of this service");
        }
        if (bytes.length < 1 + 8 + 8 + 4 || bytes[0] != FORMAT) {
            throw invalid("not a page token of this service");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 4);
        if ((int) crc.getValue() != buffer.getInt(bytes.length - 4)) {
            throw invalid("the page token is damaged");
        }
        buffer.get();
        if (buffer.getLong() != fingerprint) {
            throw invalid("the page token belongs to a request with another filter, order or version");
        }
        double key = Double.longBitsToDouble(buffer.getLong());
        String id = new String(bytes, 17, bytes.length - 17 - 4, StandardCharsets.UTF_8);
        return new Position(key, id);
    }

    static long fingerprint(byte[]... parts) {
        CRC32 crc = new CRC32();
        for (byte[] part : parts) {
            crc.update(part);
            crc.update(0x1f);
        }
        return crc.getValue();
    }

    private static ScoringException.InvalidRequest invalid(String message) {
        return ScoringException.InvalidRequest.of("page_token", message);
    }
}
