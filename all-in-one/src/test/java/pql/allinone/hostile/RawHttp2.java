package pql.allinone.hostile;

import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A gRPC call written as HTTP/2 frames by hand, for what grpc-java's client will not send: a
 * header block larger than the server's SETTINGS_MAX_HEADER_LIST_SIZE (grpc-java's client, like
 * Netty's, refuses that itself). Answers what the server sent back, frame by frame.
 */
final class RawHttp2 {

    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADERS = 1;
    private static final int RST_STREAM = 3;
    private static final int SETTINGS = 4;
    private static final int GOAWAY = 7;
    private static final int CONTINUATION = 9;
    private static final int END_STREAM = 1;
    private static final int END_HEADERS = 4;
    private static final int ACK = 1;
    private static final int MAX_FRAME = 16_384;

    private RawHttp2() {
    }

    /**
     * Sends one unary call with an empty request and these headers besides the pseudo-headers and
     * gRPC's own; answers e.g. "headers {:status=200, grpc-status=16, ...}", "RST_STREAM 11", "GOAWAY 11", "closed".
     */
    static List<String> call(int port, String fullMethodName, Map<String, String> headers) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(PREFACE);
            frame(out, SETTINGS, 0, 0, new byte[0]);
            ByteArrayOutputStream block = new ByteArrayOutputStream();
            block.write(0x83); // :method POST
            block.write(0x86); // :scheme http
            literal(block, ":path", "/" + fullMethodName);
            literal(block, ":authority", "localhost");
            literal(block, "content-type", "application/grpc");
            literal(block, "te", "trailers");
            headers.forEach((name, value) -> literal(block, name, value));
            byte[] bytes = block.toByteArray();
            for (int offset = 0; offset < bytes.length; offset += MAX_FRAME) {
                int length = Math.min(MAX_FRAME, bytes.length - offset);
                byte[] part = java.util.Arrays.copyOfRange(bytes, offset, offset + length);
                boolean last = offset + length >= bytes.length;
                frame(out, offset == 0 ? HEADERS : CONTINUATION, last ? END_HEADERS : 0, 1, part);
            }
            // an empty request message (5-byte gRPC frame) ends the stream
            frame(out, 0, END_STREAM, 1, new byte[5]);
            out.flush();
            return answers(new DataInputStream(socket.getInputStream()), out);
        }
    }

    private static List<String> answers(DataInputStream in, OutputStream out) throws IOException {
        List<String> answers = new ArrayList<>();
        DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);
        try {
            while (true) {
                int length = in.readUnsignedByte() << 16 | in.readUnsignedByte() << 8 | in.readUnsignedByte();
                int type = in.readUnsignedByte();
                int flags = in.readUnsignedByte();
                int stream = in.readInt() & 0x7fffffff;
                byte[] payload = in.readNBytes(length);
                if (type == SETTINGS && (flags & ACK) == 0) {
                    frame(out, SETTINGS, ACK, 0, new byte[0]);
                } else if (type == HEADERS && stream == 1) {
                    Http2Headers decoded = decoder.decodeHeaders(stream, Unpooled.wrappedBuffer(payload));
                    List<String> pairs = new ArrayList<>();
                    decoded.forEach(entry -> pairs.add(entry.getKey() + "=" + entry.getValue()));
                    answers.add("headers " + pairs);
                    if ((flags & END_STREAM) != 0) {
                        return answers;
                    }
                } else if (type == RST_STREAM) {
                    answers.add("RST_STREAM " + java.nio.ByteBuffer.wrap(payload).getInt());
                    return answers;
                } else if (type == GOAWAY) {
                    answers.add("GOAWAY " + java.nio.ByteBuffer.wrap(payload, 4, 4).getInt());
                    return answers;
                }
            }
        } catch (EOFException | SocketTimeoutException e) {
            answers.add("closed");
            return answers;
        } catch (io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Exception e) {
            throw new IOException(e);
        }
    }

    private static void frame(OutputStream out, int type, int flags, int stream, byte[] payload) throws IOException {
        out.write(new byte[] {(byte) (payload.length >>> 16), (byte) (payload.length >>> 8), (byte) payload.length, (byte) type,
                (byte) flags, (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8), (byte) stream});
        out.write(payload);
    }

    /** HPACK: a literal header field without indexing, new name, no Huffman coding. */
    private static void literal(ByteArrayOutputStream block, String name, String value) {
        block.write(0);
        string(block, name.getBytes(StandardCharsets.US_ASCII));
        string(block, value.getBytes(StandardCharsets.US_ASCII));
    }

    private static void string(ByteArrayOutputStream block, byte[] bytes) {
        integer(block, bytes.length);
        block.writeBytes(bytes);
    }

    /** An HPACK integer with a 7-bit prefix (the Huffman bit 0). */
    private static void integer(ByteArrayOutputStream block, int value) {
        if (value < 127) {
            block.write(value);
            return;
        }
        block.write(127);
        int rest = value - 127;
        while (rest >= 128) {
            block.write(rest % 128 + 128);
            rest /= 128;
        }
        block.write(rest);
    }
}
