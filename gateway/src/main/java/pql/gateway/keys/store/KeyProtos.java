package pql.gateway.keys.store;

import com.google.protobuf.Timestamp;
import java.time.Instant;
import pql.gateway.keys.domain.RuntimeKey;
import pql.v1.ApiKeyInfo;

/** Runtime keys and instants as the API shows them (no secret, no hash). */
public final class KeyProtos {

    private KeyProtos() {
    }

    public static ApiKeyInfo info(RuntimeKey key) {
        ApiKeyInfo.Builder info = ApiKeyInfo.newBuilder().setName(key.name()).setCreatedAt(timestamp(key.createdAt()))
                .setCreatedBy(key.createdBy()).setLastFour(key.lastFour());
        key.scopes().stream().sorted().forEach(scope -> info.addScopes(scope.label()));
        if (key.expiresAt() != null) {
            info.setExpiresAt(timestamp(key.expiresAt()));
        }
        return info.build();
    }

    public static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    public static Instant instant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }
}
