package pql.load;

import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import pql.v1.EventResult;
import pql.v1.IngestServiceGrpc;
import pql.v1.IngestStreamRequest;
import pql.v1.IngestStreamResponse;

/**
 * Load through IngestStream, flow-controlled: chunks 0 to {@code chunks - 1} dealt round-robin
 * over a number of concurrent streams, each sending while its call is ready, i.e. as fast as the
 * far side reads them (no window of its own: the transport's flow control is the limit).
 */
public final class IngestStreams {

    /** The chunk of index {@code index} (over the whole load), sent as the stream's {@code sequence}-th (from 1). */
    @FunctionalInterface
    public interface Chunks {
        IngestStreamRequest chunk(int index, long sequence);
    }

    private IngestStreams() {
    }

    /**
     * Sends every chunk and waits (at most ten minutes) for every stream to end; returns the events
     * accepted. Throws if a stream failed or the server rejected an event.
     */
    public static long send(IngestServiceGrpc.IngestServiceStub stub, int streams, int chunks, Chunks source)
            throws InterruptedException {
        CountDownLatch done = new CountDownLatch(streams);
        AtomicLong accepted = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int s = 0; s < streams; s++) {
            stub.ingestStream(new FlowControlledStream(source, chunks, s, streams, accepted, done, failure));
        }
        if (!done.await(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the streams did not finish");
        }
        if (failure.get() != null) {
            throw new IllegalStateException("IngestStream failed", failure.get());
        }
        return accepted.get();
    }

    /** One stream: chunks {@code first}, {@code first + stride}, ... while the call is ready. */
    private static final class FlowControlledStream implements ClientResponseObserver<IngestStreamRequest, IngestStreamResponse> {
        private final Chunks source;
        private final int chunks;
        private final int stride;
        private final AtomicLong accepted;
        private final CountDownLatch done;
        private final AtomicReference<Throwable> failure;
        private ClientCallStreamObserver<IngestStreamRequest> requests;
        private int next;
        private long sequence;
        private boolean completed;

        FlowControlledStream(Chunks source, int chunks, int first, int stride, AtomicLong accepted, CountDownLatch done,
                AtomicReference<Throwable> failure) {
            this.source = source;
            this.chunks = chunks;
            this.next = first;
            this.stride = stride;
            this.accepted = accepted;
            this.done = done;
            this.failure = failure;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<IngestStreamRequest> stream) {
            requests = stream;
            stream.setOnReadyHandler(this::send);
        }

        private synchronized void send() {
            while (next < chunks && requests.isReady()) {
                requests.onNext(source.chunk(next, ++sequence));
                next += stride;
            }
            if (next >= chunks && !completed) {
                completed = true;
                requests.onCompleted();
            }
        }

        @Override
        public void onNext(IngestStreamResponse response) {
            accepted.addAndGet(response.getAccepted());
            if (response.getRejected() > 0) {
                failure.compareAndSet(null, new IllegalStateException("rejected " + response.getResultsList().stream()
                        .filter(result -> result.getStatus() == EventResult.Status.STATUS_REJECTED).findFirst().orElseThrow()));
            }
        }

        @Override
        public void onError(Throwable error) {
            failure.compareAndSet(null, error);
            done.countDown();
        }

        @Override
        public void onCompleted() {
            done.countDown();
        }
    }
}
