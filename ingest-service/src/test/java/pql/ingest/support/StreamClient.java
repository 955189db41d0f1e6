package pql.ingest.support;

import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import pql.v1.IngestServiceGrpc;
import pql.v1.IngestStreamRequest;
import pql.v1.IngestStreamResponse;

/**
 * A well-behaved IngestStream client: sends its chunks only while the call is ready (so it goes
 * exactly as fast as the server reads), half-closes after the last, and records every answer.
 */
public final class StreamClient implements ClientResponseObserver<IngestStreamRequest, IngestStreamResponse> {

    private final List<IngestStreamRequest> chunks;
    private final Consumer<IngestStreamResponse> onResponse;
    private final List<IngestStreamResponse> responses = new ArrayList<>();
    private final CompletableFuture<Status> finished = new CompletableFuture<>();
    private ClientCallStreamObserver<IngestStreamRequest> requests;
    private int sent;
    private boolean halfClosed;

    public StreamClient(List<IngestStreamRequest> chunks, Consumer<IngestStreamResponse> onResponse) {
        this.chunks = List.copyOf(chunks);
        this.onResponse = onResponse;
    }

    public static StreamClient run(IngestServiceGrpc.IngestServiceStub stub, List<IngestStreamRequest> chunks) {
        return run(stub, chunks, response -> { });
    }

    public static StreamClient run(IngestServiceGrpc.IngestServiceStub stub, List<IngestStreamRequest> chunks,
            Consumer<IngestStreamResponse> onResponse) {
        StreamClient client = new StreamClient(chunks, onResponse);
        stub.ingestStream(client);
        return client;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<IngestStreamRequest> requestStream) {
        this.requests = requestStream;
        requestStream.setOnReadyHandler(this::sendWhileReady);
    }

    private synchronized void sendWhileReady() {
        while (requests.isReady() && sent < chunks.size()) {
            requests.onNext(chunks.get(sent++));
        }
        if (sent == chunks.size() && !halfClosed) {
            halfClosed = true;
            requests.onCompleted();
        }
    }

    @Override
    public void onNext(IngestStreamResponse response) {
        synchronized (this) {
            responses.add(response);
        }
        onResponse.accept(response);
    }

    @Override
    public void onError(Throwable error) {
        this.error = error;
        finished.complete(Status.fromThrowable(error));
    }

    /** The error the call ended with (its trailers carry the details), null when it did not fail. */
    public Throwable error() {
        return error;
    }

    @Override
    public void onCompleted() {
        finished.complete(Status.OK);
    }

    /** The call's final status. */
    public Status awaitEnd() throws Exception {
        return finished.get(60, TimeUnit.SECONDS);
    }

    public boolean isFinished() {
        return finished.isDone();
    }

    public synchronized List<IngestStreamResponse> responses() {
        return List.copyOf(responses);
    }

    public synchronized int sent() {
        return sent;
    }

    private volatile Throwable error;

    public void cancel() {
        requests.cancel("test cancels", null);
    }
}
