package pql.gateway.keys.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pql.gateway.auth.ApiKeyRegistry;
import pql.gateway.auth.ApiKeys;
import pql.gateway.auth.Scope;
import pql.gateway.keys.domain.KeyRefusal;
import pql.gateway.keys.domain.RuntimeKey;
import pql.gateway.keys.store.IngestKeyLog;
import pql.gateway.support.InMemoryApiKeyLog;

/** The key use cases and the follower over the stored stream (ingest's contract, in memory): two gateways, one stream. */
class KeyUseCasesTest {

    private static final Instant NOW = Instant.parse("2026-12-03T06:00:00Z");
    private final InMemoryApiKeyLog stream = new InMemoryApiKeyLog();
    private Server server;
    private ManagedChannel channel;
    private KeyLog log;

    @BeforeEach
    void start() throws Exception {
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor().addService(stream).build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        log = new IngestKeyLog(channel, Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        server.shutdownNow();
    }

    private KeyUseCases useCases(Runnable afterChange) {
        return new KeyUseCases(log, () -> Set.of("ops"), Clock.fixed(NOW, ZoneOffset.UTC), ApiKeys::generate, afterChange);
    }

    @Test
    void aCreatedKeyIsStoredHashedListedWithoutSecretAndAcceptedByEveryFollowingGateway() {
        AtomicInteger changes = new AtomicInteger();
        KeyUseCases keys = useCases(changes::incrementAndGet);
        ApiKeyRegistry first = ApiKeyRegistry.of(List.of(), Clock.fixed(NOW, ZoneOffset.UTC));
        ApiKeyRegistry second = ApiKeyRegistry.of(List.of(), Clock.fixed(NOW, ZoneOffset.UTC));
        KeyFollower followsFirst = new KeyFollower(log, first::useRuntimeKeys, Duration.ofSeconds(1));
        KeyFollower followsSecond = new KeyFollower(log, second::useRuntimeKeys, Duration.ofSeconds(1));

        KeyUseCases.Created created = keys.create("dash", List.of("dashboard:read"), null, "keymaster");

        assertThat(changes).hasValue(1);
        assertThat(created.secret()).startsWith("pql_").endsWith(created.key().lastFour());
        assertThat(created.key().sha256()).isEqualTo(ApiKeys.sha256(created.secret()));
        RuntimeKey listed = keys.list().get(0);
        assertThat(listed.name()).isEqualTo("dash");
        assertThat(listed.createdBy()).isEqualTo("keymaster");
        assertThat(first.authenticate(created.secret())).as("not followed yet").isEmpty();

        assertThat(followsFirst.poll()).isTrue();
        assertThat(followsSecond.poll()).isTrue();
        assertThat(first.authenticate(created.secret()).orElseThrow().scopes()).containsExactly(Scope.DASHBOARD_READ);
        assertThat(second.authenticate(created.secret()).orElseThrow().name()).isEqualTo("dash");
        assertThat(followsFirst.poll()).as("nothing new").isFalse();

        KeyUseCases.Revoked revoked = keys.revoke("dash", "keymaster");
        assertThat(revoked.key().name()).isEqualTo("dash");
        assertThat(revoked.revokedAt()).isEqualTo(NOW);
        followsFirst.poll();
        followsSecond.poll();
        assertThat(first.authenticate(created.secret())).isEmpty();
        assertThat(second.authenticate(created.secret())).isEmpty();
        assertThat(keys.list()).isEmpty();
        assertThat(stream.size()).isEqualTo(2);
    }

    @Test
    void twoGatewaysRacingForOneNameGetOneKey() {
        KeyUseCases one = useCases(() -> { });
        // the other gateway appends between this one's read and its append
        List<String> secrets = new ArrayList<>();
        KeyLog racing = new KeyLog() {
            private boolean raced;

            @Override
            public List<Entry> readFrom(long fromVersion) {
                return log.readFrom(fromVersion);
            }

            @Override
            public void append(long expectedVersion, pql.gateway.keys.domain.KeyEvent event) {
                if (!raced) {
                    raced = true;
                    secrets.add(one.create("shared", List.of("scores:read"), null, "other-gateway").secret());
                }
                log.append(expectedVersion, event);
            }
        };
        KeyUseCases two = new KeyUseCases(racing, Set::of, Clock.fixed(NOW, ZoneOffset.UTC), ApiKeys::generate, () -> { });

        assertThatThrownBy(() -> two.create("shared", List.of("forecast:read"), null, "this-gateway"))
                .isInstanceOf(KeyRefusal.NameTaken.class);
        assertThat(one.list()).singleElement().satisfies(key -> assertThat(key.createdBy()).isEqualTo("other-gateway"));
        assertThat(secrets).hasSize(1);
    }

    @Test
    void anExpiredKeyIsRefusedAndAYamlNameIsNeverShadowed() {
        Clock later = Clock.fixed(NOW.plus(Duration.ofHours(2)), ZoneOffset.UTC);
        ApiKeyRegistry registry = ApiKeyRegistry.of(List.of(new pql.gateway.auth.ApiKeyConfig("ops",
                ApiKeys.sha256Hex("yaml-secret"), List.of("admin"))), later);
        KeyUseCases keys = useCases(() -> { });
        String shortLived = keys.create("short", List.of("scores:read"), NOW.plus(Duration.ofHours(1)), "keymaster").secret();
        String longLived = keys.create("long", List.of("scores:read"), NOW.plus(Duration.ofHours(3)), "keymaster").secret();

        new KeyFollower(log, registry::useRuntimeKeys, Duration.ofSeconds(1)).poll();

        assertThat(registry.authenticate(shortLived)).isEmpty();
        assertThat(registry.authenticate(longLived)).isPresent();
        assertThatThrownBy(() -> keys.create("ops", List.of("scores:read"), null, "keymaster"))
                .isInstanceOf(KeyRefusal.NameTaken.class);
        // a key named like a YAML one (written by a gateway with another YAML) is left out here
        var ignored = registry.useRuntimeKeys(List.of(new RuntimeKey("ops", ApiKeys.sha256("runtime-secret"), Set.of(Scope.ADMIN),
                NOW, null, "elsewhere", "cret")));
        assertThat(ignored).containsExactly("ops");
        assertThat(registry.authenticate("runtime-secret")).isEmpty();
        assertThat(registry.authenticate("yaml-secret").orElseThrow().has(Scope.ADMIN)).isTrue();
    }
}
