package pql.cli;

import com.google.rpc.BadRequest;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import pql.common.grpc.GrpcErrors;
import pql.v1.Event;
import pql.v1.EventResult;
import pql.v1.IngestBatchRequest;
import pql.v1.IngestBatchResponse;
import pql.v1.IngestServiceGrpc;
import pql.v1.IngestStreamRequest;
import pql.v1.IngestStreamResponse;

/**
 * Sends events through IngestStream in chunks, a bounded number in flight (the server answers
 * each chunk once it is durable, so this also bounds what is unacknowledged), and tallies the
 * answers: accepted, duplicates, and rejections grouped by reason with the input lines.
 */
final class IngestStreamer {

    /** The API's limits per chunk: 2,000 events and 1 MiB (with room for framing). */
    static final int MAX_CHUNK_EVENTS = 2000;
    static final int MAX_CHUNK_BYTES = 1024 * 1024 - 16 * 1024;

    private final IngestServiceGrpc.IngestServiceStub stub;
    private final int chunkEvents;
    private final int maxInFlight;

    final AtomicLong sent = new AtomicLong();
    final AtomicLong accepted = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();
    final AtomicLong rejected = new AtomicLong();
    /** --dry-run: events the gateway found valid (nothing stored). */
    final AtomicLong valid = new AtomicLong();
    final AtomicLong unreadable = new AtomicLong();
    /** Chunk acknowledgement latencies in nanoseconds, for the benchmark. */
    final List<Long> chunkLatencies = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Reason> reasons = new ConcurrentHashMap<>();

    /** One reason of rejection, how often, and the first input lines it happened on. */
    static final class Reason {
        final AtomicLong count = new AtomicLong();
        final List<Long> lines = java.util.Collections.synchronizedList(new ArrayList<>());

        void add(long line) {
            count.incrementAndGet();
            if (lines.size() < 5) {
                lines.add(line);
            }
        }
    }

    IngestStreamer(IngestServiceGrpc.IngestServiceStub stub, int chunkEvents, int maxInFlight) {
        this.stub = stub;
        this.chunkEvents = Math.max(1, Math.min(chunkEvents, MAX_CHUNK_EVENTS));
        this.maxInFlight = Math.max(1, maxInFlight);
    }

