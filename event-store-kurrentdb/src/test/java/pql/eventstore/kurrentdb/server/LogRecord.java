package pql.eventstore.kurrentdb.server;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * One event in the in-process server's transaction log, at its byte offset. Since KurrentDB 20.6
 * every appended event is a self-committed prepare record: its commit and prepare positions are
 * both its own offset, and the next record starts right after it.
 *
 * @param position offset of the record in the log
 * @param size bytes the record takes, as a KurrentDB prepare record (length prefix and suffix
 *     included), so positions grow by the size of each record and are not dense
 * @param createdTicks creation time in .NET ticks (100 ns) since the Unix epoch, as KurrentDB sends it
 */
record LogRecord(long position, int size, String streamId, long revision, UUID eventId, String eventType,
        boolean json, byte[] data, byte[] metadata, long createdTicks) {

    long nextPosition() {
        return position + size;
    }

    boolean isSystem() {
        return streamId.startsWith("$") || eventType.startsWith("$");
    }

    /**
     * Size of a prepare record (log format V1): length prefix, record type and version, log
     * position, flags, transaction position and offset, expected version, stream name, event id,
     * correlation id, timestamp, event type, data and metadata with their lengths, length suffix.
     */
    static int sizeOf(String streamId, String eventType, byte[] data, byte[] metadata) {
        return 4 + 1 + 1 + 8 + 2 + 8 + 4 + 8
                + stringSize(streamId) + 16 + 16 + 8 + stringSize(eventType)
                + 4 + data.length + 4 + metadata.length + 4;
    }

    /** .NET BinaryWriter strings: a 7-bit encoded length, then the UTF-8 bytes. */
    private static int stringSize(String value) {
        int bytes = value.getBytes(StandardCharsets.UTF_8).length;
        int lengthBytes = 1;
        for (int rest = bytes >>> 7; rest != 0; rest >>>= 7) {
            lengthBytes++;
        }
        return lengthBytes + bytes;
    }
}
