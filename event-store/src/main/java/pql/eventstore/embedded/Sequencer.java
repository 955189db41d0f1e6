package pql.eventstore.embedded;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import pql.eventstore.AppendRequest;
import pql.eventstore.AppendResult;
import pql.eventstore.EventContent;
import pql.eventstore.StreamVersions;
import pql.eventstore.embedded.PreparedRequest.PreparedEvent;
import pql.v1.EventEnvelope;

/**
 * The embedded store's sequencer: turns a group of waiting appends into one write batch, deciding
 * versions, duplicates and positions, so the global order is decided in one place. Run by the
 * store's sequencer thread only; the committer thread makes its batches durable in order.
 *
 * <p>State owned by the sequencer thread: the next position, every stream's version including
 * batches not yet durable, and the ids of those batches with their events (the index cannot answer
 * for them yet).
 *
 * <p>An id the stream holds is a duplicate when the event sent again is the stored one
 * ({@link EventContent}), else a reused id: either way nothing is written. The stored original of a
 * durable id is read from the log only then, in one multi-get per group: new ids cost nothing more.
 */
final class Sequencer {
    private final RocksDB db;
    private final ColumnFamilyHandle log;
    /** Stream ranges and idempotency entries, one family (see {@link RocksDbKeys}). */
    private final ColumnFamilyHandle index;
    /** Ids of the batches the committer has made durable since the last group: the index answers for them now. */
    private final ConcurrentLinkedQueue<List<IdKey>> committedIds;
    /** Groups handed to the committer and not yet durable (or failed). */
    private final AtomicInteger inFlightGroups;
    /** Streams' versions, shared with the committer (durable) and readers; a stream not in it is read from the index. */
    private final Map<String, StreamHead> heads;
    /** Opened for the first stream of a group not in {@link #heads}, closed when the group is sequenced. */
    private RocksIterator ranges;

    private static final byte[] NO_VALUE = new byte[0];

    private long nextPosition;
    private final Map<IdKey, InFlight> inFlightIds = new HashMap<>();

    /** Where an id not yet durable is, and its event (to tell a retry from a reused id). */
    private record InFlight(byte[] location, EventEnvelope event) {
    }

    Sequencer(RocksDB db, ColumnFamilyHandle log, ColumnFamilyHandle index,
            ConcurrentLinkedQueue<List<IdKey>> committedIds, AtomicInteger inFlightGroups,
            Map<String, StreamHead> heads, long headPosition) {
        this.db = db;
        this.log = log;
        this.index = index;
        this.committedIds = committedIds;
        this.inFlightGroups = inFlightGroups;
        this.heads = heads;
        this.nextPosition = headPosition + 1;
    }

    SequencedGroup sequence(List<PendingAppend> group) throws RocksDBException {
        // Ids of batches committed before the look-up are in the index: forget them after it.
        List<List<IdKey>> committed = new ArrayList<>();
        for (List<IdKey> ids; (ids = committedIds.poll()) != null; ) {
            committed.add(ids);
        }
        Map<IdKey, byte[]> known = lookUpIds(group);
        for (List<IdKey> ids : committed) {
            for (IdKey id : ids) {
                inFlightIds.remove(id);
            }
        }
        Map<IdKey, EventEnvelope> stored = storedOriginals(known);
        // with no group in flight every stream's version is in the index: the cache can start again
        if (heads.size() > RocksDbEventStore.VERSION_CACHE_LIMIT && inFlightGroups.get() == 0) {
            heads.clear();
        }
        int requests = 0;
        for (PendingAppend pending : group) {
            requests += pending.requests().size();
        }
        WriteBatchEncoder batch = new WriteBatchEncoder(encodedSize(group));
        StreamHead.Updates updates = new StreamHead.Updates(requests);
        List<IdKey> newIds = new ArrayList<>();
        List<List<AppendResult>> results = new ArrayList<>(group.size());
        try {
            for (PendingAppend pending : group) {
                List<AppendResult> pendingResults = new ArrayList<>(pending.requests().size());
                for (PreparedRequest request : pending.requests()) {
                    pendingResults.add(apply(request, known, stored, batch, updates, newIds));
                }
                results.add(pendingResults);
            }
        } finally {
            if (ranges != null) {
                ranges.close();
                ranges = null;
            }
        }
        WriteBatch writeBatch = batch.toWriteBatch();
        inFlightGroups.incrementAndGet();
        return new SequencedGroup(group, writeBatch, results, updates, newIds, nextPosition - 1);
    }

    /** Room for every event's log record and index entries, so the batch is built without growing. */
    private static int encodedSize(List<PendingAppend> group) {
        int size = 0;
        for (PendingAppend pending : group) {
            for (PreparedRequest request : pending.requests()) {
                size += 2 * request.streamBytes().length + 64;
                for (PreparedEvent event : request.events()) {
                    size += event.logRecord().length + event.idKey().bytes().length + 48;
                }
            }
        }
        return size;
    }

    /**
     * The stream's head, read from its last range entry the first time the stream comes by; a
     * stream whose marker the bloom filters rule out has never been written, and takes no seek.
     */
    private StreamHead headOf(String streamId, byte[] stream) {
        StreamHead head = heads.get(streamId);
        if (head == null) {
            long version = StreamVersions.NONE;
            if (db.keyMayExist(index, RocksDbKeys.streamMarker(stream), null)) {
                ranges = ranges != null ? ranges : db.newIterator(index);
                version = RocksDbEventStore.lastVersion(ranges, streamId);
            }
            head = new StreamHead(version);
            heads.put(streamId, head);
        }
        return head;
    }

