package pql.eventstore.kurrentdb;

import io.kurrent.dbclient.Position;
import io.kurrent.dbclient.ReadAllOptions;
import io.kurrent.dbclient.ReadMessage;
import io.kurrent.dbclient.ReadStreamOptions;
import io.kurrent.dbclient.RecordedEvent;
import io.kurrent.dbclient.ResolvedEvent;
import io.kurrent.dbclient.StreamNotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * Reads of raw records, one page per call, each bounded by the operation timeout. The client's
 * read streams are consumed through our own subscriber so a read that outlives its timeout is
 * cancelled rather than left running.
 */
final class KurrentReads {

    private final ClientConnection connection;
    private final long timeoutMillis;
    private final boolean retryOnce;

    /**
     * @param retryOnce whether a read that finds the server unreachable is tried once more (see
     *     {@link KurrentFailures#retryingOnce}); false for reads inside a caller that retries itself
     */
    KurrentReads(ClientConnection connection, long timeoutMillis, boolean retryOnce) {
        this.connection = connection;
        this.timeoutMillis = timeoutMillis;
        this.retryOnce = retryOnce;
    }

    /** Records of a stream from {@code fromRevision}, oldest first; empty for a missing stream. */
    List<RecordedEvent> streamForwards(String streamId, long fromRevision, long maxCount) {
        ReadStreamOptions options = ReadStreamOptions.get().forwards().fromRevision(fromRevision).maxCount(maxCount)
                .notResolveLinkTos();
        return originals(collect(() -> connection.client().readStreamReactive(streamId, options), "read stream " + streamId));
    }

    /** The stream's newest record, or null when the stream does not exist. */
    RecordedEvent lastOfStream(String streamId) {
        ReadStreamOptions options = ReadStreamOptions.get().backwards().fromEnd().maxCount(1).notResolveLinkTos();
        List<RecordedEvent> last = originals(collect(() -> connection.client().readStreamReactive(streamId, options),
                "read the version of stream " + streamId));
        return last.isEmpty() ? null : last.get(0);
    }

    /**
     * Records of $all from {@code from} (inclusive; null for the start of the log), in log order.
     *
     * @throws KurrentFailures.InvalidRequestException when {@code from} is not the position of a record
     */
    List<RecordedEvent> allForwards(Position from, long maxCount) {
        ReadAllOptions options = ReadAllOptions.get().forwards().maxCount(maxCount).notResolveLinkTos();
        ReadAllOptions start = from == null ? options.fromStart() : options.fromPosition(from);
        return originals(collect(() -> connection.client().readAllReactive(start), "read $all"));
    }

    /** Records of $all before {@code before} (null for the end of the log), newest first. */
    List<RecordedEvent> allBackwards(Position before, long maxCount) {
        ReadAllOptions options = ReadAllOptions.get().backwards().maxCount(maxCount).notResolveLinkTos();
        ReadAllOptions start = before == null ? options.fromEnd() : options.fromPosition(before);
        return originals(collect(() -> connection.client().readAllReactive(start), "read $all backwards"));
    }

    private static List<RecordedEvent> originals(List<ResolvedEvent> events) {
        List<RecordedEvent> records = new ArrayList<>(events.size());
        for (ResolvedEvent event : events) {
            records.add(event.getOriginalEvent());
        }
        return records;
    }

    private List<ResolvedEvent> collect(Supplier<Publisher<ReadMessage>> read, String action) {
        Supplier<List<ResolvedEvent>> once = () -> {
            Collector collector = new Collector();
            read.get().subscribe(collector);
            try {
                return KurrentFailures.await(collector.result, timeoutMillis, action);
            } catch (StreamNotFoundException missing) {
                return List.of();
            } finally {
                collector.cancel();
            }
        };
        return retryOnce ? KurrentFailures.retryingOnce(once) : once.get();
    }

    /** Gathers one read's events; the client's flow control requests more as they are taken. */
    private static final class Collector implements Subscriber<ReadMessage> {
        final CompletableFuture<List<ResolvedEvent>> result = new CompletableFuture<>();
        private final List<ResolvedEvent> events = new ArrayList<>();
        private volatile Subscription subscription;

        @Override
        public void onSubscribe(Subscription subscription) {
            this.subscription = subscription;
            if (result.isCancelled()) {
                subscription.cancel();
            }
        }

        @Override
        public void onNext(ReadMessage message) {
            if (message.hasEvent()) {
                events.add(message.getEvent());
            }
        }

        @Override
        public void onError(Throwable failure) {
            result.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            result.complete(events);
        }

        /** Stops a read still running (timed out or interrupted); a finished one is left alone. */
        void cancel() {
            if (result.cancel(false)) {
                Subscription current = subscription;
                if (current != null) {
                    current.cancel();
                }
            }
        }
    }
}
