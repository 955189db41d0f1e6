package pql.ingest.keys;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import pql.common.grpc.ErrorMapping;
import pql.common.grpc.FieldViolations;
import pql.common.grpc.GrpcErrors;
import pql.eventstore.EventStore;
import pql.eventstore.EventStoreUnavailableException;
import pql.eventstore.ExpectedVersion;
import pql.eventstore.StoredEvent;
import pql.eventstore.StreamIds;
import pql.eventstore.WrongExpectedVersionException;
import pql.v1.ApiKeyCreated;
import pql.v1.ApiKeyEvent;
import pql.v1.ApiKeyLogServiceGrpc;
import pql.v1.ApiKeyRevoked;
import pql.v1.AppendApiKeyEventRequest;
import pql.v1.AppendApiKeyEventResponse;
import pql.v1.EventEnvelope;
import pql.v1.ReadApiKeyEventsRequest;
import pql.v1.ReadApiKeyEventsResponse;

/**
 * The gateways' access to the "pql-api-keys" stream: they reach the store only through services,
 * and ingest is the service that writes the store on every deployment. A thin adapter: what a key
 * may be is the gateway's business (it hosts KeyService); this only checks that an event is whole,
 * appends it with optimistic concurrency (two gateways creating the same name: one wins) and reads
 * the stream back.
 */
public final class ApiKeyLogGrpcService extends ApiKeyLogServiceGrpc.ApiKeyLogServiceImplBase {

    /** Another writer appended since the caller read the stream (ABORTED): read again and retry. */
    public static final String CONFLICT = "API_KEY_LOG_CONFLICT";
    static final int MAX_READ = 1000;
    /** The envelope payload revision of the key events. */
    private static final int SCHEMA_REVISION = 1;
    private static final String CREATED = ApiKeyCreated.getDescriptor().getFullName();
    private static final String REVOKED = ApiKeyRevoked.getDescriptor().getFullName();
    private static final ErrorMapping ERRORS = ErrorMapping.builder("ingest api-key log")
            .map(WrongExpectedVersionException.class, e -> GrpcErrors.error(Status.Code.ABORTED, CONFLICT,
                    "the api key stream changed since it was read: read it again and retry"))
            .map(EventStoreUnavailableException.class, e -> GrpcErrors.error(Status.Code.UNAVAILABLE,
                    "EVENT_STORE_UNAVAILABLE", "the event store cannot be reached"))
            .build();

    private final EventStore store;
    private final Clock clock;

    public ApiKeyLogGrpcService(EventStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public void appendApiKeyEvent(AppendApiKeyEventRequest request, StreamObserver<AppendApiKeyEventResponse> responses) {
        ERRORS.unary(responses, () -> {
            requireWhole(request);
            ApiKeyEvent event = request.getEvent();
            boolean created = event.getKindCase() == ApiKeyEvent.KindCase.CREATED;
            String name = created ? event.getCreated().getName() : event.getRevoked().getName();
            ByteString payload = created ? event.getCreated().toByteString() : event.getRevoked().toByteString();
            Instant now = clock.instant();
            Timestamp at = Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()).build();
            EventEnvelope envelope = EventEnvelope.newBuilder()
                    .setEventId("api-key-" + (created ? "created-" : "revoked-") + name + "-" + UUID.randomUUID())
                    .setType(created ? CREATED : REVOKED).setPayload(payload)
                    .setOccurredAt(at).setRecordedAt(at).setSchemaRevision(SCHEMA_REVISION).build();
            ExpectedVersion expected = request.getExpectedVersion() < 0
                    ? ExpectedVersion.NO_STREAM : ExpectedVersion.exactly(request.getExpectedVersion());
            long version = store.append(StreamIds.API_KEYS, expected, List.of(envelope)).streamVersion();
            return AppendApiKeyEventResponse.newBuilder().setStreamVersion(version).build();
        });
    }

    @Override
    public void readApiKeyEvents(ReadApiKeyEventsRequest request, StreamObserver<ReadApiKeyEventsResponse> responses) {
        ERRORS.unary(responses, () -> {
            FieldViolations violations = new FieldViolations();
            if (request.getFromVersion() < 0) {
                violations.add("from_version", "must be 0 or more, was " + request.getFromVersion());
            }
            if (request.getMaxCount() < 0 || request.getMaxCount() > MAX_READ) {
                violations.add("max_count", "must be between 0 (meaning " + MAX_READ + ") and " + MAX_READ
                        + ", was " + request.getMaxCount());
            }
            violations.throwIfAny("invalid request");
            int max = request.getMaxCount() == 0 ? MAX_READ : request.getMaxCount();
            ReadApiKeyEventsResponse.Builder response = ReadApiKeyEventsResponse.newBuilder();
            for (StoredEvent stored : store.readStream(StreamIds.API_KEYS, request.getFromVersion(), max)) {
                response.addEvents(decode(stored));
            }
            return response.build();
        });
    }

    private static void requireWhole(AppendApiKeyEventRequest request) {
        FieldViolations violations = new FieldViolations();
        if (request.getExpectedVersion() < -1) {
            violations.add("expected_version", "must be -1 (an empty stream) or a stream version, was "
                    + request.getExpectedVersion());
        }
        ApiKeyEvent event = request.getEvent();
        switch (event.getKindCase()) {
            case CREATED -> {
                if (event.getCreated().getName().isEmpty()) {
                    violations.add("event.created.name", "is required");
                }
                if (event.getCreated().getSha256().size() != 32) {
                    violations.add("event.created.sha256", "must be the 32 bytes of a SHA-256, was "
                            + event.getCreated().getSha256().size() + " bytes");
                }
                if (event.getCreated().getScopesCount() == 0) {
                    violations.add("event.created.scopes", "at least one scope is required");
                }
            }
            case REVOKED -> {
                if (event.getRevoked().getName().isEmpty()) {
                    violations.add("event.revoked.name", "is required");
                }
            }
            case KIND_NOT_SET -> violations.add("event", "created or revoked is required");
        }
        violations.throwIfAny("invalid request");
    }

    private static ApiKeyEvent decode(StoredEvent stored) {
        EventEnvelope envelope = stored.envelope();
        ApiKeyEvent.Builder event = ApiKeyEvent.newBuilder().setStreamVersion(stored.streamVersion());
        try {
            if (CREATED.equals(envelope.getType())) {
                event.setCreated(ApiKeyCreated.parseFrom(envelope.getPayload()));
            } else if (REVOKED.equals(envelope.getType())) {
                event.setRevoked(ApiKeyRevoked.parseFrom(envelope.getPayload()));
            }
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt api key event at version " + stored.streamVersion(), e);
        }
        return event.build();
    }
}
