package pql.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import pql.v1.AddAlertSubscriptionRequest;
import pql.v1.AlertFormat;
import pql.v1.OpportunitySize;
import pql.v1.Persona;
import pql.v1.PqlKind;
import pql.v1.RemoveAlertSubscriptionRequest;
import pql.v1.TestAlertSubscriptionRequest;

/** {@code pql alerts ...}: what each subcommand asks of the gateway and prints, and bad arguments. */
class AlertsCommandTest {

    @RegisterExtension
    final FakeGateway gateway = new FakeGateway();

    @Test
    void addSendsTheUrlAndEveryFilterPartAndPrintsTheSecretOnce() {
        FakeGateway.Run run = gateway.pql("alerts", "add", "--url", "https://hooks.slack.com/services/T/B/X",
                "--owner", "rep@example.com", "--size", "mid,large", "--kinds", "hand_raiser,limit-reached",
                "--persona", "golden_lead");

        assertThat(run.exitCode()).as(run.err()).isZero();
        AddAlertSubscriptionRequest request = gateway.last("AddAlertSubscription", AddAlertSubscriptionRequest.class);
        assertThat(request.getUrl()).isEqualTo("https://hooks.slack.com/services/T/B/X");
        assertThat(request.getFormat()).isEqualTo(AlertFormat.ALERT_FORMAT_SLACK);
        assertThat(request.getFilter().getOwner()).isEqualTo("rep@example.com");
        assertThat(request.getFilter().getSizesList()).containsExactly(OpportunitySize.OPPORTUNITY_SIZE_MID,
                OpportunitySize.OPPORTUNITY_SIZE_LARGE);
        assertThat(request.getFilter().getKindsList()).containsExactly(PqlKind.PQL_KIND_HAND_RAISER,
                PqlKind.PQL_KIND_LIMIT_REACHED);
        assertThat(request.getFilter().getPersonasList()).containsExactly(Persona.PERSONA_GOLDEN_LEAD);
        assertThat(run.out()).contains("added sub-0123456789abcdef", "secret s3cr3t");
    }

    @Test
    void addWithJsonFormatAndNoFilter() {
        gateway.pql("alerts", "add", "--url", "http://receiver:8080/pql", "--format", "json");

        AddAlertSubscriptionRequest request = gateway.last("AddAlertSubscription", AddAlertSubscriptionRequest.class);
        assertThat(request.getFormat()).isEqualTo(AlertFormat.ALERT_FORMAT_JSON);
        assertThat(request.getFilter().getKindsCount() + request.getFilter().getSizesCount()).isZero();
    }

    @Test
    void unknownFilterValuesFailBeforeAnyCall() {
        for (String[] args : new String[][] {
            {"alerts", "add", "--url", "http://x", "--size", "huge"},
            {"alerts", "add", "--url", "http://x", "--kinds", "bought"},
            {"alerts", "add", "--url", "http://x", "--persona", "unspecified"},
            {"alerts", "add", "--url", "http://x", "--format", "xml"}}) {
            FakeGateway.Run run = gateway.pql(args);
            assertThat(run.exitCode()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(run.err()).contains("unknown value").contains("; one of ");
        }
        assertThat(gateway.calls("AddAlertSubscription")).isZero();
        assertThat(gateway.pql("alerts", "add").exitCode()).as("--url is required").isEqualTo(2);
    }

    @Test
    void listShowsEachSubscriptionsCountersWithoutTheWholeSlackUrl() {
        FakeGateway.Run run = gateway.pql("alerts", "list");

        assertThat(run.exitCode()).as(run.err()).isZero();
        var lines = FakeGateway.lines(run.out());
        assertThat(lines.get(0)).contains("ID", "URL", "DELIVERED", "PENDING", "PARKED", "LAST ERROR");
        assertThat(lines.get(1)).contains("default", "https://hooks.slack.com/service", "slack", "12", "3", "1",
                "2025-11-24T16:00:00Z", "HTTP 503").doesNotContain("XXXXXXXX");
        assertThat(lines.get(2)).contains("sub-0123456789abcdef", "json", "owner=rep@example.com kinds=hand_raiser");
    }

    @Test
    void removeAndTestNameTheSubscriptionAndSayWhatHappened() {
        FakeGateway.Run removed = gateway.pql("alerts", "remove", "sub-0123456789abcdef");
        assertThat(removed.exitCode()).isZero();
        assertThat(removed.out()).contains("removed sub-0123456789abcdef");
        assertThat(gateway.last("RemoveAlertSubscription", RemoveAlertSubscriptionRequest.class).getId())
                .isEqualTo("sub-0123456789abcdef");

        FakeGateway.Run missing = gateway.pql("alerts", "remove", "sub-missing");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.err()).contains("NOT_FOUND", "sub-missing");

        FakeGateway.Run tested = gateway.pql("alerts", "test", "default");
        assertThat(tested.exitCode()).isZero();
        assertThat(tested.out()).contains("delivered: HTTP 200 (alert id test-1)");
        assertThat(gateway.last("TestAlertSubscription", TestAlertSubscriptionRequest.class).getId()).isEqualTo("default");

        FakeGateway.Run down = gateway.pql("alerts", "test", "sub-down");
        assertThat(down.exitCode()).isEqualTo(1);
        assertThat(down.out()).contains("not delivered: HTTP 503");
    }
}
