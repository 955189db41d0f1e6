package pql.load;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import pql.v1.Event;
import pql.v1.IngestBatchRequest;
import pql.v1.IngestEventRequest;
import pql.v1.IngestStreamRequest;

/**
 * The events of one measurement of the ingest benchmarks (ingest-service's and the gateway's): product actions
 * (the bulk of real traffic) in batches where each account of 100,000 drawn gets
 * {@code perAccount} consecutive events (10 by default: a batch of 500 touches 50 accounts, as a
 * client buffering its active accounts would; 1 makes every event its own store stream, the
 * store's worst case).
 *
 * <p>Each batch can be built when it is sent, from a seed of its own, as a real client builds its
 * requests (the gateway benchmark does; ingest-service's builds them all first, because its
 * baseline appends the very same events straight to the store): a whole measurement built in advance would be hundreds of megabytes that the
 * collector copies while the clock runs (or a full collection before it, after which the JVM
 * shrinks its heap) — either way the figures would be the benchmark's, not the server's. Building
 * costs the load generator about a microsecond per event, reported in its own column.
 */
public final class IngestWorkload {

    private final String tag;
    private final int events;
    private final int batchSize;
    private final int perAccount;
    private final long nowSeconds = Instant.now().getEpochSecond();

    /** @param tag makes the event ids of this measurement unique */
    public IngestWorkload(String tag, int events, int batchSize, int perAccount) {
        this.tag = tag;
        this.events = events;
        this.batchSize = batchSize;
        this.perAccount = Math.max(1, perAccount);
    }

    public int events() {
        return events;
    }

    public int batches() {
        return (events + batchSize - 1) / batchSize;
    }

    /** Batch {@code index} (0-based); the same events each time it is asked for. */
    public List<Event> batch(int index) {
        SplittableRandom random = new SplittableRandom(tag.hashCode() * 1_000_003L + index);
        int size = Math.min(batchSize, events - index * batchSize);
        long firstEvent = (long) index * batchSize;
        List<Event> batch = new ArrayList<>(size);
        while (batch.size() < size) {
            String account = "acct-" + random.nextInt(100_000);
            for (int i = 0; i < perAccount && batch.size() < size; i++) {
                batch.add(SyntheticProductActions.event(random, tag + "-" + (firstEvent + batch.size()), account, nowSeconds));
            }
        }
        return batch;
    }

    public IngestBatchRequest batchRequest(int index) {
        return IngestBatchRequest.newBuilder().addAllEvents(batch(index)).build();
    }

    public IngestStreamRequest streamChunk(int index, long sequence) {
        return IngestStreamRequest.newBuilder().setSequence(sequence).addAllEvents(batch(index)).build();
    }

    /** Single events for paced calls: batch after batch, one event per call. */
    public List<IngestEventRequest> eventRequests() {
        List<IngestEventRequest> requests = new ArrayList<>(events);
        for (int b = 0; b < batches(); b++) {
            batch(b).forEach(event -> requests.add(IngestEventRequest.newBuilder().setEvent(event).build()));
        }
        return requests;
    }
}
