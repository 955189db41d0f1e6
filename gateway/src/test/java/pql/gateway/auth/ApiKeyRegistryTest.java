package pql.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeyRegistryTest {

    private final String key = ApiKeys.generate();

    @Test
    void aKeyIsFoundByItsHashOnly() {
        ApiKeyRegistry registry = ApiKeyRegistry.of(List.of(
                new ApiKeyConfig("finance", ApiKeys.sha256Hex(key).toUpperCase(), List.of("forecast:read"))));

        Caller caller = registry.authenticate(key).orElseThrow();
        assertThat(caller.name()).isEqualTo("finance");
        assertThat(caller.scopes()).containsExactly(Scope.FORECAST_READ);
        assertThat(registry.authenticate(key + "x")).isEmpty();
        assertThat(registry.authenticate(ApiKeys.sha256Hex(key))).as("the hash itself is not a key").isEmpty();
        assertThat(registry.authenticate("")).isEmpty();
        assertThat(registry.authenticate(null)).isEmpty();
    }

    @Test
    void keysAreRandomAndLong() {
        assertThat(ApiKeys.generate()).isNotEqualTo(ApiKeys.generate()).startsWith("pql_").hasSize(47);
    }

    @Test
    void aBadConfigNamesTheEntryAndTheProblem() {
        String hash = ApiKeys.sha256Hex(key);
        assertThatThrownBy(() -> ApiKeyRegistry.of(List.of(new ApiKeyConfig("ops", hash, List.of("scores:write")))))
                .hasMessageContaining("apiKeys[ops].scopes: unknown scope 'scores:write'");
        assertThatThrownBy(() -> ApiKeyRegistry.of(List.of(new ApiKeyConfig("ops", "abc", List.of()))))
                .hasMessageContaining("apiKeys[ops].sha256");
        assertThatThrownBy(() -> ApiKeyRegistry.of(List.of(new ApiKeyConfig("a", hash, List.of()), new ApiKeyConfig("a",
                ApiKeys.sha256Hex("other"), List.of())))).hasMessageContaining("used twice");
        assertThatThrownBy(() -> ApiKeyRegistry.of(List.of(new ApiKeyConfig("a", hash, List.of()), new ApiKeyConfig("b", hash,
                List.of())))).hasMessageContaining("the same key is configured twice");
    }

    @Test
    void theLocalKeyIsAddedWithItsScopes() {
        ApiKeyRegistry registry = ApiKeyRegistry.of(List.of()).with("local", key, Set.of(Scope.SCORES_READ));
        assertThat(registry.authenticate(key).orElseThrow().has(Scope.SCORES_READ)).isTrue();
        assertThat(registry.authenticate(key).orElseThrow().has(Scope.DEFINITIONS_ADMIN)).isFalse();
    }

    @Test
    void methodScopes() {
        MethodScopes scopes = new MethodScopes();
        assertThat(scopes.of("pql.v1.DefinitionService/PromoteDefinition")).isEqualTo(new MethodScopes.Needs(Scope.DEFINITIONS_ADMIN));
        assertThat(scopes.of("pql.v1.DefinitionService/SuggestDefinition")).isEqualTo(new MethodScopes.Needs(Scope.DEFINITIONS_ADMIN));
        assertThat(scopes.of("pql.v1.DefinitionService/DiffRescore")).isEqualTo(new MethodScopes.Needs(Scope.SCORES_READ));
        assertThat(scopes.of("pql.v1.DefinitionService/BacktestDefinition")).isEqualTo(new MethodScopes.Needs(Scope.SCORES_READ));
        assertThat(scopes.of("pql.v1.IngestService/IngestStream")).isEqualTo(new MethodScopes.Needs(Scope.INGEST_WRITE));
        assertThat(scopes.of("pql.v1.AlertService/ListAlertSubscriptions")).isEqualTo(new MethodScopes.Needs(Scope.ALERTS_ADMIN));
        assertThat(scopes.of("pql.v1.AlertService/AddAlertSubscription")).isEqualTo(new MethodScopes.Needs(Scope.ALERTS_ADMIN));
        assertThat(scopes.of("pql.v1.KeyService/CreateApiKey")).isEqualTo(new MethodScopes.Needs(Scope.KEYS_ADMIN));
        assertThat(scopes.of("pql.v1.KeyService/RevokeApiKey")).isEqualTo(new MethodScopes.Needs(Scope.KEYS_ADMIN));
        assertThat(scopes.of("pql.v1.ApiKeyLogService/ReadApiKeyEvents")).as("internal: never through the gateway")
                .isEqualTo(new MethodScopes.Unknown());
        assertThat(Scope.parse("alerts:admin")).contains(Scope.ALERTS_ADMIN);
        assertThat(scopes.of("grpc.health.v1.Health/Check")).isInstanceOf(MethodScopes.Open.class);
        assertThat(scopes.of("grpc.reflection.v1.ServerReflection/ServerReflectionInfo")).isInstanceOf(MethodScopes.Open.class);
        assertThat(scopes.of("pql.v2.Secret/Do")).isInstanceOf(MethodScopes.Unknown.class);
    }

    @Test
    void presentedKeys() {
        assertThat(PresentedKey.from("Bearer abc", null)).isEqualTo("abc");
        assertThat(PresentedKey.from("bearer  abc ", null)).isEqualTo("abc");
        assertThat(PresentedKey.from("Basic abc", "xyz")).isEqualTo("xyz");
        assertThat(PresentedKey.from(null, " ")).isNull();
    }
}
