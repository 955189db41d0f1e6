package pql.common.grpc;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.CRC32;

/**
 * Opaque page tokens for keyset paging: where the next page starts (a numeric key and an id,
 * e.g. score and account id, or a version) plus a fingerprint of the request it belongs to
 * (filter, order, version...), so a token used with another request, edited or truncated is
 * refused with INVALID_ARGUMENT on {@value #FIELD} instead of returning a wrong page.
 */
public final class PageTokens {

    /** The request field every paged RPC of the API reads its token from. */
    public static final String FIELD = "page_token";

    private static final byte FORMAT = 1;
    private static final int HEADER_BYTES = 1 + 8 + 8;
    private static final int CRC_BYTES = 4;

    private PageTokens() {
    }

    /** Where the next page starts; {@code key} 0 or {@code id} "" when a service pages by one of them only. */
    public record Position(double key, String id) {
    }

    public static String encode(long fingerprint, double key, String id) {
        byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
        ByteBuffer body = ByteBuffer.allocate(HEADER_BYTES + idBytes.length);
        body.put(FORMAT).putLong(fingerprint).putLong(Double.doubleToRawLongBits(key)).put(idBytes);
        CRC32 crc = new CRC32();
        crc.update(body.array());
        ByteBuffer token = ByteBuffer.allocate(body.capacity() + CRC_BYTES).put(body.array()).putInt((int) crc.getValue());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token.array());
    }

    /**
     * The position in {@code token}, null for an empty token (the first page).
     *
     * @throws io.grpc.StatusRuntimeException INVALID_ARGUMENT with a violation on {@value #FIELD}
     *     when the token is not one of this request's
     */
    public static Position decode(String token, long fingerprint) {
        FieldViolations violations = new FieldViolations();
        Position position = decode(token, fingerprint, violations);
        violations.throwIfAny("invalid request");
        return position;
    }

    /** Like {@link #decode(String, long)}, but adds the violation to {@code violations} (and returns null). */
    public static Position decode(String token, long fingerprint, FieldViolations violations) {
        if (token == null || token.isEmpty()) {
            return null;
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            return refused(violations, "not a page token of this service");
        }
        if (bytes.length < HEADER_BYTES + CRC_BYTES || bytes[0] != FORMAT) {
            return refused(violations, "not a page token of this service");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - CRC_BYTES);
        if ((int) crc.getValue() != buffer.getInt(bytes.length - CRC_BYTES)) {
            return refused(violations, "the page token is damaged");
        }
        buffer.get();
        if (buffer.getLong() != fingerprint) {
            return refused(violations, "the page token belongs to another request: repeat the request's other fields unchanged");
        }
        double key = Double.longBitsToDouble(buffer.getLong());
        String id = new String(bytes, HEADER_BYTES, bytes.length - HEADER_BYTES - CRC_BYTES, StandardCharsets.UTF_8);
        return new Position(key, id);
    }

    /** A fingerprint of the request's parts that decide which pages exist (filter, order, version...). */
    public static long fingerprint(byte[]... parts) {
        CRC32 crc = new CRC32();
        for (byte[] part : parts) {
            crc.update(part);
            crc.update(0x1f);
        }
        return crc.getValue();
    }

    private static Position refused(FieldViolations violations, String why) {
        violations.add(FIELD, why);
        return null;
    }
}
