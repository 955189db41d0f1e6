package pql.cli;

import java.io.PrintWriter;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import pql.gateway.auth.ApiKeys;
import pql.gateway.auth.Scope;

@Command(name = "keys", description = "API keys for the gateway.", subcommands = KeysCommand.Create.class)
final class KeysCommand {

    @Command(name = "create", description = {
        "Prints a new random key (shown once: give it to its owner) and its line for the gateway's YAML.",
        "The line goes under auth.apiKeys and holds only the key's SHA-256."})
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME", description = "Who the key is for, e.g. finance-exports (sent to services as pql-principal).")
        String name;

        @Option(names = "--scopes", split = ",", required = true,
                description = "Comma separated: ingest:write, scores:read, forecast:read, definitions:admin, alerts:admin, admin (the admin port).")
        List<String> scopes;

        @Override
        public Integer call() {
            if (!name.matches("[A-Za-z0-9._@-]{1,64}")) {
                throw Usage.error(spec, "NAME: 1..64 characters of [A-Za-z0-9._@-]");
            }
            Set<Scope> parsed = EnumSet.noneOf(Scope.class);
            for (String scope : scopes) {
                parsed.add(Scope.parse(scope.trim()).orElseThrow(() -> Usage.error(spec,
                        "--scopes: unknown scope '" + scope + "'; one of "
                                + EnumSet.allOf(Scope.class).stream().map(Scope::label).collect(Collectors.joining(", ")))));
            }
            String key = ApiKeys.generate();
            PrintWriter out = spec.commandLine().getOut();
            out.println("key (shown once, keep it secret): " + key);
            out.println("add to the gateway YAML under auth.apiKeys:");
            out.printf("  - {name: %s, sha256: %s, scopes: [%s]}%n", name, ApiKeys.sha256Hex(key),
                    parsed.stream().map(Scope::label).collect(Collectors.joining(", ")));
            out.flush();
            return 0;
        }
    }
}
