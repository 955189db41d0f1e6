package pql.cli;

import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import pql.v1.AddAlertSubscriptionRequest;
import pql.v1.AlertDeliveryStats;
import pql.v1.AlertFilter;
import pql.v1.AlertFormat;
import pql.v1.AlertSubscription;
import pql.v1.ListAlertSubscriptionsRequest;
import pql.v1.OpportunitySize;
import pql.v1.Persona;
import pql.v1.PqlKind;
import pql.v1.RemoveAlertSubscriptionRequest;
import pql.v1.TestAlertSubscriptionRequest;
import pql.v1.TestAlertSubscriptionResponse;

@Command(name = "alerts", description = {
    "Webhook subscriptions for PQL alerts (Slack or any HTTP receiver); needs a key with alerts:admin.",
    "Every POST is signed: X-Pql-Signature: sha256=<hex HMAC-SHA256 of the body with the secret>."},
        subcommands = {AlertsCommand.Add.class, AlertsCommand.ListSubscriptions.class, AlertsCommand.Remove.class,
            AlertsCommand.Test.class})
final class AlertsCommand {

    abstract static class Base extends GatewaySubcommand {
    }

    @Command(name = "add", description = "Subscribes URL; prints the id and the secret (shown only now).")
    static final class Add extends Base {
        @Option(names = "--url", required = true, description = "http(s) URL that receives the POSTs, e.g. a Slack incoming webhook.")
        String url;

        @Option(names = "--format", defaultValue = "slack", description = "slack (text + blocks) or json (the PqlTransition); default ${DEFAULT-VALUE}.")
        String format;

        @Option(names = "--owner", description = "Only accounts this e-mail address owns.")
        String owner;

        @Option(names = "--size", split = ",", description = "Only these opportunity sizes: small, mid, large.")
        List<String> sizes = List.of();

        @Option(names = "--kinds", split = ",", description = "Only accounts with one of these PQL kinds: criteria_met, hand_raiser, limit_reached, touchless_purchase.")
        List<String> kinds = List.of();

        @Option(names = "--persona", split = ",", description = "Only these personas, e.g. golden_lead,silent_success.")
        List<String> personas = List.of();

        @Override
        public Integer call() {
            AlertFilter.Builder filter = AlertFilter.newBuilder().setOwner(owner == null ? "" : owner);
            filter.addAllSizes(Usage.enums(spec, "--size", sizes, OpportunitySize.getDescriptor(), OpportunitySize::forNumber));
            filter.addAllKinds(Usage.enums(spec, "--kinds", kinds, PqlKind.getDescriptor(), PqlKind::forNumber));
            filter.addAllPersonas(Usage.enums(spec, "--persona", personas, Persona.getDescriptor(), Persona::forNumber));
            AlertFormat alertFormat = Usage.enums(spec, "--format", List.of(format), AlertFormat.getDescriptor(),
                    AlertFormat::forNumber).get(0);
            try (GatewayClient client = connect()) {
                AlertSubscription added = client.alerts().addAlertSubscription(AddAlertSubscriptionRequest.newBuilder()
                        .setUrl(url).setFormat(alertFormat).setFilter(filter).build());
                out().println("added " + added.getId());
                out().println("secret " + added.getSecret() + "  (keep it: it is not shown again; the receiver checks"
                        + " X-Pql-Signature with it)");
                out().flush();
                return 0;
            }
        }
    }

    @Command(name = "list", description = "Every subscription with its delivery counters (pending, delivered, parked).")
    static final class ListSubscriptions extends Base {
        @Override
        public Integer call() {
            try (GatewayClient client = connect()) {
                Table table = new Table("ID", "URL", "FORMAT", "FILTER", "DELIVERED", "PENDING", "PARKED", "SUMMARIES",
                        "FAILING SINCE", "LAST ERROR").right(4, 5, 6, 7);
                for (AlertSubscription s : client.alerts().listAlertSubscriptions(
                        ListAlertSubscriptionsRequest.getDefaultInstance()).getSubscriptionsList()) {
                    AlertDeliveryStats d = s.getDelivery();
                    table.row(s.getId(), redact(s.getUrl()), Formats.enumName(s.getFormat(), "ALERT_FORMAT_"),
                            filter(s.getFilter()), d.getDelivered(), d.getPending(), d.getParked(), d.getSummaries(),
                            d.hasFailingSince() ? Formats.time(d.getFailingSince()) : "", d.getLastError());
                }
                table.print(out());
                return 0;
            }
        }
    }

    @Command(name = "remove", description = "Stops alerts to subscription ID (its pending alerts are dropped).")
    static final class Remove extends Base {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            try (GatewayClient client = connect()) {
                client.alerts().removeAlertSubscription(RemoveAlertSubscriptionRequest.newBuilder().setId(id).build());
                out().println("removed " + id);
                out().flush();
                return 0;
            }
        }
    }

    @Command(name = "test", description = "Posts a test message to subscription ID now and prints the receiver's answer.")
    static final class Test extends Base {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            try (GatewayClient client = connect()) {
                TestAlertSubscriptionResponse answer = client.alerts().testAlertSubscription(
                        TestAlertSubscriptionRequest.newBuilder().setId(id).build());
                boolean ok = answer.getHttpStatus() >= 200 && answer.getHttpStatus() < 300;
                out().println((ok ? "delivered: HTTP " + answer.getHttpStatus()
                        : "not delivered: " + (answer.getHttpStatus() == 0 ? answer.getError() : "HTTP " + answer.getHttpStatus()))
                        + " (alert id " + answer.getAlertId() + ")");
                out().flush();
                return ok ? 0 : 1;
            }
        }
    }

    private static String filter(AlertFilter filter) {
        List<String> parts = new java.util.ArrayList<>();
        if (!filter.getOwner().isEmpty()) {
            parts.add("owner=" + filter.getOwner());
        }
        if (filter.getSizesCount() > 0) {
            parts.add("size=" + filter.getSizesList().stream().map(v -> Formats.enumName(v, "OPPORTUNITY_SIZE_"))
                    .collect(Collectors.joining(",")));
        }
        if (filter.getKindsCount() > 0) {
            parts.add("kinds=" + filter.getKindsList().stream().map(v -> Formats.enumName(v, "PQL_KIND_"))
                    .collect(Collectors.joining(",")));
        }
        if (filter.getPersonasCount() > 0) {
            parts.add("persona=" + filter.getPersonasList().stream().map(v -> Formats.enumName(v, "PERSONA_"))
                    .collect(Collectors.joining(",")));
        }
        return parts.isEmpty() ? "all" : String.join(" ", parts);
    }

    /** A Slack webhook URL is itself a credential: only its host and the start of its path are shown. */
    static String redact(String url) {
        try {
            java.net.URI uri = java.net.URI.create(url);
            String path = uri.getPath() == null ? "" : uri.getPath();
            return uri.getScheme() + "://" + uri.getAuthority() + (path.length() > 12 ? path.substring(0, 12) + "…" : path);
        } catch (IllegalArgumentException e) {
            return "(unreadable URL)";
        }
    }
}
