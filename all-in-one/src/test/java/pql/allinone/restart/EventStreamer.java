package pql.allinone.restart;

import com.google.protobuf.Timestamp;
import io.grpc.Channel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import pql.gateway.support.RunningGateway;
import pql.v1.Event;
import pql.v1.IngestServiceGrpc;
import pql.v1.IngestStreamRequest;
import pql.v1.IngestStreamResponse;
import pql.v1.ProductAction;

/**
 * A client streaming product actions of known accounts into the gateway's IngestStream (chunks of
 * {@value #CHUNK}, a few in flight, at most one every {@value #PACE_MILLIS} ms: about 10,000 events a
 * second, so the log stays small) on a thread of its own, until it is closed or the server goes away
 * under it: the ingest load a process is killed under.
 */
final class EventStreamer implements AutoCloseable {

    static final int CHUNK = 200;
    private static final int IN_FLIGHT = 4;
    private static final long PACE_MILLIS = 20;
    private static final List<String> ACTIONS = List.of("report_viewed", "dashboard_viewed", "comment_added", "login",
            "report_created", "filter_applied", "teammate_invited", "export_downloaded");

    private final List<String> accountIds;
    private final Instant latest;
    private final String idPrefix;
    private final AtomicLong acknowledged = new AtomicLong();
    private final CountDownLatch ended = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean stopped;

    /**
     * @param latest the newest event time sent (events go back from there, second by second)
     * @param idPrefix makes the event ids of this streamer unique in the log
     */
    EventStreamer(Channel gateway, String key, List<String> accountIds, Instant latest, String idPrefix) {
        this.accountIds = List.copyOf(accountIds);
        this.latest = latest;
        this.idPrefix = idPrefix;
        this.thread = new Thread(() -> run(gateway, key), "restart-test-ingest-" + idPrefix);
        thread.setDaemon(true);
        thread.start();
    }

    private void run(Channel gateway, String key) {
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        AtomicReference<ClientCallStreamObserver<IngestStreamRequest>> requests = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        IngestServiceGrpc.newStub(gateway).withCallCredentials(RunningGateway.bearer(key)).ingestStream(
                new ClientResponseObserver<IngestStreamRequest, IngestStreamResponse>() {
                    @Override
                    public void beforeStart(ClientCallStreamObserver<IngestStreamRequest> stream) {
                        requests.set(stream);
                    }

                    @Override
                    public void onNext(IngestStreamResponse response) {
                        acknowledged.addAndGet(response.getAccepted() + response.getDuplicates());
                        inFlight.release();
                    }

                    @Override
                    public void onError(Throwable error) {
                        failure.set(error);
                        inFlight.release(IN_FLIGHT);
                    }

                    @Override
                    public void onCompleted() {
                        inFlight.release(IN_FLIGHT);
                    }
                });
        try {
            long sequence = 0;
            long sent = 0;
            while (!stopped && failure.get() == null) {
                if (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS) || failure.get() != null) {
                    continue;
                }
                IngestStreamRequest.Builder chunk = IngestStreamRequest.newBuilder().setSequence(++sequence);
                for (int i = 0; i < CHUNK; i++) {
                    chunk.addEvents(event(sent++));
                }
                requests.get().onNext(chunk.build());
                Thread.sleep(PACE_MILLIS);
            }
            if (failure.get() == null) {
                requests.get().onCompleted();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // the server went away under the stream: what this client is for
        } finally {
            ended.countDown();
        }
    }

    private Event event(long number) {
        String accountId = accountIds.get((int) (number * 7919 % accountIds.size()));
        Instant at = latest.minusSeconds(number % 86_400);
        return Event.newBuilder()
                .setEventId(idPrefix + "-" + number)
                .setAccountId(accountId)
                .setOccurredAt(Timestamp.newBuilder().setSeconds(at.getEpochSecond()))
                .setProductAction(ProductAction.newBuilder().setUserId("u-" + accountId + "-1")
                        .setAction(ACTIONS.get((int) (number % ACTIONS.size()))))
                .build();
    }

    /** Events the server acknowledged as durable so far. */
    long acknowledged() {
        return acknowledged.get();
    }

    void awaitAcknowledged(long events, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (acknowledged.get() < events) {
            if (System.nanoTime() > deadline || ended.getCount() == 0) {
                throw new AssertionError("only " + acknowledged.get() + " of " + events + " events acknowledged");
            }
            Thread.sleep(10);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        if (!ended.await(30, TimeUnit.SECONDS)) {
            thread.interrupt();
        }
    }
}
