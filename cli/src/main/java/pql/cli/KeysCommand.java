package pql.cli;

import com.google.protobuf.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import pql.gateway.auth.ApiKeys;
import pql.gateway.auth.Scope;
import pql.v1.ApiKeyInfo;
import pql.v1.CreateApiKeyRequest;
import pql.v1.CreateApiKeyResponse;
import pql.v1.ListApiKeysRequest;
import pql.v1.RevokeApiKeyRequest;

@Command(name = "keys", description = {
    "API keys created, listed and revoked at runtime, on every gateway within a second (needs keys:admin).",
    "With create --yaml: a key and its line for the gateway's YAML instead."},
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
final class KeysCommand {

    @Command(name = "create", description = {
        "Creates key NAME on the gateway and prints its secret (shown once: give it to its owner).",
        "With --yaml no gateway is asked: prints a new key and its line for the gateway's YAML (auth.apiKeys),",
        "which holds only the key's SHA-256."})
    static final class Create extends GatewaySubcommand {

        @Parameters(paramLabel = "NAME", description = "Who the key is for, e.g. finance-exports (sent to services as pql-principal).")
        String name;

        @Option(names = "--scopes", split = ",", required = true,
                description = "Comma separated: ingest:write, scores:read, forecast:read, definitions:admin, alerts:admin, "
                        + "keys:admin, dashboard:read (only what the dashboard reads), admin (the admin port).")
        List<String> scopes;

        @Option(names = "--expires", paramLabel = "WHEN",
                description = "When the key stops working: a date (2027-01-31), an instant, or a time from now (90d, 12h, 2w). Default: never.")
        String expires;

        @Option(names = "--yaml", description = "Print a key and its YAML line instead of creating it on the gateway (no expiry).")
        boolean yaml;

        @Override
        public Integer call() {
            if (!name.matches("[A-Za-z0-9._@-]{1,64}")) {
                throw Usage.error(spec, "NAME: 1..64 characters of [A-Za-z0-9._@-]");
            }
            Set<Scope> parsed = EnumSet.noneOf(Scope.class);
            for (String scope : scopes) {
                parsed.add(Scope.parse(scope.trim()).orElseThrow(() -> Usage.error(spec,
                        "--scopes: unknown scope '" + scope + "'; one of " + Scope.allLabels())));
            }
            String labels = parsed.stream().map(Scope::label).collect(Collectors.joining(", "));
            if (yaml) {
                if (expires != null) {
                    throw Usage.error(spec, "--expires: YAML keys do not expire; create the key on the gateway instead");
                }
                String key = ApiKeys.generate();
                out().println("key (shown once, keep it secret): " + key);
                out().println("add to the gateway YAML under auth.apiKeys:");
                out().printf("  - {name: %s, sha256: %s, scopes: [%s]}%n", name, ApiKeys.sha256Hex(key), labels);
                out().flush();
                return 0;
            }
            CreateApiKeyRequest.Builder request = CreateApiKeyRequest.newBuilder().setName(name);
            parsed.forEach(scope -> request.addScopes(scope.label()));
            if (expires != null) {
                request.setExpiresAt(expiry(spec, expires, Clock.systemUTC()));
            }
            try (GatewayClient client = connect()) {
                CreateApiKeyResponse created = client.keys().createApiKey(request.build());
                out().println("key (shown once, keep it secret): " + created.getSecret());
                out().println("created " + created.getKey().getName() + " with scopes [" + String.join(", ", created.getKey().getScopesList())
                        + "], expires " + (created.getKey().hasExpiresAt() ? Formats.time(created.getKey().getExpiresAt()) : "never")
                        + "; every gateway accepts it within a second");
                out().flush();
                return 0;
            }
        }
    }

    @Command(name = "list", description = "The runtime keys (not the YAML ones): name, scopes, dates, last four characters; never a secret.")
    static final class ListKeys extends GatewaySubcommand {
        @Override
        public Integer call() {
            try (GatewayClient client = connect()) {
                Table table = new Table("NAME", "SCOPES", "CREATED", "EXPIRES", "CREATED BY", "ENDS WITH");
                for (ApiKeyInfo key : client.keys().listApiKeys(ListApiKeysRequest.getDefaultInstance()).getKeysList()) {
                    table.row(key.getName(), String.join(",", key.getScopesList()), Formats.time(key.getCreatedAt()),
                            key.hasExpiresAt() ? Formats.time(key.getExpiresAt()) : "never", key.getCreatedBy(),
                            "..." + key.getLastFour());
                }
                table.print(out());
                return 0;
            }
        }
    }

    @Command(name = "revoke", description = "Revokes runtime key NAME: every gateway refuses it within a second.")
    static final class Revoke extends GatewaySubcommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            try (GatewayClient client = connect()) {
                client.keys().revokeApiKey(RevokeApiKeyRequest.newBuilder().setName(name).build());
                out().println("revoked " + name + "; every gateway refuses it within a second");
                out().flush();
                return 0;
            }
        }
    }

    /** --expires: an age is from now (unlike --as-of's, which reach back); otherwise a date or instant. */
    static Timestamp expiry(CommandSpec spec, String text, Clock clock) {
        Duration fromNow = TimeArgument.age(text);
        Instant at = fromNow != null ? clock.instant().plus(fromNow) : new TimeArgument(clock).parse(text);
        if (at == null) {
            throw Usage.error(spec, "--expires: '" + text + "' is not a date, an instant or a time from now such as 90d, 12h, 2w");
        }
        return Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()).build();
    }

    private KeysCommand() {
    }
}
