package pql.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import pql.gateway.auth.ApiKeys;

/** {@code pql keys create --yaml}: a new key and its YAML line; names and scopes checked (before any call). Needs no gateway. */
class KeysCommandTest {

    private static String keyOf(FakeGateway.Run run) {
        return FakeGateway.lines(run.out()).get(0).replace("key (shown once, keep it secret): ", "");
    }

    @Test
    void scopesAreListedOnceInTheirCanonicalOrder() {
        FakeGateway.Run run = FakeGateway.run("keys", "create", "--yaml", "finance-exports", "--scopes",
                "forecast:read, definitions:admin,ingest:write,forecast:read");

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> lines = FakeGateway.lines(run.out());
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).isEqualTo("add to the gateway YAML under auth.apiKeys:");
        assertThat(lines.get(2)).isEqualTo("  - {name: finance-exports, sha256: " + ApiKeys.sha256Hex(keyOf(run))
                + ", scopes: [ingest:write, forecast:read, definitions:admin]}");
    }

    @Test
    void aKeyForAlertSubscriptionsGetsAlertsAdmin() {
        FakeGateway.Run run = FakeGateway.run("keys", "create", "--yaml", "sales-ops", "--scopes", "alerts:admin,scores:read");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(FakeGateway.lines(run.out()).get(2)).endsWith("scopes: [scores:read, alerts:admin]}");
    }

    @Test
    void everyKeyIsNew() {
        String first = keyOf(FakeGateway.run("keys", "create", "--yaml", "a", "--scopes", "scores:read"));
        String second = keyOf(FakeGateway.run("keys", "create", "--yaml", "a", "--scopes", "scores:read"));

        assertThat(first).startsWith("pql_").isNotEqualTo(second);
    }

    @Test
    void aNameOutsideTheAllowedCharactersIsRefused() {
        FakeGateway.Run run = FakeGateway.run("keys", "create", "finance team!", "--scopes", "scores:read");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(FakeGateway.lines(run.err()).get(0)).isEqualTo("NAME: 1..64 characters of [A-Za-z0-9._@-]");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void anUnknownScopeIsRefusedWithTheChoices() {
        FakeGateway.Run run = FakeGateway.run("keys", "create", "x", "--scopes", "scores:read,scores:write");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(FakeGateway.lines(run.err()).get(0)).isEqualTo(
                "--scopes: unknown scope 'scores:write'; one of ingest:write, scores:read, forecast:read, definitions:admin, alerts:admin, keys:admin, dashboard:read, admin");
        assertThat(run.out()).as("no key is printed").isEmpty();
    }

    @Test
    void scopesAndNameAreRequired() {
        FakeGateway.Run noScopes = FakeGateway.run("keys", "create", "x");
        FakeGateway.Run noName = FakeGateway.run("keys", "create", "--scopes", "scores:read");

        assertThat(noScopes.exitCode()).isEqualTo(2);
        assertThat(noScopes.err()).contains("Missing required option: '--scopes=<scopes>'");
        assertThat(noName.exitCode()).isEqualTo(2);
        assertThat(noName.err()).contains("Missing required parameter: 'NAME'");
    }

    @Test
    void keysWithoutASubcommandIsAUsageError() {
        FakeGateway.Run run = FakeGateway.run("keys");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required subcommand").contains("create");
    }
}
