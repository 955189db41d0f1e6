package pql.allinone.bench;

import io.grpc.CallCredentials;
import io.grpc.Channel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import pql.load.CallsInFlight;
import pql.load.GrpcFutures;
import pql.load.PacedCalls;
import pql.v1.IngestEventRequest;
import pql.v1.IngestServiceGrpc;
import pql.v1.IngestStreamRequest;
import pql.v1.IngestStreamResponse;

/**
 * The client side of a measurement: the three IngestService calls against one channel, every
 * answer checked (each event ACCEPTED), so a fast wrong answer cannot pass for a fast one.
 */
final class IngestLoad {

    private final IngestServiceGrpc.IngestServiceStub async;
    private final IngestServiceGrpc.IngestServiceFutureStub futures;

    /** @param credentials the caller's API key for the gateway; null straight to the service */
    IngestLoad(Channel channel, CallCredentials credentials) {
        IngestServiceGrpc.IngestServiceStub async = IngestServiceGrpc.newStub(channel);
        IngestServiceGrpc.IngestServiceFutureStub futures = IngestServiceGrpc.newFutureStub(channel);
        this.async = credentials == null ? async : async.withCallCredentials(credentials);
        this.futures = credentials == null ? futures : futures.withCallCredentials(credentials);
    }

    /** Every batch of the workload as an IngestBatch call, {@code inFlight} at a time; returns the events accepted. */
    long batches(IngestWorkload workload, int inFlight) throws InterruptedException {
        AtomicLong accepted = new AtomicLong();
        Throwable failure = CallsInFlight.run(workload.batches(), inFlight,
                b -> GrpcFutures.toCompletable(futures.ingestBatch(workload.batchRequest(b))).thenAccept(r -> accepted.addAndGet(r.getAccepted())));
        if (failure != null) {
            throw new IllegalStateException("IngestBatch failed", failure);
        }
        return accepted.get();
    }

    /**
     * The workload's batches dealt round-robin over {@code streams} IngestStream calls, all at
     * once, each sending as fast as its call is ready; returns the events accepted.
     */
    long streams(IngestWorkload workload, int streams) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(streams);
        AtomicLong accepted = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int s = 0; s < streams; s++) {
            async.ingestStream(new FlowControlledStream(workload, s, streams, accepted, done, failure));
        }
        if (!done.await(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the streams did not finish");
        }
        if (failure.get() != null) {
            throw new IllegalStateException("IngestStream failed", failure.get());
        }
        return accepted.get();
    }

    /** Sends chunks while the call is ready, i.e. as fast as the far side reads them. */
    private static final class FlowControlledStream implements ClientResponseObserver<IngestStreamRequest, IngestStreamResponse> {
        private final IngestWorkload workload;
        private final int stride;
        private final AtomicLong accepted;
        private final CountDownLatch done;
        private final AtomicReference<Throwable> failure;
        private ClientCallStreamObserver<IngestStreamRequest> requests;
        private int next;
        private long sequence;
        private boolean completed;

        /** Sends batches {@code first}, {@code first + stride}, ... of the workload. */
        FlowControlledStream(IngestWorkload workload, int first, int stride, AtomicLong accepted, CountDownLatch done,
                AtomicReference<Throwable> failure) {
            this.workload = workload;
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
            while (next < workload.batches() && requests.isReady()) {
                requests.onNext(workload.streamChunk(next, ++sequence));
                next += stride;
            }
            if (next >= workload.batches() && !completed) {
                completed = true;
                requests.onCompleted();
            }
        }

        @Override
        public void onNext(IngestStreamResponse response) {
            accepted.addAndGet(response.getAccepted());
        }

        @Override
        public void onError(Throwable error) {
            failure.set(error);
            done.countDown();
        }

        @Override
        public void onCompleted() {
            done.countDown();
        }
    }

    /** IngestEvent at {@code rate} calls per second, open loop ({@link PacedCalls}); the first {@code warmUpCalls} not counted. */
    PacedCalls.Outcome paced(List<IngestEventRequest> requests, int rate, int warmUpCalls) throws InterruptedException {
        return PacedCalls.run(requests.size(), rate, warmUpCalls, i -> GrpcFutures.toCompletable(futures.ingestEvent(requests.get(i))));
    }
}
