package pql.eventstore.embedded;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.ColumnFamilyHandle;
import pql.eventstore.AppendRequest;
import pql.v1.EventEnvelope;

/**
 * An append request encoded on the caller's thread (its log records and idempotency keys), so the
 * sequencer only decides and copies.
 */
record PreparedRequest(AppendRequest request, byte[] streamBytes, List<PreparedEvent> events) {

    static PreparedRequest of(AppendRequest request) {
        byte[] stream = request.streamId().getBytes(StandardCharsets.UTF_8);
        List<PreparedEvent> events = new ArrayList<>(request.events().size());
        for (EventEnvelope envelope : request.events()) {
            byte[] record = RocksDbKeys.logRecord(stream, envelope);
            events.add(new PreparedEvent(envelope.getEventId(),
                    new IdKey(RocksDbKeys.eventId(stream, envelope.getEventId())),
                    record, RocksDbKeys.versionOffsetOf(record)));
        }
        return new PreparedRequest(request, stream, events);
    }

    /** An event encoded ahead of sequencing; only its position and version are filled in by the sequencer. */
    record PreparedEvent(String eventId, IdKey idKey, byte[] logRecord, int versionOffset) {
        void putLogRecord(WriteBatchEncoder batch, ColumnFamilyHandle log, long position, long version) {
            batch.beginPut(log, position, logRecord.length);
            batch.write(logRecord, 0, versionOffset);
            batch.writeLong(version);
            int afterVersion = versionOffset + Long.BYTES;
            batch.write(logRecord, afterVersion, logRecord.length - afterVersion);
        }
    }
}
