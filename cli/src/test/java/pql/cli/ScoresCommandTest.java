package pql.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.Timestamps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import pql.v1.AccountOrder;
import pql.v1.GetAccountScoreRequest;
import pql.v1.ListAccountScoresRequest;
import pql.v1.ScoreView;

/** {@code pql scores}: what the options ask the gateway, the defaults, and bad arguments. */
class ScoresCommandTest {

    @RegisterExtension
    final FakeGateway gateway = new FakeGateway();

    private ListAccountScoresRequest listed() {
        return gateway.last("ListAccountScores", ListAccountScoresRequest.class);
    }

    @Test
    void byDefaultItListsTwentyAccountsByEngagementUnderTheActiveVersion() {
        FakeGateway.Run run = gateway.pql("scores");

        assertThat(run.exitCode()).as(run.err()).isZero();
        ListAccountScoresRequest request = listed();
        assertThat(request.getPageSize()).isEqualTo(20);
        assertThat(request.getOrderBy()).isEqualTo(AccountOrder.ACCOUNT_ORDER_ENGAGEMENT_DESC);
        assertThat(request.getDefinitionVersion()).isZero();
        assertThat(request.getView()).isEqualTo(ScoreView.SCORE_VIEW_BASIC);
        assertThat(request.getFilter().getPqlOnly()).isFalse();
        assertThat(request.getFilter().getOpenOnly()).isFalse();
        assertThat(FakeGateway.lines(run.out()).get(0)).startsWith("ACCOUNT").contains("ACTIVATION", "ENGAGEMENT", "PQL", "KINDS");
        assertThat(run.out()).contains("acme", "Acme Corp", "83% high", "120.5 high", "criteria_met,hand_raiser")
                .contains("2 of 20 matching accounts (definition v1, as of 2026-12-02T10:00:00Z)");
        assertThat(request.hasAsOf()).as("now: the server's clock").isFalse();
    }

    @Test
    void asOfAppliesToTheListToo() {
        FakeGateway.Run run = gateway.pql("scores", "--as-of", "2026-11-25");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(listed().getAsOf().getSeconds()).isEqualTo(java.time.Instant.parse("2026-11-25T00:00:00Z").getEpochSecond());
        assertThat(run.out()).contains("as of 2026-11-25T00:00:00Z");
    }

    @Test
    void optionsBecomeTheFilterTheOrderAndTheVersion() {
        FakeGateway.Run run = gateway.pql("scores", "--pql-only", "--open-only", "--order", "qualified_at", "--limit", "5",
                "--version", "3");

        assertThat(run.exitCode()).as(run.err()).isZero();
        ListAccountScoresRequest request = listed();
        assertThat(request.getFilter().getPqlOnly()).isTrue();
        assertThat(request.getFilter().getOpenOnly()).isTrue();
        assertThat(request.getOrderBy()).isEqualTo(AccountOrder.ACCOUNT_ORDER_QUALIFIED_AT_DESC);
        assertThat(request.getPageSize()).isEqualTo(5);
        assertThat(request.getDefinitionVersion()).isEqualTo(3);
    }

    @Test
    void asOfAndKnownAtGoWithTheListAndWithOneAccount() {
        FakeGateway.Run run = gateway.pql("scores", "--as-of", "2026-11-25", "--known-at", "2026-11-26T08:00:00Z");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(listed().getAsOf()).isEqualTo(Timestamps.parseUnchecked("2026-11-25T00:00:00Z"));
        assertThat(listed().getKnownAt()).isEqualTo(Timestamps.parseUnchecked("2026-11-26T08:00:00Z"));

        gateway.pql("scores", "--account", "acme", "--known-at", "2026-11-26");
        GetAccountScoreRequest one = gateway.last("GetAccountScore", GetAccountScoreRequest.class);
        assertThat(one.getKnownAt()).isEqualTo(Timestamps.parseUnchecked("2026-11-26T00:00:00Z"));
        assertThat(one.hasAsOf()).isFalse();
    }

