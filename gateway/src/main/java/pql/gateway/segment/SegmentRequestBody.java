package pql.gateway.segment;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * A request body read up to a limit, gzip undone (by its magic bytes, so a body Jetty already
 * inflated, or one sent without Content-Encoding, reads the same; JSON never starts with 0x1f).
 * The limit counts the JSON, after gzip, so a small compressed bomb is refused like a large body.
 */
final class SegmentRequestBody {

    private SegmentRequestBody() {
    }

    /** The body was over the limit. */
    static final class TooLarge extends Exception {
        TooLarge() {
            super(null, null, false, false);
        }
    }

    /** gzip that does not decompress. */
    static final class BadGzip extends Exception {
        BadGzip(String message) {
            super(message, null, false, false);
        }
    }

    static byte[] read(InputStream in, int limit) throws IOException, TooLarge, BadGzip {
        byte[] raw = readAtMost(in, limit);
        if (raw.length < 2 || (raw[0] & 0xff) != 0x1f || (raw[1] & 0xff) != 0x8b) {
            return raw;
        }
        try (GZIPInputStream inflated = new GZIPInputStream(new java.io.ByteArrayInputStream(raw))) {
            return readAtMost(inflated, limit);
        } catch (ZipException | java.io.EOFException e) {
            throw new BadGzip("the body starts like gzip but does not decompress: " + e.getMessage());
        }
    }

    private static byte[] readAtMost(InputStream in, int limit) throws IOException, TooLarge {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(limit, 64 * 1024));
        byte[] buffer = new byte[16 * 1024];
        int total = 0;
        int read;
        while ((read = in.read(buffer)) != -1) {
            total += read;
            if (total > limit) {
                throw new TooLarge();
            }
            out.write(buffer, 0, read);
        }
        return out.toByteArray();
    }
}
