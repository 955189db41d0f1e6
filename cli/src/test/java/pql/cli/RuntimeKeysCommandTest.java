package pql.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import pql.v1.CreateApiKeyRequest;
import pql.v1.RevokeApiKeyRequest;

/** {@code pql keys create | list | revoke} against the gateway's KeyService: what is asked and printed. */
class RuntimeKeysCommandTest {

    @RegisterExtension
    final FakeGateway gateway = new FakeGateway();

    @Test
    void createSendsNameScopesAndExpiryAndPrintsTheSecretOnce() {
        Instant before = Instant.now();
        FakeGateway.Run run = gateway.pql("keys", "create", "dash", "--scopes", "dashboard:read", "--expires", "90d");

        assertThat(run.exitCode()).as(run.err()).isZero();
        CreateApiKeyRequest request = gateway.last("CreateApiKey", CreateApiKeyRequest.class);
        assertThat(request.getName()).isEqualTo("dash");
        assertThat(request.getScopesList()).containsExactly("dashboard:read");
        Instant expiry = Instant.ofEpochSecond(request.getExpiresAt().getSeconds());
        assertThat(expiry).isBetween(before.plus(Duration.ofDays(90)).minusSeconds(1), Instant.now().plus(Duration.ofDays(90)));
        var lines = FakeGateway.lines(run.out());
        assertThat(lines.get(0)).isEqualTo("key (shown once, keep it secret): pql_new-secret-Xy9Z");
        assertThat(lines.get(1)).startsWith("created dash with scopes [dashboard:read], expires 20");
    }

    @Test
    void createWithoutExpiryAsksForNone() {
        FakeGateway.Run run = gateway.pql("keys", "create", "ops", "--scopes", "keys:admin,scores:read");

        assertThat(run.exitCode()).as(run.err()).isZero();
        CreateApiKeyRequest request = gateway.last("CreateApiKey", CreateApiKeyRequest.class);
        assertThat(request.hasExpiresAt()).isFalse();
        assertThat(request.getScopesList()).containsExactly("scores:read", "keys:admin");
    }

    @Test
    void badExpiryAndUnknownScopesFailBeforeAnyCall() {
        FakeGateway.Run badExpiry = gateway.pql("keys", "create", "x", "--scopes", "scores:read", "--expires", "someday");
        FakeGateway.Run badScope = gateway.pql("keys", "create", "x", "--scopes", "dashboard:write");

        assertThat(badExpiry.exitCode()).isEqualTo(2);
        assertThat(badExpiry.err()).contains("--expires: 'someday' is not a date");
        assertThat(badScope.exitCode()).isEqualTo(2);
        assertThat(badScope.err()).contains("unknown scope 'dashboard:write'; one of ", "dashboard:read", "keys:admin");
        assertThat(gateway.calls("CreateApiKey")).isZero();
    }

    @Test
    void listShowsNamesScopesAndTheLastFourButNoSecret() {
        FakeGateway.Run run = gateway.pql("keys", "list");

        assertThat(run.exitCode()).as(run.err()).isZero();
        var lines = FakeGateway.lines(run.out());
        assertThat(lines.get(0)).contains("NAME", "SCOPES", "CREATED", "EXPIRES", "CREATED BY", "ENDS WITH");
        assertThat(lines.get(1)).contains("finance-exports", "forecast:read", "2025-11-24T16:00:00Z", "never", "local", "...Xy9Z");
    }

    @Test
    void revokeNamesTheKeyAndAnUnknownOneFails() {
        FakeGateway.Run revoked = gateway.pql("keys", "revoke", "finance-exports");
        FakeGateway.Run unknown = gateway.pql("keys", "revoke", "nobody");

        assertThat(revoked.exitCode()).as(revoked.err()).isZero();
        assertThat(revoked.out()).contains("revoked finance-exports");
        assertThat(gateway.last("RevokeApiKey", RevokeApiKeyRequest.class).getName()).isEqualTo("nobody");
        assertThat(unknown.exitCode()).isNotZero();
        assertThat(unknown.err()).contains("no runtime API key is named 'nobody'");
    }
}
