package pql.eventstore.kurrentdb;

import io.kurrent.dbclient.AppendToStreamOptions;
import io.kurrent.dbclient.EventData;
import io.kurrent.dbclient.RecordedEvent;
import io.kurrent.dbclient.StreamState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import pql.eventstore.AppendRequest;
import pql.eventstore.AppendResult;
import pql.eventstore.EventStoreUnavailableException;
import pql.eventstore.StreamVersions;
import pql.v1.EventEnvelope;

/**
 * Appends one request to its stream with idempotency by event id.
 *
 * <p>The store knows each stream's version and event ids (read once, then kept up to date by its
 * own appends). Ids the stream holds are filtered against that (their stored events read back to
 * tell a retry from a reused id), and the fresh events are written with the
 * known version as KurrentDB's expected revision, whatever the caller asked: if another writer
 * got in between, the server refuses, and the store reads the stream again and decides again:
 * the other writer may have stored some of the same ids (a retry elsewhere), or moved the stream
 * past the caller's expected version, which is then the caller's conflict.
 *
 * <p>In this process appends to one stream are serialised (lock stripes), so only other
 * processes cause such retries.
 */
final class StreamAppender {

    /** Rounds lost to other writers before the append gives up: a stream this hot is a bug. */
    private static final int MAX_ATTEMPTS = 10;
    private static final int LOCK_STRIPES = 256;

    private final ClientConnection connection;
    private final KurrentReads reads;
    private final KnownStreams known;
    private final int pageSize;
    private final long timeoutMillis;
    private final ReentrantLock[] stripes = new ReentrantLock[LOCK_STRIPES];

    StreamAppender(ClientConnection connection, KurrentReads reads, KnownStreams known, int pageSize, long timeoutMillis) {
        this.connection = connection;
        this.reads = reads;
        this.known = known;
        this.pageSize = pageSize;
        this.timeoutMillis = timeoutMillis;
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    AppendResult append(AppendRequest request) {
        String streamId = request.streamId();
        ReentrantLock lock = stripes[Math.floorMod(streamId.hashCode(), stripes.length)];
        lock.lock();
        try {
            return KurrentFailures.retryingOnce(() -> appendLocked(request));
        } finally {
            lock.unlock();
        }
    }

    private AppendResult appendLocked(AppendRequest request) {
        String streamId = request.streamId();
        for (int attempt = 1; ; attempt++) {
            KnownStream stream = known.get(streamId);
            boolean justRead = stream == null;
            if (justRead) {
                stream = load(streamId);
                known.put(streamId, stream);
            }
            AppendPlan plan = new AppendPlan(request, stream, versions -> readStored(streamId, versions));
            if (plan.nothingNew()) {
                return plan.result(stream.version(), List.of());
            }
            if (!request.expectedVersion().isSatisfiedBy(stream.version())) {
                if (justRead) {
                    return AppendResult.conflict(streamId, stream.version());
                }
                // what we knew may be stale: only the server's answer may refuse the caller
                known.forget(streamId);
                continue;
            }
            List<EventEnvelope> fresh = plan.freshEvents();
            try {
                write(streamId, stream.version(), fresh);
            } catch (io.kurrent.dbclient.WrongExpectedVersionException otherWriter) {
                known.forget(streamId);
                if (attempt >= MAX_ATTEMPTS) {
                    throw new EventStoreUnavailableException("stream " + streamId + " kept changing under "
                            + MAX_ATTEMPTS + " attempts to append to it", otherWriter);
                }
                continue;
            } catch (RuntimeException unknownOutcome) {
                // the write may or may not have happened: read the stream again before the retry
                known.forget(streamId);
                throw unknownOutcome;
            }
            List<KnownStream.EventLocation> written = readBack(streamId, stream.version() + 1, fresh);
            for (int i = 0; i < fresh.size(); i++) {
                stream.added(fresh.get(i).getEventId(), written.get(i));
            }
            return plan.result(stream.version(), written);
        }
    }

    private void write(String streamId, long expectedVersion, List<EventEnvelope> events) {
        List<EventData> data = new ArrayList<>(events.size());
        for (EventEnvelope event : events) {
            data.add(EventMapping.toEventData(streamId, event));
        }
        StreamState expected = expectedVersion == StreamVersions.NONE
                ? StreamState.noStream()
                : StreamState.streamRevision(expectedVersion);
        AppendToStreamOptions options = AppendToStreamOptions.get().streamState(expected).deadline(timeoutMillis);
        KurrentFailures.await(connection.client().appendToStream(streamId, options, data.iterator()),
                timeoutMillis + 1_000, "append to " + streamId);
    }

    /**
     * Where the events just written landed. The append's answer carries one position for the whole
     * write, so the events are read back: they are the next ones after the version we expected.
     */
    private List<KnownStream.EventLocation> readBack(String streamId, long firstVersion, List<EventEnvelope> events) {
        List<RecordedEvent> records;
        try {
            records = reads.streamForwards(streamId, firstVersion, events.size());
        } catch (RuntimeException e) {
            known.forget(streamId);
            throw e;
        }
        List<KnownStream.EventLocation> locations = new ArrayList<>(records.size());
        for (int i = 0; i < records.size() && i < events.size(); i++) {
            RecordedEvent record = records.get(i);
            if (!record.getEventId().equals(EventMapping.eventUuid(streamId, events.get(i).getEventId()))) {
                break;
            }
            locations.add(new KnownStream.EventLocation(record.getRevision(), EventMapping.positionOf(record)));
        }
        if (locations.size() != events.size()) {
            known.forget(streamId);
            throw new IllegalStateException("stream " + streamId + " does not hold the " + events.size()
                    + " events just appended at version " + firstVersion + " (was it truncated or deleted?)");
        }
        return locations;
    }

    /**
     * The stored events at {@code versions} (ascending), one read per run of consecutive versions: a
     * retried batch sends its ids in the order they were stored, so it costs one read.
     */
    private Map<Long, EventEnvelope> readStored(String streamId, List<Long> versions) {
        Map<Long, EventEnvelope> stored = new HashMap<>();
        int start = 0;
        while (start < versions.size()) {
            int end = start + 1;
            while (end < versions.size() && versions.get(end) == versions.get(end - 1) + 1) {
                end++;
            }
            for (RecordedEvent record : reads.streamForwards(streamId, versions.get(start), end - start)) {
                EventMapping.toStoredEvent(record).ifPresent(event -> stored.put(event.streamVersion(), event.envelope()));
            }
            start = end;
        }
        return stored;
    }

    private KnownStream load(String streamId) {
        KnownStream stream = new KnownStream();
        long from = 0;
        while (true) {
            List<RecordedEvent> page = reads.streamForwards(streamId, from, pageSize);
            for (RecordedEvent record : page) {
                stream.add(record);
            }
            if (page.size() < pageSize) {
                return stream;
            }
            from = page.get(page.size() - 1).getRevision() + 1;
        }
    }
}