    @Test
    void everyOrderMapsToItsApiOrderWhateverItsCase() {
        gateway.pql("scores", "--order", "ACTIVATION");
        assertThat(listed().getOrderBy()).isEqualTo(AccountOrder.ACCOUNT_ORDER_ACTIVATION_DESC);
        gateway.pql("scores", "--order", "account_id");
        assertThat(listed().getOrderBy()).isEqualTo(AccountOrder.ACCOUNT_ORDER_ACCOUNT_ID);
        gateway.pql("scores", "--order", "engagement");
        assertThat(listed().getOrderBy()).isEqualTo(AccountOrder.ACCOUNT_ORDER_ENGAGEMENT_DESC);
    }

    @Test
    void theLimitIsKeptWithinOneToAThousand() {
        gateway.pql("scores", "--limit", "0");
        assertThat(listed().getPageSize()).isEqualTo(1);
        gateway.pql("scores", "--limit", "5000");
        assertThat(listed().getPageSize()).isEqualTo(1000);
    }

    @Test
    void anUnknownOrderIsAUsageErrorListingTheChoices() {
        FakeGateway.Run run = gateway.pql("scores", "--order", "popularity");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Invalid value for option '--order'")
                .contains("engagement, activation, qualified_at, account_id").contains("'popularity'");
        assertThat(gateway.calls("ListAccountScores")).isZero();
    }

    @Test
    void aLimitOrVersionThatIsNotANumberIsAUsageError() {
        FakeGateway.Run limit = gateway.pql("scores", "--limit", "many");
        FakeGateway.Run version = gateway.pql("scores", "--version", "latest");

        assertThat(limit.exitCode()).isEqualTo(2);
        assertThat(limit.err()).contains("Invalid value for option '--limit': 'many' is not an int");
        assertThat(version.exitCode()).isEqualTo(2);
        assertThat(version.err()).contains("Invalid value for option '--version': 'latest' is not an int");
        assertThat(gateway.calls("ListAccountScores")).isZero();
    }

    @Test
    void anAccountIsShownInDetailAsOfADateUnderAVersion() {
        FakeGateway.Run run = gateway.pql("scores", "--account", "acme", "--as-of", "2025-06-01", "--version", "2");

        assertThat(run.exitCode()).as(run.err()).isZero();
        GetAccountScoreRequest request = gateway.last("GetAccountScore", GetAccountScoreRequest.class);
        assertThat(request.getAccountId()).isEqualTo("acme");
        assertThat(request.getAsOf()).isEqualTo(Timestamps.parseUnchecked("2025-06-01T00:00:00Z"));
        assertThat(request.getDefinitionVersion()).isEqualTo(2);
        assertThat(gateway.calls("ListAccountScores")).isZero();
        assertThat(FakeGateway.lines(run.out()).get(0)).isEqualTo("acme  Account acme");
        assertThat(run.out()).contains("activation 50% (high)").contains("PQL yes: criteria_met");
    }

    @Test
    void asOfTakesAnInstantToo() {
        gateway.pql("scores", "--account", "acme", "--as-of", "2025-06-01T12:30:00Z");

        assertThat(gateway.last("GetAccountScore", GetAccountScoreRequest.class).getAsOf())
                .isEqualTo(Timestamps.parseUnchecked("2025-06-01T12:30:00Z"));
    }

    @Test
    void anAsOfThatIsNeitherADateNorAnInstantFailsBeforeAnyCall() {
        FakeGateway.Run run = gateway.pql("scores", "--account", "acme", "--as-of", "yesterday");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("error: ").contains("'yesterday'");
        assertThat(gateway.calls("GetAccountScore")).isZero();
    }

    @Test
    void anUnknownAccountPrintsTheGatewaysNotFound() {
        FakeGateway.Run run = gateway.pql("scores", "--account", "nobody");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip()).isEqualTo("error: NOT_FOUND: account nobody has no events");
    }

    @Test
    void jsonPrintsTheApisAnswer() {
        FakeGateway.Run list = gateway.pql("scores", "--json");
        FakeGateway.Run one = gateway.pql("scores", "--account", "acme", "--json");

        assertThat(list.out()).startsWith("{").contains("\"scores\"", "\"accountId\": \"acme\"", "\"totalSize\": \"20\"");
        assertThat(one.out()).startsWith("{").contains("\"accountId\": \"acme\"").doesNotContain("\"scores\"");
    }
}
