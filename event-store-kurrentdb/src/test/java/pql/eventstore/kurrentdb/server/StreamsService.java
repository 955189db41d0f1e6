package pql.eventstore.kurrentdb.server;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.kurrent.dbclient.proto.shared.Shared;
import io.kurrent.dbclient.proto.streams.StreamsGrpc;
import io.kurrent.dbclient.proto.streams.StreamsOuterClass.AppendReq;
import io.kurrent.dbclient.proto.streams.StreamsOuterClass.AppendResp;
import io.kurrent.dbclient.proto.streams.StreamsOuterClass.ReadReq;
import io.kurrent.dbclient.proto.streams.StreamsOuterClass.ReadResp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * KurrentDB's Streams service (event_store.client.streams.Streams) as the server behaves:
 * appends with expected revisions, reads of a stream or of $all in both directions, and catch-up
 * subscriptions to $all. What the real server does that this one does not (filtered reads and
 * subscriptions, stream subscriptions, deletes, batch appends, ACLs, link resolution) answers
 * UNIMPLEMENTED, so a client relying on it fails loudly.
 */
final class StreamsService extends StreamsGrpc.StreamsImplBase {

    private static final Metadata.Key<String> EXCEPTION = Metadata.Key.of("exception", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> REQUIRED_PROPERTIES =
            Metadata.Key.of("required-metadata-properties", Metadata.ASCII_STRING_MARSHALLER);

    private final TransactionLog log;
    private final Set<AllSubscription> subscriptions = ConcurrentHashMap.newKeySet();

    StreamsService(TransactionLog log) {
        this.log = log;
    }

    /**
     * Ends every live subscription as a node going down does: KurrentDB's subscriptions end with
     * "Server Is Not Ready" (UNAVAILABLE) when the node stops serving, and a crashed node's
     * connections reset, which clients also see as UNAVAILABLE. (Stopping the gRPC server alone
     * would cancel the calls instead, which the official client ignores without a word.)
     */
    void endSubscriptions() {
        for (AllSubscription subscription : List.copyOf(subscriptions)) {
            subscription.end(Status.UNAVAILABLE.withDescription("Server Is Not Ready"));
        }
        subscriptions.clear();
    }

    /**
     * Ends every live subscription with CANCELLED, as a proxy or load balancer cutting the calls
     * would; the official client 1.1.0 does not tell its listener about it.
     */
    void cancelSubscriptions() {
        for (AllSubscription subscription : List.copyOf(subscriptions)) {
            subscription.end(Status.CANCELLED.withDescription("cancelled by a proxy"));
        }
    }

    @Override
    public StreamObserver<AppendReq> append(StreamObserver<AppendResp> responses) {
        return new StreamObserver<>() {
            private AppendReq.Options options;
            private final List<TransactionLog.Proposed> events = new ArrayList<>();
            private boolean failed;

            @Override
            public void onNext(AppendReq request) {
                if (failed) {
                    return;
                }
                if (options == null) {
                    if (!request.hasOptions()) {
                        fail(Status.INVALID_ARGUMENT.withDescription("the first message of an append must be its options"), null);
                        return;
                    }
                    options = request.getOptions();
                    return;
                }
                if (!request.hasProposedMessage()) {
                    fail(Status.INVALID_ARGUMENT.withDescription("an append takes its options once"), null);
                    return;
                }
                AppendReq.ProposedMessage message = request.getProposedMessage();
                String type = message.getMetadataMap().get("type");
                String contentType = message.getMetadataMap().get("content-type");
                if (type == null || contentType == null) {
                    Metadata trailers = new Metadata();
                    trailers.put(EXCEPTION, "missing-required-metadata-property");
                    trailers.put(REQUIRED_PROPERTIES, "type,content-type");
                    fail(Status.INVALID_ARGUMENT.withDescription("Required Metadata Property '"
                            + (type == null ? "type" : "content-type") + "' is missing"), trailers);
                    return;
                }
                events.add(new TransactionLog.Proposed(uuid(message.getId()), type, "application/json".equals(contentType),
                        message.getData().toByteArray(), message.getCustomMetadata().toByteArray()));
            }

            private void fail(Status status, Metadata trailers) {
                failed = true;
                responses.onError(status.asRuntimeException(trailers));
            }

            @Override
            public void onError(Throwable cancelled) {
                failed = true;
            }

            @Override
            public void onCompleted() {
                if (failed) {
                    return;
                }
                if (options == null) {
                    responses.onError(Status.INVALID_ARGUMENT.withDescription("an append needs its options").asRuntimeException());
                    return;
                }
                String streamId = options.getStreamIdentifier().getStreamName().toStringUtf8();
                long expected = switch (options.getExpectedStreamRevisionCase()) {
                    case REVISION -> options.getRevision();
                    case NO_STREAM -> TransactionLog.NO_STREAM;
                    case ANY -> TransactionLog.ANY;
                    case STREAM_EXISTS -> TransactionLog.STREAM_EXISTS;
                    case EXPECTEDSTREAMREVISION_NOT_SET -> Long.MIN_VALUE;
                };
                if (expected == Long.MIN_VALUE) {
                    responses.onError(Status.INVALID_ARGUMENT.withDescription(
                            "'None' is not a valid EventStore.Client.Streams.AppendReq+Types+Options+ExpectedStreamRevisionOneofCase")
                            .asRuntimeException());
                    return;
                }
                responses.onNext(answer(options, log.append(streamId, expected, events)));
                responses.onCompleted();
            }
        };
    }

    /** The answer as Streams.Append.cs builds it, including the fields of servers before 20.6. */
    private static AppendResp answer(AppendReq.Options options, TransactionLog.AppendOutcome outcome) {
        Shared.Empty empty = Shared.Empty.getDefaultInstance();
        if (outcome instanceof TransactionLog.AppendOutcome.Written written) {
            AppendResp.Success.Builder success = AppendResp.Success.newBuilder();
            if (written.lastRevision() == TransactionLog.NO_STREAM) {
                success.setNoStream(empty);
            } else {
                success.setCurrentRevision(written.lastRevision());
            }
            if (written.lastPosition() < 0) {
                success.setNoPosition(empty);
            } else {
                success.setPosition(AppendResp.Position.newBuilder()
                        .setCommitPosition(written.lastPosition())
                        .setPreparePosition(written.lastPosition()));
            }
            return AppendResp.newBuilder().setSuccess(success).build();
        }
        long current = ((TransactionLog.AppendOutcome.WrongExpectedVersion) outcome).currentRevision();
        AppendResp.WrongExpectedVersion.Builder wrong = AppendResp.WrongExpectedVersion.newBuilder();
        switch (options.getExpectedStreamRevisionCase()) {
            case ANY -> wrong.setExpectedAny(empty).setAny2060(empty);
            case STREAM_EXISTS -> wrong.setExpectedStreamExists(empty).setStreamExists2060(empty);
            case NO_STREAM -> wrong.setExpectedNoStream(empty).setExpectedRevision2060(-1L); // ulong.MaxValue
            case REVISION -> wrong.setExpectedRevision(options.getRevision()).setExpectedRevision2060(options.getRevision());
            default -> throw new IllegalStateException("checked before appending");
        }
        if (current == TransactionLog.NO_STREAM) {
            wrong.setCurrentNoStream(empty).setNoStream2060(empty);
        } else {
            wrong.setCurrentRevision(current).setCurrentRevision2060(current);
        }
        return AppendResp.newBuilder().setWrongExpectedVersion(wrong).build();
    }

    @Override
    public void read(ReadReq request, StreamObserver<ReadResp> responses) {
        ReadReq.Options options = request.getOptions();
        if (!options.hasUuidOption()) {
            responses.onError(Status.INVALID_ARGUMENT.withDescription(
                    "'uuidOption' is a required argument of type EventStore.Client.Streams.ReadReq+Types+Options+Types+UUIDOption")
                    .asRuntimeException());
            return;
        }
        boolean structuredIds = options.getUuidOption().getContentCase() != ReadReq.Options.UUIDOption.ContentCase.STRING;
        if (options.getFilterOptionCase() == ReadReq.Options.FilterOptionCase.FILTER) {
            responses.onError(Status.UNIMPLEMENTED.withDescription("filtered reads are not implemented by the in-process server")
                    .asRuntimeException());
            return;
        }
        boolean subscription = options.getCountOptionCase() == ReadReq.Options.CountOptionCase.SUBSCRIPTION;
        switch (options.getStreamOptionCase()) {
            case STREAM -> {
                if (subscription) {
                    responses.onError(Status.UNIMPLEMENTED.withDescription(
                            "stream subscriptions are not implemented by the in-process server").asRuntimeException());
                } else {
                    readStream(options, structuredIds, responses);
                }
            }
            case ALL -> {
                if (subscription) {
                    subscribeToAll(options, structuredIds, (ServerCallStreamObserver<ReadResp>) responses);
                } else {
                    readAll(options, structuredIds, responses);
                }
            }
            default -> responses.onError(Status.INVALID_ARGUMENT.withDescription(
                    "'" + options.getStreamOptionCase() + "' is not a valid stream option").asRuntimeException());
        }
    }

    private void readStream(ReadReq.Options options, boolean structuredIds, StreamObserver<ReadResp> responses) {
        ReadReq.Options.StreamOptions stream = options.getStream();
        String streamId = stream.getStreamIdentifier().getStreamName().toStringUtf8();
        boolean forwards = options.getReadDirection() == ReadReq.Options.ReadDirection.Forwards;
        long start = switch (stream.getRevisionOptionCase()) {
            case REVISION -> stream.getRevision();
            case START -> 0;
            case END -> Long.MAX_VALUE;
            default -> 0;
        };
        long count = options.getCount();
        List<LogRecord> page = forwards
                ? log.readStreamForwards(streamId, start, count)
                : log.readStreamBackwards(streamId, start, count);
        if (page == null) {
            responses.onNext(ReadResp.newBuilder().setStreamNotFound(ReadResp.StreamNotFound.newBuilder()
                    .setStreamIdentifier(stream.getStreamIdentifier())).build());
            responses.onCompleted();
            return;
        }
        long last = log.lastRevision(streamId);
        boolean compatible = options.getControlOption().getCompatibility() >= 1;
        if (compatible && forwards && page.isEmpty() && start != last + 1) {
            // Enumerator.ReadStreamForwards: an empty first page tells where the stream starts
            responses.onNext(ReadResp.newBuilder().setFirstStreamPosition(last + 1).build());
        }
        for (LogRecord record : page) {
            responses.onNext(event(record, structuredIds));
        }
        if (compatible) {
            responses.onNext(ReadResp.newBuilder().setLastStreamPosition(last).build());
        }
        responses.onCompleted();
    }

    private void readAll(ReadReq.Options options, boolean structuredIds, StreamObserver<ReadResp> responses) {
        ReadReq.Options.AllOptions all = options.getAll();
        boolean forwards = options.getReadDirection() == ReadReq.Options.ReadDirection.Forwards;
        long position;
        switch (all.getAllOptionCase()) {
            case START -> position = forwards ? 0 : -1;
            case END -> position = Long.MAX_VALUE;
            case POSITION -> {
                if (all.getPosition().getCommitPosition() != all.getPosition().getPreparePosition()) {
                    responses.onError(invalidPosition());
                    return;
                }
                position = all.getPosition().getCommitPosition();
            }
            default -> {
                responses.onError(Status.INVALID_ARGUMENT.withDescription("an $all read needs a position").asRuntimeException());
                return;
            }
        }
        List<LogRecord> page;
        try {
            page = forwards ? log.readAllForwards(position, options.getCount())
                    : position < 0 ? List.of() : log.readAllBackwards(position, options.getCount());
        } catch (TransactionLog.InvalidPositionException invalid) {
            responses.onError(invalidPosition());
            return;
        }
        for (LogRecord record : page) {
            responses.onNext(event(record, structuredIds));
        }
        responses.onCompleted();
    }

    private void subscribeToAll(ReadReq.Options options, boolean structuredIds, ServerCallStreamObserver<ReadResp> responses) {
        ReadReq.Options.AllOptions all = options.getAll();
        long checkpoint;
        switch (all.getAllOptionCase()) {
            case START -> checkpoint = -1;
            case END -> checkpoint = log.end() - 1;
            case POSITION -> {
                long commit = all.getPosition().getCommitPosition();
                // the real server reads from the checkpoint when catching up: it must start a record
                if (commit != all.getPosition().getPreparePosition() || !log.isReadablePosition(commit)) {
                    responses.onNext(confirmation(UUID.randomUUID()));
                    responses.onError(invalidPosition());
                    return;
                }
                checkpoint = commit;
            }
            default -> {
                responses.onError(Status.INVALID_ARGUMENT.withDescription("a subscription needs a position").asRuntimeException());
                return;
            }
        }
        UUID id = UUID.randomUUID();
        // its handlers must be in place before the first message
        AllSubscription subscription = new AllSubscription(log, responses, checkpoint, structuredIds, id.toString(),
                subscriptions::remove);
        subscriptions.add(subscription);
        responses.onNext(confirmation(id));
        subscription.start();
    }

    private static ReadResp confirmation(UUID id) {
        return ReadResp.newBuilder().setConfirmation(ReadResp.SubscriptionConfirmation.newBuilder()
                .setSubscriptionId(id.toString())).build();
    }

    private static io.grpc.StatusRuntimeException invalidPosition() {
        return Status.INVALID_ARGUMENT.withDescription("Trying to read from an invalid position.").asRuntimeException();
    }

    static ReadResp event(LogRecord record, boolean structuredIds) {
        ReadResp.ReadEvent.RecordedEvent.Builder recorded = ReadResp.ReadEvent.RecordedEvent.newBuilder()
                .setId(structuredIds
                        ? Shared.UUID.newBuilder().setStructured(Shared.UUID.Structured.newBuilder()
                                .setMostSignificantBits(record.eventId().getMostSignificantBits())
                                .setLeastSignificantBits(record.eventId().getLeastSignificantBits())).build()
                        : Shared.UUID.newBuilder().setString(record.eventId().toString()).build())
                .setStreamIdentifier(Shared.StreamIdentifier.newBuilder().setStreamName(ByteString.copyFromUtf8(record.streamId())))
                .setStreamRevision(record.revision())
                .setCommitPosition(record.position())
                .setPreparePosition(record.position())
                .putMetadata("type", record.eventType())
                .putMetadata("created", Long.toString(record.createdTicks()))
                .putMetadata("content-type", record.json() ? "application/json" : "application/octet-stream")
                .setData(ByteString.copyFrom(record.data()))
                .setCustomMetadata(ByteString.copyFrom(record.metadata()));
        return ReadResp.newBuilder().setEvent(ReadResp.ReadEvent.newBuilder()
                .setEvent(recorded)
                .setCommitPosition(record.position())).build();
    }

    static ReadResp caughtUp(long checkpoint) {
        Instant now = Instant.now();
        ReadResp.CaughtUp.Builder caughtUp = ReadResp.CaughtUp.newBuilder()
                .setTimestamp(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()));
        if (checkpoint >= 0) {
            caughtUp.setPosition(ReadResp.Position.newBuilder().setCommitPosition(checkpoint).setPreparePosition(checkpoint));
        }
        return ReadResp.newBuilder().setCaughtUp(caughtUp).build();
    }

    static UUID uuid(Shared.UUID id) {
        return id.hasStructured()
                ? new UUID(id.getStructured().getMostSignificantBits(), id.getStructured().getLeastSignificantBits())
                : UUID.fromString(id.getString());
    }
}
