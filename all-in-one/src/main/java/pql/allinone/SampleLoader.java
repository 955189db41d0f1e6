package pql.allinone;

import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import pql.v1.Event;
import pql.v1.IngestServiceGrpc;
import pql.v1.IngestStreamRequest;
import pql.v1.IngestStreamResponse;

/**
 * Sends the sample through the gateway's IngestService (IngestStream, chunks of 1,000, a few in
 * flight), so the sample takes the callers' path: auth, proxy, validation, durable append.
 */
public final class SampleLoader {

    public record Result(long accepted, long duplicates, long rejected, double seconds) {
    }

    private SampleLoader() {
    }

    static Result load(Channel gateway, io.grpc.CallCredentials credentials, List<Event> events) throws InterruptedException {
        int chunkSize = 1000;
        int maxInFlight = 8;
        Semaphore inFlight = new Semaphore(maxInFlight);
        AtomicLong accepted = new AtomicLong();
        AtomicLong duplicates = new AtomicLong();
        AtomicLong rejected = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<ClientCallStreamObserver<IngestStreamRequest>> requests = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        long started = System.nanoTime();
        IngestServiceGrpc.newStub(gateway).withCallCredentials(credentials).ingestStream(
                new ClientResponseObserver<IngestStreamRequest, IngestStreamResponse>() {
                    @Override
                    public void beforeStart(ClientCallStreamObserver<IngestStreamRequest> stream) {
                        requests.set(stream);
                    }

                    @Override
                    public void onNext(IngestStreamResponse response) {
                        accepted.addAndGet(response.getAccepted());
                        duplicates.addAndGet(response.getDuplicates());
                        rejected.addAndGet(response.getRejected());
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
        for (int from = 0; from < events.size() && failure.get() == null; from += chunkSize) {
            inFlight.acquire();
            if (failure.get() != null) {
                break;
            }
            requests.get().onNext(IngestStreamRequest.newBuilder().setSequence(++sequence)
                    .addAllEvents(events.subList(from, Math.min(events.size(), from + chunkSize))).build());
        }
        while (failure.get() == null && !inFlight.tryAcquire(maxInFlight, 100, TimeUnit.MILLISECONDS)) {
            // the last acknowledgements
        }
        if (failure.get() == null) {
            requests.get().onCompleted();
        }
        done.await();
        if (failure.get() != null) {
            throw Status.fromThrowable(failure.get()).withDescription("loading the sample failed: "
                    + Status.fromThrowable(failure.get()).getDescription()).asRuntimeException();
        }
        return new Result(accepted.get(), duplicates.get(), rejected.get(), (System.nanoTime() - started) / 1e9);
    }
}