    /** One multi-get for the whole group: most ids are new, so the bloom filters answer. */
    private Map<IdKey, byte[]> lookUpIds(List<PendingAppend> group) throws RocksDBException {
        List<byte[]> keys = new ArrayList<>();
        for (PendingAppend pending : group) {
            for (PreparedRequest request : pending.requests()) {
                for (PreparedEvent event : request.events()) {
                    keys.add(event.idKey().bytes());
                }
            }
        }
        List<ColumnFamilyHandle> families = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            families.add(index);
        }
        List<byte[]> found = db.multiGetAsList(families, keys);
        Map<IdKey, byte[]> known = new HashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            if (found.get(i) != null) {
                known.put(new IdKey(keys.get(i)), found.get(i));
            }
        }
        return known;
    }

    /** The stored events of the ids the index knows (durable ones), read from the log in one multi-get. */
    private Map<IdKey, EventEnvelope> storedOriginals(Map<IdKey, byte[]> known) throws RocksDBException {
        if (known.isEmpty()) {
            return Map.of();
        }
        List<IdKey> keys = new ArrayList<>(known.keySet());
        List<byte[]> positions = new ArrayList<>(keys.size());
        List<ColumnFamilyHandle> families = new ArrayList<>(keys.size());
        for (IdKey key : keys) {
            positions.add(RocksDbKeys.position(RocksDbKeys.positionOfLocation(known.get(key))));
            families.add(log);
        }
        List<byte[]> records = db.multiGetAsList(families, positions);
        Map<IdKey, EventEnvelope> originals = new HashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            if (records.get(i) == null) {
                throw new IllegalStateException("the id index points at position "
                        + RocksDbKeys.position(positions.get(i)) + ", which the log does not hold");
            }
            originals.put(keys.get(i), RocksDbKeys.envelopeOf(records.get(i)));
        }
        return originals;
    }

    private AppendResult apply(PreparedRequest prepared, Map<IdKey, byte[]> known, Map<IdKey, EventEnvelope> stored,
            WriteBatchEncoder batch, StreamHead.Updates updates, List<IdKey> newIds) {
        AppendRequest request = prepared.request();
        String streamId = request.streamId();
        StreamHead head = headOf(streamId, prepared.streamBytes());
        long current = head.sequenced;
        List<PreparedEvent> events = prepared.events();
        AppendResult.EventOutcome[] outcomes = new AppendResult.EventOutcome[events.size()];
        List<Integer> fresh = new ArrayList<>();
        // a single event cannot repeat an id of its own request: no map to allocate for it
        Map<IdKey, Integer> firstInRequest = outcomes.length > 1 ? new HashMap<>() : null;
        for (int i = 0; i < outcomes.length; i++) {
            PreparedEvent event = events.get(i);
            InFlight inFlight = inFlightIds.get(event.idKey());
            byte[] location = inFlight != null ? inFlight.location() : known.get(event.idKey());
            if (location != null) {
                EventEnvelope original = inFlight != null ? inFlight.event() : stored.get(event.idKey());
                outcomes[i] = known(event.eventId(), location, original, request.events().get(i));
            } else if (firstInRequest == null || firstInRequest.putIfAbsent(event.idKey(), i) == null) {
                fresh.add(i);
            }
        }
        if (fresh.isEmpty()) {
            return new AppendResult(streamId, false, current, Arrays.asList(outcomes));
        }
        if (!request.expectedVersion().isSatisfiedBy(current)) {
            return AppendResult.conflict(streamId, current);
        }
        if (current == StreamVersions.NONE) {
            batch.put(index, RocksDbKeys.streamMarker(prepared.streamBytes()), NO_VALUE);
        }
        // The request's new events get consecutive versions and positions: one range entry indexes them all.
        long firstVersion = current + 1;
        long firstPosition = nextPosition;
        for (int eventIndex : fresh) {
            PreparedEvent event = events.get(eventIndex);
            long version = ++current;
            long position = nextPosition++;
            byte[] location = RocksDbKeys.eventLocation(version, position);
            event.putLogRecord(batch, log, position, version);
            batch.put(index, event.idKey().bytes(), location);
            inFlightIds.put(event.idKey(), new InFlight(location, request.events().get(eventIndex)));
            newIds.add(event.idKey());
            outcomes[eventIndex] = AppendResult.EventOutcome.appended(event.eventId(), version, position);
        }
        batch.put(index, RocksDbKeys.streamEntry(prepared.streamBytes(), firstVersion),
                RocksDbKeys.range(firstPosition, fresh.size()));
        for (int i = 0; i < outcomes.length; i++) {
            if (outcomes[i] == null) {
                // a repeat of an id earlier in this very request: judged against that first copy
                InFlight first = inFlightIds.get(events.get(i).idKey());
                outcomes[i] = known(events.get(i).eventId(), first.location(), first.event(), request.events().get(i));
            }
        }
        head.sequenced = current;
        updates.add(head, current);
        return new AppendResult(streamId, false, current, Arrays.asList(outcomes));
    }

    private static AppendResult.EventOutcome known(String eventId, byte[] location, EventEnvelope original,
            EventEnvelope incoming) {
        return AppendResult.EventOutcome.known(eventId, EventContent.same(original, incoming),
                RocksDbKeys.versionOfLocation(location), RocksDbKeys.positionOfLocation(location));
    }
}
