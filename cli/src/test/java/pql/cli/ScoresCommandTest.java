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
    void asOfTakesYesterdayTodayAndAnAgeAsWellAsDatesAndInstants() {
        java.time.Instant startOfToday = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.DAYS);

        assertThat(gateway.pql("scores", "--as-of", "yesterday").exitCode()).isZero();
        assertThat(listed().getAsOf().getSeconds()).isEqualTo(startOfToday.minus(java.time.Duration.ofDays(1)).getEpochSecond());
        assertThat(gateway.pql("scores", "--account", "acme", "--as-of", "7d", "--known-at", "today").exitCode()).isZero();
        GetAccountScoreRequest one = gateway.last("GetAccountScore", GetAccountScoreRequest.class);
        assertThat(one.getAsOf().getSeconds())
                .isCloseTo(java.time.Instant.now().minus(java.time.Duration.ofDays(7)).getEpochSecond(), org.assertj.core.data.Offset.offset(60L));
        assertThat(one.getKnownAt().getSeconds()).isEqualTo(startOfToday.getEpochSecond());
    }

    @Test
    void allPagesThroughEveryMatchingAccountWithThePageTokens() {
        java.util.List<pql.v1.AccountScore> many = new java.util.ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            many.add(FakeGateway.score(String.format("acct-%04d", i), "Account " + i, 0.5, 10, false));
        }
        gateway.accounts.clear();
        gateway.accounts.addAll(many);

        FakeGateway.Run run = gateway.pql("scores", "--all", "--as-of", "2026-11-25");

        assertThat(run.exitCode()).as(run.err()).isZero();
        java.util.List<ListAccountScoresRequest> pages = gateway.requests("ListAccountScores", ListAccountScoresRequest.class);
        assertThat(pages).extracting(ListAccountScoresRequest::getPageToken).containsExactly("", "1000", "2000");
        assertThat(pages).allSatisfy(page -> {
            assertThat(page.getPageSize()).isEqualTo(1000);
            assertThat(page.getAsOf()).isEqualTo(pages.get(0).getAsOf());
        });
        assertThat(run.out()).contains("acct-0000", "acct-1999", "acct-2499").contains("2,500 of 25,000 matching accounts");
    }

    @Test
    void allAndLimitExcludeEachOther() {
        FakeGateway.Run run = gateway.pql("scores", "--all", "--limit", "5");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(FakeGateway.lines(run.err()).get(0)).isEqualTo("--limit and --all exclude each other: --all lists every matching account");
        assertThat(gateway.calls("ListAccountScores")).isZero();
    }

    @Test
    void anOrderTakesItsHyphenatedFormToo() {
        assertThat(gateway.pql("scores", "--order", "qualified-at").exitCode()).isZero();
        assertThat(listed().getOrderBy()).isEqualTo(AccountOrder.ACCOUNT_ORDER_QUALIFIED_AT_DESC);
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
                "--definition", "3");

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
    void aLimitOutsideOneToAThousandIsAUsageErrorNotSilentlyChanged() {
        FakeGateway.Run zero = gateway.pql("scores", "--limit", "0");
        FakeGateway.Run tooMany = gateway.pql("scores", "--limit", "5000");

        assertThat(zero.exitCode()).isEqualTo(2);
        assertThat(FakeGateway.lines(zero.err()).get(0))
                .isEqualTo("--limit: must be between 1 and 1,000, was 0 (--all lists every matching account)");
        assertThat(tooMany.exitCode()).isEqualTo(2);
        assertThat(tooMany.err()).contains("was 5000");
        assertThat(gateway.calls("ListAccountScores")).isZero();
        gateway.pql("scores", "--limit", "1000");
        assertThat(listed().getPageSize()).isEqualTo(1000);
    }

    @Test
    void anUnknownOrderIsAUsageErrorListingTheChoices() {
        FakeGateway.Run run = gateway.pql("scores", "--order", "popularity");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--sort: unknown value 'popularity'; one of engagement, activation, qualified_at, account_id,"
                + " expected_value, last_activity");
        assertThat(gateway.calls("ListAccountScores")).isZero();
    }

    @Test
    void aLimitOrVersionThatIsNotANumberIsAUsageError() {
        FakeGateway.Run limit = gateway.pql("scores", "--limit", "many");
        FakeGateway.Run version = gateway.pql("scores", "--definition", "latest");

        assertThat(limit.exitCode()).isEqualTo(2);
        assertThat(limit.err()).contains("Invalid value for option '--limit': 'many' is not an int");
        assertThat(version.exitCode()).isEqualTo(2);
        assertThat(version.err()).contains("Invalid value for option '--definition': 'latest' is not an int");
        assertThat(gateway.calls("ListAccountScores")).isZero();
    }

    @Test
    void anAccountIsShownInDetailAsOfADateUnderAVersion() {
        FakeGateway.Run run = gateway.pql("scores", "--account", "acme", "--as-of", "2025-06-01", "--definition", "2");

        assertThat(run.exitCode()).as(run.err()).isZero();
        GetAccountScoreRequest request = gateway.last("GetAccountScore", GetAccountScoreRequest.class);
        assertThat(request.getAccountId()).isEqualTo("acme");
        assertThat(request.getAsOf()).isEqualTo(Timestamps.parseUnchecked("2025-06-01T00:00:00Z"));
        assertThat(request.getDefinitionVersion()).isEqualTo(2);
        assertThat(gateway.calls("ListAccountScores")).isZero();
        assertThat(FakeGateway.lines(run.out()).get(0)).isEqualTo("acme  Account acme");
        assertThat(run.out()).contains("activation 50% (high)").contains("PQL yes: criteria_met")
                .contains("lead open, persona contrary_converter~ 60%, expected value 12,000 USD, last activity -");
    }

    @Test
    void asOfTakesAnInstantToo() {
        gateway.pql("scores", "--account", "acme", "--as-of", "2025-06-01T12:30:00Z");

        assertThat(gateway.last("GetAccountScore", GetAccountScoreRequest.class).getAsOf())
                .isEqualTo(Timestamps.parseUnchecked("2025-06-01T12:30:00Z"));
    }

    @Test
    void anAsOfThatIsNoDateIsAUsageErrorNamingTheOptionAndTheFormsBeforeAnyCall() {
        FakeGateway.Run run = gateway.pql("scores", "--account", "acme", "--as-of", "last tuesday");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(FakeGateway.lines(run.err()).get(0)).startsWith("Invalid value for option '--as-of': 'last tuesday' is not a date")
                .contains("2025-03-01", "2025-03-01T12:00:00Z", "yesterday", "7d");
        assertThat(run.err()).doesNotContain("could not be parsed");
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

    @Test
    void pqlOnlyIsTheLeadListOfOpenTrialsSortedByExpectedValueAndOwnerFiltersIt() {
        FakeGateway.Run run = gateway.pql("scores", "--pql-only", "--owner", "Dana");

        assertThat(run.exitCode()).as(run.err()).isZero();
        ListAccountScoresRequest request = listed();
        assertThat(request.getFilter().getPqlOnly()).isTrue();
        assertThat(request.getFilter().getStatusesList()).containsExactly(pql.v1.LeadStatus.LEAD_STATUS_OPEN);
        assertThat(request.getFilter().getOwnersList()).containsExactly("Dana");
        assertThat(request.getOrderBy()).isEqualTo(AccountOrder.ACCOUNT_ORDER_EXPECTED_VALUE_DESC);
    }

    @Test
    void withoutPqlOnlyTheSpectrumKeepsEveryStatusAndTheEngagementOrder() {
        assertThat(gateway.pql("scores", "--owner", "dana").exitCode()).isZero();

        assertThat(listed().getFilter().getStatusesList()).isEmpty();
        assertThat(listed().getOrderBy()).isEqualTo(AccountOrder.ACCOUNT_ORDER_ENGAGEMENT_DESC);
    }

    @Test
    void filtersTakeTheShortFormsAndStatusAnyDropsTheOpenDefault() {
        FakeGateway.Run run = gateway.pql("scores", "--pql-only", "--persona", "golden-lead", "--persona", "FIZZLER",
                "--size", "mid", "--kind", "hand_raiser", "--status", "converted", "--status", "lost", "--sort", "last-activity");

        assertThat(run.exitCode()).as(run.err()).isZero();
        var filter = listed().getFilter();
        assertThat(filter.getPersonasList()).containsExactly(pql.v1.Persona.PERSONA_GOLDEN_LEAD, pql.v1.Persona.PERSONA_FIZZLER);
        assertThat(filter.getOpportunitySizesList()).containsExactly(pql.v1.OpportunitySize.OPPORTUNITY_SIZE_MID);
        assertThat(filter.getKindsList()).containsExactly(pql.v1.PqlKind.PQL_KIND_HAND_RAISER);
        assertThat(filter.getStatusesList()).containsExactly(pql.v1.LeadStatus.LEAD_STATUS_CONVERTED, pql.v1.LeadStatus.LEAD_STATUS_LOST);
        assertThat(listed().getOrderBy()).isEqualTo(AccountOrder.ACCOUNT_ORDER_LAST_ACTIVITY_DESC);

        assertThat(gateway.pql("scores", "--pql-only", "--status", "any").exitCode()).isZero();
        assertThat(listed().getFilter().getStatusesList()).isEmpty();
    }

    @Test
    void aBadFilterValueIsAUsageErrorListingTheChoices() {
        FakeGateway.Run persona = gateway.pql("scores", "--persona", "unicorn");
        FakeGateway.Run status = gateway.pql("scores", "--status", "won");
        FakeGateway.Run mixed = gateway.pql("scores", "--status", "any", "--status", "lost");
        FakeGateway.Run owner = gateway.pql("scores", "--owner", " ");

        assertThat(persona.exitCode()).isEqualTo(2);
        assertThat(FakeGateway.lines(persona.err()).get(0)).isEqualTo("--persona: unknown value 'unicorn'; one of golden_lead,"
                + " silent_success, contrary_converter, positive_procrastinator, fizzler, incompatible_ignoramus, heartbreaker");
        assertThat(status.exitCode()).isEqualTo(2);
        assertThat(status.err()).contains("--status: unknown value 'won'; one of open, converted, lost, churned, paid, freemium");
        assertThat(mixed.exitCode()).isEqualTo(2);
        assertThat(owner.exitCode()).isEqualTo(2);
        assertThat(gateway.calls("ListAccountScores")).isZero();
    }

    @Test
    void eachRowShowsStatusDealPersonaWithOddsExpectedValueSinceAndLastActivity() {
        gateway.accounts.clear();
        gateway.accounts.add(FakeGateway.score("acme", "Acme Corp", 0.83, 120.5, true, pql.v1.PqlKind.PQL_KIND_HAND_RAISER)
                .toBuilder()
                .setProfile(FakeGateway.score("acme", "Acme Corp", 0, 0, true).getProfile().toBuilder()
                        .setDealSize(pql.v1.Money.newBuilder().setAmountMicros(40_000_000_000L).setCurrency("USD")))
                .setPql(pql.v1.PqlState.newBuilder().setIsPql(true).addKinds(pql.v1.PqlKind.PQL_KIND_HAND_RAISER)
                        .setQualifiedAt(Timestamps.parseUnchecked("2026-11-20T09:00:00Z")))
                .setLead(pql.v1.Lead.newBuilder().setStatus(pql.v1.LeadStatus.LEAD_STATUS_OPEN)
                        .setPersona(pql.v1.Persona.PERSONA_SILENT_SUCCESS).setOdds(0.75)
                        .setExpectedValue(pql.v1.Money.newBuilder().setAmountMicros(30_000_000_000L).setCurrency("USD"))
                        .setLastActivityAt(Timestamps.parseUnchecked("2026-12-01T17:00:00Z")))
                .build());

        FakeGateway.Run run = gateway.pql("scores", "--pql-only");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(FakeGateway.lines(run.out()).get(0)).contains("OWNER", "STATUS", "DEAL", "PERSONA", "EXP VALUE", "SINCE",
                "LAST ACTIVE");
        assertThat(FakeGateway.lines(run.out()).get(1)).contains("acme", "dana", "open", "40,000 USD", "silent_success 75%",
                "30,000 USD", "hand_raiser", "2026-11-20", "2026-12-01");
    }
}
