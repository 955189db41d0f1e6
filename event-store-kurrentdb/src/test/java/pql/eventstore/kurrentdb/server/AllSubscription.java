package pql.eventstore.kurrentdb.server;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.kurrent.dbclient.proto.streams.StreamsOuterClass.ReadResp;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One catch-up subscription to $all, as Enumerator.AllSubscription runs it: the events after the
 * checkpoint (exclusive) from the log, a CaughtUp message when it reaches the end, then each new
 * event as it is appended. A thread of its own sends them, only while the client's transport is
 * ready for more (gRPC flow control), so a slow client holds the server back, never its memory.
 */
final class AllSubscription {

    private static final int BATCH = 64;

    private final TransactionLog log;
    private final ServerCallStreamObserver<ReadResp> responses;
    private final boolean structuredIds;
    private final Consumer<AllSubscription> onEnd;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ready = lock.newCondition();
    private final Thread sender;
    private long checkpoint;
    private volatile boolean running = true;
    private volatile boolean cancelled;
    private volatile Status endStatus;

    AllSubscription(TransactionLog log, ServerCallStreamObserver<ReadResp> responses, long checkpoint, boolean structuredIds,
            String id, Consumer<AllSubscription> onEnd) {
        this.log = log;
        this.responses = responses;
        this.checkpoint = checkpoint;
        this.structuredIds = structuredIds;
        this.onEnd = onEnd;
        this.sender = new Thread(this::send, "in-process-kurrentdb-subscription-" + id);
        this.sender.setDaemon(true);
        responses.setOnCancelHandler(() -> {
            cancelled = true;
            running = false;
            signalReady();
        });
        responses.setOnReadyHandler(this::signalReady);
    }

    void start() {
        sender.start();
    }

    /**
     * Ends the subscription with {@code status}, sent by the sender thread (a call's messages
     * must not be sent from two threads), and waits for it to go.
     */
    void end(Status status) {
        endStatus = status;
        running = false;
        signalReady();
        try {
            sender.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void signalReady() {
        lock.lock();
        try {
            ready.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void send() {
        boolean live = false;
        try {
            while (running) {
                List<LogRecord> batch = log.readAfter(checkpoint, BATCH, live ? 200 : 0);
                if (batch.isEmpty()) {
                    if (!live) {
                        awaitReady();
                        responses.onNext(StreamsService.caughtUp(checkpoint));
                        live = true;
                    }
                    continue;
                }
                for (LogRecord record : batch) {
                    if (!awaitReady()) {
                        return;
                    }
                    responses.onNext(StreamsService.event(record, structuredIds));
                    checkpoint = record.position();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException callGone) {
            // the call ended under us (the client went away): nothing left to tell anyone
            cancelled = true;
        } finally {
            if (endStatus != null && !cancelled) {
                try {
                    responses.onError(endStatus.asRuntimeException());
                } catch (RuntimeException callGone) {
                    // cancelled meanwhile
                }
            }
            onEnd.accept(this);
        }
    }

    /** Waits while the transport is not ready; false when the subscription ends meanwhile. */
    private boolean awaitReady() throws InterruptedException {
        lock.lock();
        try {
            while (running && !responses.isReady()) {
                ready.await(100, TimeUnit.MILLISECONDS);
            }
            return running;
        } finally {
            lock.unlock();
        }
    }
}
