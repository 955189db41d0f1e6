package pql.gateway.keys.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import pql.gateway.auth.Scope;

/** The key ring's rules, given the events so far, when a key is created or revoked, then the event or the refusal. */
class KeyRingTest {

    private static final Instant NOW = Instant.parse("2026-12-03T06:00:00Z");
    private static final Set<String> YAML = Set.of("ops", "local");
    private final KeyRing ring = new KeyRing();

    private KeyEvent.Created create(String name, List<String> scopes, Instant expiresAt) {
        return ring.create(name, scopes, expiresAt, NOW, YAML, "keymaster", new byte[32], "Ab1Z");
    }

    @Test
    void givenNoKeysWhenCreatedThenTheKeyCarriesItsScopesDatesAndCreator() {
        KeyEvent.Created created = create("dash", List.of("dashboard:read", " scores:read", "dashboard:read"), NOW.plus(Duration.ofDays(1)));

        assertThat(created.key().name()).isEqualTo("dash");
        assertThat(created.key().scopes()).containsExactlyInAnyOrder(Scope.DASHBOARD_READ, Scope.SCORES_READ);
        assertThat(created.key().createdAt()).isEqualTo(NOW);
        assertThat(created.key().expiresAt()).isEqualTo(NOW.plus(Duration.ofDays(1)));
        assertThat(created.key().createdBy()).isEqualTo("keymaster");
        assertThat(created.key().lastFour()).isEqualTo("Ab1Z");
    }

    @Test
    void givenACurrentKeyWhenTheNameIsTakenAgainThenRefusedUntilItIsRevoked() {
        ring.apply(0, create("dash", List.of("dashboard:read"), null));

        assertThatThrownBy(() -> create("dash", List.of("scores:read"), null)).isInstanceOf(KeyRefusal.NameTaken.class)
                .hasMessageContaining("already named 'dash'");

        ring.apply(1, ring.revoke("dash", NOW, YAML, "keymaster"));
        assertThat(ring.keys()).isEmpty();
        assertThat(create("dash", List.of("scores:read"), null).key().scopes()).containsExactly(Scope.SCORES_READ);
        assertThat(ring.version()).isEqualTo(1);
    }

    @Test
    void whenANameOfTheYamlIsUsedThenRefusedAndItCannotBeRevokedHere() {
        assertThatThrownBy(() -> create("ops", List.of("scores:read"), null)).isInstanceOf(KeyRefusal.NameTaken.class)
                .hasMessageContaining("configured in the gateway's YAML");
        assertThatThrownBy(() -> ring.revoke("ops", NOW, YAML, "keymaster")).isInstanceOf(KeyRefusal.Configured.class);
        assertThatThrownBy(() -> ring.revoke("nobody", NOW, YAML, "keymaster")).isInstanceOf(KeyRefusal.NotFound.class);
    }

    @Test
    void whenTheRequestIsBadThenEveryProblemIsNamedAndUnknownScopesListTheValidOnes() {
        KeyRefusal.Invalid refusal = (KeyRefusal.Invalid) org.assertj.core.api.Assertions.catchThrowable(
                () -> create("bad name!", List.of("scores:read", "scores:write"), NOW.minusSeconds(1)));

        assertThat(refusal.violations()).containsOnlyKeys("name", "scopes[1]", "expires_at");
        assertThat(refusal.violations().get("scopes[1]")).isEqualTo("unknown scope 'scores:write'; valid scopes: "
                + "ingest:write, scores:read, forecast:read, definitions:admin, alerts:admin, keys:admin, dashboard:read, admin");
        assertThatThrownBy(() -> create("x", List.of(), null)).isInstanceOf(KeyRefusal.Invalid.class)
                .hasMessageContaining("at least one scope");
    }

    @Test
    void givenAnExpiryThenTheKeyIsExpiredFromThatInstantOn() {
        RuntimeKey key = create("temp", List.of("scores:read"), NOW.plusSeconds(60)).key();

        assertThat(key.expiredAt(NOW.plusSeconds(59))).isFalse();
        assertThat(key.expiredAt(NOW.plusSeconds(60))).isTrue();
    }
}
