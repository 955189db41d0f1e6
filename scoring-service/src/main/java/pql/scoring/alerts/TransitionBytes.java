package pql.scoring.alerts;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import pql.scoring.domain.CommunicationLevel;
import pql.scoring.domain.Level;
import pql.scoring.domain.OutcomeKind;
import pql.scoring.domain.TransitionKind;
import pql.scoring.domain.score.PqlTransition;

/** A transition as the alert journal keeps it: every field, versioned, compact. */
final class TransitionBytes {

    private static final int VERSION = 1;

    private TransitionBytes() {
    }

    static byte[] encode(PqlTransition t) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeUTF(t.accountId());
            out.writeByte(t.kind().ordinal());
            out.writeInt(t.definitionVersion());
            out.writeLong(t.at());
            out.writeLong(t.logPosition());
            out.writeInt(t.kindsBeforeMask());
            out.writeInt(t.kindsAfterMask());
            out.writeByte(ordinal(t.activationLevel()));
            out.writeByte(ordinal(t.engagementLevel()));
            out.writeByte(ordinal(t.communicationLevel()));
            out.writeByte(ordinal(t.activationBefore()));
            out.writeByte(ordinal(t.engagementBefore()));
            out.writeByte(ordinal(t.communicationBefore()));
            writeNullable(out, t.accountName());
            writeNullable(out, t.owner());
            out.writeDouble(t.activationRate());
            out.writeDouble(t.engagementScore());
            out.writeByte(ordinal(t.closedBy()));
            out.writeBoolean(t.timeDriven());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static PqlTransition decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int version = in.readByte();
            if (version != VERSION) {
                throw new IllegalStateException("unknown journaled transition version " + version);
            }
            return new PqlTransition(in.readUTF(), TransitionKind.values()[in.readByte()], in.readInt(), in.readLong(),
                    in.readLong(), in.readInt(), in.readInt(), level(in.readByte()), level(in.readByte()),
                    communication(in.readByte()), level(in.readByte()), level(in.readByte()), communication(in.readByte()),
                    readNullable(in), readNullable(in), in.readDouble(), in.readDouble(), outcome(in.readByte()),
                    in.readBoolean());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int ordinal(Enum<?> value) {
        return value == null ? -1 : value.ordinal();
    }

    private static Level level(int ordinal) {
        return ordinal < 0 ? null : Level.values()[ordinal];
    }

    private static CommunicationLevel communication(int ordinal) {
        return ordinal < 0 ? null : CommunicationLevel.values()[ordinal];
    }

    private static OutcomeKind outcome(int ordinal) {
        return ordinal < 0 ? null : OutcomeKind.values()[ordinal];
    }

    private static void writeNullable(DataOutputStream out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value.length() > 10_000 ? value.substring(0, 10_000) : value);
        }
    }

    private static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
