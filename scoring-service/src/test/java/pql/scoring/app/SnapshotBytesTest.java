package pql.scoring.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Snapshots are read back with DataInputStream: SnapshotBytes must write exactly what DataOutputStream writes. */
class SnapshotBytesTest {

    private static void writeMix(DataOutput out, long seed) throws IOException {
        Random random = new Random(seed);
        String[] texts = {"report_created", "", "naïve café", "日本語のユーザー", "nul\u0000char", "x".repeat(3000)};
        for (int i = 0; i < 60_000; i++) {
            switch (random.nextInt(9)) {
                case 0 -> out.writeInt(random.nextInt());
                case 1 -> out.writeLong(random.nextLong());
                case 2 -> out.writeDouble(random.nextGaussian());
                case 3 -> out.writeShort(random.nextInt());
                case 4 -> out.writeBoolean(random.nextBoolean());
                case 5 -> out.writeByte(random.nextInt());
                case 6 -> out.writeUTF(texts[random.nextInt(texts.length)]);
                case 7 -> {
                    byte[] bytes = new byte[random.nextInt(5000)];
                    random.nextBytes(bytes);
                    out.write(bytes);
                }
                default -> out.writeFloat(random.nextFloat());
            }
        }
    }

    @Test
    void writesTheSameBytesAsDataOutputStreamAcrossChunks() throws IOException {
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        writeMix(new DataOutputStream(expected), 42);
        SnapshotBytes actual = new SnapshotBytes();
        writeMix(actual, 42);

        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (byte[] chunk : actual.chunks()) {
            joined.write(chunk);
        }
        assertThat(expected.size()).as("more than one chunk").isGreaterThan(1 << 20);
        assertThat(actual.chunks()).hasSizeGreaterThan(1);
        assertThat(actual.size()).isEqualTo(expected.size());
        assertThat(joined.toByteArray()).isEqualTo(expected.toByteArray());
    }
}
