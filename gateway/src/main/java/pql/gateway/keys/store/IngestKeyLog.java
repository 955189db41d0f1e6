package pql.gateway.keys.store;

import com.google.protobuf.ByteString;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import pql.common.grpc.GrpcErrors;
import pql.gateway.auth.Scope;
import pql.gateway.keys.app.KeyLog;
import pql.gateway.keys.domain.KeyEvent;
import pql.gateway.keys.domain.RuntimeKey;
import pql.v1.ApiKeyCreated;
import pql.v1.ApiKeyEvent;
import pql.v1.ApiKeyLogServiceGrpc;
import pql.v1.ApiKeyRevoked;
import pql.v1.AppendApiKeyEventRequest;
import pql.v1.ReadApiKeyEventsRequest;
import pql.v1.ReadApiKeyEventsResponse;

/**
 * The key stream through ingest-service's ApiKeyLogService: the gateway reaches the event store
 * only through a service. Translates the domain's events to their stored protos and back.
 */
public final class IngestKeyLog implements KeyLog {

    /** What ingest answers when another writer appended first (ApiKeyLogGrpcService.CONFLICT). */
    static final String CONFLICT = "API_KEY_LOG_CONFLICT";
    private static final int PAGE = 1000;

    private final ApiKeyLogServiceGrpc.ApiKeyLogServiceBlockingStub stub;
    private final Duration deadline;

    public IngestKeyLog(Channel ingest, Duration deadline) {
        this.stub = ApiKeyLogServiceGrpc.newBlockingStub(ingest);
        this.deadline = deadline;
    }

    @Override
    public List<Entry> readFrom(long fromVersion) {
        List<Entry> entries = new ArrayList<>();
        long from = fromVersion;
        ReadApiKeyEventsResponse page;
        do {
            page = stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                    .readApiKeyEvents(ReadApiKeyEventsRequest.newBuilder().setFromVersion(from).setMaxCount(PAGE).build());
            for (ApiKeyEvent event : page.getEventsList()) {
                KeyEvent decoded = decode(event);
                if (decoded != null) {
                    entries.add(new Entry(event.getStreamVersion(), decoded));
                }
                from = event.getStreamVersion() + 1;
            }
        } while (page.getEventsCount() == PAGE);
        return entries;
    }

    @Override
    public void append(long expectedVersion, KeyEvent event) {
        try {
            stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS).appendApiKeyEvent(AppendApiKeyEventRequest.newBuilder()
                    .setExpectedVersion(expectedVersion).setEvent(encode(event)).build());
        } catch (StatusRuntimeException e) {
            boolean conflict = e.getStatus().getCode() == Status.Code.ABORTED
                    && GrpcErrors.errorInfoOf(e).map(info -> CONFLICT.equals(info.getReason())).orElse(false);
            if (conflict) {
                throw new Conflict(e.getStatus().getDescription());
            }
            throw e;
        }
    }

    static ApiKeyEvent encode(KeyEvent event) {
        ApiKeyEvent.Builder proto = ApiKeyEvent.newBuilder();
        if (event instanceof KeyEvent.Created created) {
            RuntimeKey key = created.key();
            ApiKeyCreated.Builder stored = ApiKeyCreated.newBuilder().setName(key.name())
                    .setSha256(ByteString.copyFrom(key.sha256()))
                    .setCreatedAt(KeyProtos.timestamp(key.createdAt())).setCreatedBy(key.createdBy())
                    .setLastFour(key.lastFour());
            key.scopes().stream().sorted().forEach(scope -> stored.addScopes(scope.label()));
            if (key.expiresAt() != null) {
                stored.setExpiresAt(KeyProtos.timestamp(key.expiresAt()));
            }
            proto.setCreated(stored);
        } else if (event instanceof KeyEvent.Revoked revoked) {
            proto.setRevoked(ApiKeyRevoked.newBuilder().setName(revoked.name())
                    .setRevokedAt(KeyProtos.timestamp(revoked.revokedAt())).setRevokedBy(revoked.revokedBy()));
        }
        return proto.build();
    }

    /** Null for a kind this gateway does not know (written by a newer one). */
    static KeyEvent decode(ApiKeyEvent event) {
        return switch (event.getKindCase()) {
            case CREATED -> {
                ApiKeyCreated created = event.getCreated();
                // a scope this gateway does not know (a newer writer's) grants nothing here
                Set<Scope> scopes = EnumSet.noneOf(Scope.class);
                created.getScopesList().forEach(label -> Scope.parse(label).ifPresent(scopes::add));
                yield new KeyEvent.Created(new RuntimeKey(created.getName(), created.getSha256().toByteArray(), scopes,
                        KeyProtos.instant(created.getCreatedAt()),
                        created.hasExpiresAt() ? KeyProtos.instant(created.getExpiresAt()) : null,
                        created.getCreatedBy(), created.getLastFour()));
            }
            case REVOKED -> new KeyEvent.Revoked(event.getRevoked().getName(),
                    KeyProtos.instant(event.getRevoked().getRevokedAt()), event.getRevoked().getRevokedBy());
            case KIND_NOT_SET -> null;
        };
    }
}