    /** Reads everything, sends it, waits for every answer. Throws the stream's error if it failed. */
    void run(EventReader reader) throws IOException, InterruptedException {
        Semaphore inFlight = new Semaphore(maxInFlight);
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Map<Long, long[]> linesBySequence = new ConcurrentHashMap<>();
        Map<Long, Long> sentAt = new ConcurrentHashMap<>();
        AtomicReference<ClientCallStreamObserver<IngestStreamRequest>> requests = new AtomicReference<>();

        stub.ingestStream(new ClientResponseObserver<IngestStreamRequest, IngestStreamResponse>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<IngestStreamRequest> stream) {
                requests.set(stream);
            }

            @Override
            public void onNext(IngestStreamResponse response) {
                Long started = sentAt.remove(response.getSequence());
                if (started != null) {
                    chunkLatencies.add(System.nanoTime() - started);
                }
                tally(response.getResultsList(), linesBySequence.remove(response.getSequence()));
                inFlight.release();
            }

            @Override
            public void onError(Throwable error) {
                failure.set(error);
                inFlight.release(maxInFlight);
                done.countDown();
            }

            @Override
            public void onCompleted() {
                done.countDown();
            }
        });

        long sequence = 0;
        List<Event> chunk = new ArrayList<>();
        List<Long> chunkLines = new ArrayList<>();
        int chunkBytes = 0;
        EventLine next;
        while ((next = reader.next()) != null && failure.get() == null) {
            if (!next.isOk()) {
                unreadable.incrementAndGet();
                reason("unreadable: " + next.error()).add(next.line());
                continue;
            }
            int size = next.event().getSerializedSize() + 8;
            if (full(chunk, chunkBytes, size)) {
                send(++sequence, chunk, chunkLines, inFlight, failure, requests.get(), linesBySequence, sentAt);
                chunk = new ArrayList<>();
                chunkLines = new ArrayList<>();
                chunkBytes = 0;
            }
            chunk.add(next.event());
            chunkLines.add(next.line());
            chunkBytes += size;
        }
        if (!chunk.isEmpty() && failure.get() == null) {
            send(++sequence, chunk, chunkLines, inFlight, failure, requests.get(), linesBySequence, sentAt);
        }
        // Every answer in before closing our side.
        while (failure.get() == null && !inFlight.tryAcquire(maxInFlight, 100, TimeUnit.MILLISECONDS)) {
            // waiting for the last acknowledgements
        }
        if (failure.get() == null) {
            requests.get().onCompleted();
        }
        done.await();
        Throwable error = failure.get();
        if (error != null) {
            throw Status.fromThrowable(error).asRuntimeException(Status.trailersFromThrowable(error));
        }
    }

    /**
     * A dry run: the same chunks through IngestBatch with validate_only, one after the other; the
     * answers are VALID or REJECTED and nothing is stored. {@code batches} gives a stub per call
     * (its deadline counts from then).
     */
    void dryRun(EventReader reader, Supplier<IngestServiceGrpc.IngestServiceBlockingStub> batches) throws IOException {
        List<Event> chunk = new ArrayList<>();
        List<Long> chunkLines = new ArrayList<>();
        int chunkBytes = 0;
        EventLine next;
        while ((next = reader.next()) != null) {
            if (!next.isOk()) {
                unreadable.incrementAndGet();
                reason("unreadable: " + next.error()).add(next.line());
                continue;
            }
            int size = next.event().getSerializedSize() + 8;
            if (full(chunk, chunkBytes, size)) {
                validate(batches.get(), chunk, chunkLines);
                chunk = new ArrayList<>();
                chunkLines = new ArrayList<>();
                chunkBytes = 0;
            }
            chunk.add(next.event());
            chunkLines.add(next.line());
            chunkBytes += size;
        }
        if (!chunk.isEmpty()) {
            validate(batches.get(), chunk, chunkLines);
        }
    }

    private void validate(IngestServiceGrpc.IngestServiceBlockingStub stub, List<Event> events, List<Long> lines) {
        sent.addAndGet(events.size());
        IngestBatchResponse response = stub.ingestBatch(IngestBatchRequest.newBuilder().addAllEvents(events).setValidateOnly(true).build());
        tally(response.getResultsList(), lines.stream().mapToLong(Long::longValue).toArray());
        if (response.getAccepted() + response.getDuplicates() > 0) {
            // a server older than validate_only ignores it: stop before more is stored
            throw new IllegalStateException("the gateway ignored the dry run and stored " + (response.getAccepted() + response.getDuplicates())
                    + " events: it does not support validate_only (update the ingest service)");
        }
    }

    /** Whether an event of {@code size} bytes would take the chunk over the API's limits or --chunk. */
    private boolean full(List<Event> chunk, int chunkBytes, int size) {
        return !chunk.isEmpty() && (chunk.size() >= chunkEvents || chunkBytes + size > MAX_CHUNK_BYTES);
    }

    /** Counts the answers of one chunk; rejections by reason with their input lines. */
    private void tally(List<EventResult> results, long[] lines) {
        for (EventResult result : results) {
            switch (result.getStatus()) {
                case STATUS_ACCEPTED -> accepted.incrementAndGet();
                case STATUS_DUPLICATE -> duplicates.incrementAndGet();
                case STATUS_VALID -> valid.incrementAndGet();
                default -> {
                    rejected.incrementAndGet();
                    long line = lines != null && result.getIndex() < lines.length ? lines[result.getIndex()] : -1;
                    reason(describe(result.getError())).add(line);
                }
            }
        }
    }

    private void send(long sequence, List<Event> events, List<Long> lines, Semaphore inFlight, AtomicReference<Throwable> failure,
            ClientCallStreamObserver<IngestStreamRequest> requests, Map<Long, long[]> linesBySequence, Map<Long, Long> sentAt)
            throws InterruptedException {
        while (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
            if (failure.get() != null) {
                return;
            }
        }
        if (failure.get() != null) {
            return;
        }
        linesBySequence.put(sequence, lines.stream().mapToLong(Long::longValue).toArray());
        sentAt.put(sequence, System.nanoTime());
        requests.onNext(IngestStreamRequest.newBuilder().setSequence(sequence).addAllEvents(events).build());
        sent.addAndGet(events.size());
    }

    private Reason reason(String text) {
        return reasons.computeIfAbsent(text, key -> new Reason());
    }

    private static String describe(com.google.rpc.Status error) {
        BadRequest badRequest = GrpcErrors.badRequestOf(error).orElse(null);
        if (badRequest != null && badRequest.getFieldViolationsCount() > 0) {
            StringBuilder text = new StringBuilder();
            for (BadRequest.FieldViolation violation : badRequest.getFieldViolationsList()) {
                if (text.length() > 0) {
                    text.append("; ");
                }
                text.append(violation.getField()).append(": ").append(violation.getDescription());
            }
            return text.toString();
        }
        return Status.fromCodeValue(error.getCode()).getCode() + ": " + error.getMessage();
    }

    /** Reasons, most frequent first. */
    Map<String, Reason> reasons() {
        Map<String, Reason> sorted = new LinkedHashMap<>();
        reasons.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue().count.get(), a.getValue().count.get()))
                .forEach(entry -> sorted.put(entry.getKey(), entry.getValue()));
        return sorted;
    }
}
