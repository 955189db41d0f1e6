package pql.allinone.bench;

import io.grpc.CallCredentials;
import io.grpc.Channel;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import pql.load.CallsInFlight;
import pql.load.GrpcFutures;
import pql.load.IngestStreams;
import pql.load.IngestWorkload;
import pql.load.PacedCalls;
import pql.v1.IngestEventRequest;
import pql.v1.IngestServiceGrpc;

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
     * once, each sending as fast as its call is ready ({@link IngestStreams}); returns the events accepted.
     */
    long streams(IngestWorkload workload, int streams) throws InterruptedException {
        return IngestStreams.send(async, streams, workload.batches(), workload::streamChunk);
    }

    /** IngestEvent at {@code rate} calls per second, open loop ({@link PacedCalls}); the first {@code warmUpCalls} not counted. */
    PacedCalls.Outcome paced(List<IngestEventRequest> requests, int rate, int warmUpCalls) throws InterruptedException {
        return PacedCalls.run(requests.size(), rate, warmUpCalls, i -> GrpcFutures.toCompletable(futures.ingestEvent(requests.get(i))));
    }
}
