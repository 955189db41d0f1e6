package pql.common.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Drainable;
import io.grpc.KnownLength;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The proxy's messages: read once at their announced length, written out without a copy. */
class RawBytesMarshallerTest {

    private static final byte[] MESSAGE = "a forwarded message".getBytes(StandardCharsets.UTF_8);

    @Test
    void aStreamOfKnownLengthIsReadWhole() {
        assertThat(RawBytesMarshaller.INSTANCE.parse(new KnownLengthStream(MESSAGE, MESSAGE.length))).isEqualTo(MESSAGE);
    }

    @Test
    void aStreamThatAnnouncesTooFewBytesIsStillReadWhole() {
        assertThat(RawBytesMarshaller.INSTANCE.parse(new KnownLengthStream(MESSAGE, 5))).isEqualTo(MESSAGE);
    }

    @Test
    void aStreamThatAnnouncesTooManyBytesGivesOnlyWhatItHas() {
        assertThat(RawBytesMarshaller.INSTANCE.parse(new KnownLengthStream(MESSAGE, MESSAGE.length + 10))).isEqualTo(MESSAGE);
    }

    @Test
    void aStreamOfUnknownLengthIsReadWhole() {
        assertThat(RawBytesMarshaller.INSTANCE.parse(new ByteArrayInputStream(MESSAGE))).isEqualTo(MESSAGE);
    }

    @Test
    void theOutgoingStreamSaysItsLengthAndDrainsInOneWrite() throws Exception {
        InputStream stream = RawBytesMarshaller.INSTANCE.stream(MESSAGE);
        assertThat(stream).isInstanceOf(KnownLength.class).isInstanceOf(Drainable.class);
        assertThat(stream.available()).isEqualTo(MESSAGE.length);

        ByteArrayOutputStream target = new ByteArrayOutputStream();
        assertThat(((Drainable) stream).drainTo(target)).isEqualTo(MESSAGE.length);
        assertThat(target.toByteArray()).isEqualTo(MESSAGE);
        assertThat(stream.read()).isEqualTo(-1);
    }

    @Test
    void theOutgoingStreamCanAlsoBeReadAfterAPartialRead() throws Exception {
        InputStream stream = RawBytesMarshaller.INSTANCE.stream(MESSAGE);
        assertThat(stream.read()).isEqualTo(MESSAGE[0]);
        assertThat(RawBytesMarshaller.INSTANCE.parse(stream)).isEqualTo(java.util.Arrays.copyOfRange(MESSAGE, 1, MESSAGE.length));
    }

    @Test
    void aServiceInTheSameProcessTakesTheForwardedArrayItselfOnce() throws Exception {
        InputStream stream = RawBytesMarshaller.INSTANCE.stream(MESSAGE);

        assertThat(RawBytesMarshaller.forwardedArray(stream)).isSameAs(MESSAGE);
        assertThat(stream.read()).isEqualTo(-1);
        assertThat(RawBytesMarshaller.forwardedArray(stream)).isNull();
    }

    @Test
    void noArrayIsHandedOverFromAPartlyReadStreamOrAnyOtherStream() throws Exception {
        InputStream partlyRead = RawBytesMarshaller.INSTANCE.stream(MESSAGE);
        assertThat(partlyRead.read()).isEqualTo(MESSAGE[0]);

        assertThat(RawBytesMarshaller.forwardedArray(partlyRead)).isNull();
        assertThat(RawBytesMarshaller.forwardedArray(new ByteArrayInputStream(MESSAGE))).isNull();
    }

    /** A stream that claims {@code announced} bytes, as gRPC's own streams claim their exact length. */
    private static final class KnownLengthStream extends ByteArrayInputStream implements KnownLength {
        private final int announced;

        KnownLengthStream(byte[] bytes, int announced) {
            super(bytes);
            this.announced = announced;
        }

        @Override
        public synchronized int available() {
            return pos == 0 ? announced : super.available();
        }
    }
}
