package pql.common.grpc;

import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Passes messages through as the bytes they arrived as: the gateway never parses a payload it
 * only forwards, so it cannot mangle fields it does not know (and tests send hand-made wire bytes).
 *
 * <p>Each message is copied once on the way in (gRPC's streams say their length, so the array is
 * sized up front instead of grown) and not at all on the way out: the stream handed to gRPC says
 * its length too and drains the array straight into the transport's buffers (Netty) or is read by
 * the backend's own parser (in-process).
 */
public enum RawBytesMarshaller implements MethodDescriptor.Marshaller<byte[]> {
    INSTANCE;

    @Override
    public InputStream stream(byte[] value) {
        return new RawMessage(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
        try {
            if (!(stream instanceof KnownLength)) {
                return stream.readAllBytes();
            }
            int announced = stream.available();
            byte[] bytes = new byte[announced];
            int read = stream.readNBytes(bytes, 0, announced);
            // available() is exact for KnownLength streams; stay correct if one is not
            byte[] rest = stream.readAllBytes();
            if (read == announced && rest.length == 0) {
                return bytes;
            }
            byte[] whole = Arrays.copyOf(bytes, read + rest.length);
            System.arraycopy(rest, 0, whole, read, rest.length);
            return whole;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a message", e);
        }
    }

    /**
     * The whole array behind a stream this marshaller made, handed over without a copy (the stream
     * is left drained), or null for any other stream or one already partly read. In-process
     * transports pass the stream of {@link #stream} to the receiving side's marshaller as is, so
     * a service behind the gateway in the same process parses the bytes the gateway read.
     * The array is shared: neither side may write into it.
     */
    public static byte[] forwardedArray(InputStream stream) {
        if (stream instanceof RawMessage message) {
            return message.takeWhole();
        }
        return null;
    }

    /** A message's bytes as gRPC's framer likes them: length known, drained in one write. */
    static final class RawMessage extends ByteArrayInputStream implements KnownLength, Drainable {

        RawMessage(byte[] bytes) {
            super(bytes);
        }

        @Override
        public synchronized int drainTo(OutputStream target) throws IOException {
            int length = count - pos;
            target.write(buf, pos, length);
            pos = count;
            return length;
        }

        synchronized byte[] takeWhole() {
            if (pos != 0 || count != buf.length) {
                return null;
            }
            pos = count;
            return buf;
        }
    }
}
