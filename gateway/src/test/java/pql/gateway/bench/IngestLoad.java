package pql.gateway.bench;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.CallCredentials;
import io.grpc.Channel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import pql.v1.IngestBatchRequest;
import pql.v1.IngestBatchResponse;
import pql.v1.IngestEventRequest;
import pql.v1.IngestEventResponse;
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
        Semaphore slots = new Semaphore(inFlight);
        AtomicLong accepted = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int b = 0; b < workload.batches(); b++) {
            IngestBatchRequest request = workload.batchRequest(b);
            slots.acquire();
            if (failure.get() != null) {
                break;
            }
            Futures.addCallback(futures.ingestBatch(request), new FutureCallback<IngestBatchResponse>() {
                @Override
                public void onSuccess(IngestBatchResponse response) {
                    accepted.addAndGet(response.getAccepted());
                    slots.release();
                }

                @Override
                public void onFailure(Throwable error) {
                    failure.set(error);
                    slots.release();
                }
            }, MoreExecutors.directExecutor());
        }
        slots.acquire(inFlight);
        if (failure.get() != null) {
            throw new IllegalStateException("IngestBatch failed", failure.get());
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

    /** Latencies of single-event calls at a fixed arrival rate, in nanoseconds, sorted. */
    record Latencies(long[] sortedNanos, double achievedPerSecond, int failures) {
        double millis(double quantile) {
            return sortedNanos[Math.min(sortedNanos.length - 1, (int) Math.ceil(quantile * sortedNanos.length) - 1)] / 1e6;
        }

        double maxMillis() {
            return sortedNanos[sortedNanos.length - 1] / 1e6;
        }
    }

    /**
     * IngestEvent at {@code rate} calls per second (open loop): call i is due at start + i / rate
     * and its latency counts from when it was due, so a stall also charges the calls queued behind
     * it. The first {@code warmUpCalls} are not counted.
     */
    Latencies paced(List<IngestEventRequest> requests, int rate, int warmUpCalls) throws InterruptedException {
        int calls = requests.size() - warmUpCalls;
        long[] latencies = new long[calls];
        AtomicInteger failures = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(requests.size());
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime();
        for (int i = 0; i < requests.size(); i++) {
            long due = start + i * interval;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            int measured = i - warmUpCalls;
            Futures.addCallback(futures.ingestEvent(requests.get(i)), new FutureCallback<IngestEventResponse>() {
                @Override
                public void onSuccess(IngestEventResponse response) {
                    if (measured >= 0) {
                        latencies[measured] = System.nanoTime() - due;
                    }
                    done.countDown();
                }

                @Override
                public void onFailure(Throwable error) {
                    failures.incrementAndGet();
                    done.countDown();
                }
            }, MoreExecutors.directExecutor());
        }
        if (!done.await(2, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the paced calls did not finish");
        }
        double measuredSeconds = (System.nanoTime() - start) / 1e9 - warmUpCalls / (double) rate;
        Arrays.sort(latencies);
        return new Latencies(latencies, calls / measuredSeconds, failures.get());
    }
}
