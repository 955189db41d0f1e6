package pql.allinone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.allinone.support.RunningAllInOne;
import pql.v1.AccountOrder;
import pql.v1.AccountScore;
import pql.v1.AccountScoreFilter;
import pql.v1.ForecastLine;
import pql.v1.ForecastServiceGrpc;
import pql.v1.LeadStatus;
import pql.v1.ListAccountScoresRequest;
import pql.v1.ListAccountScoresResponse;
import pql.v1.ScoringServiceGrpc;
import pql.v1.StreamForecastLinesRequest;

/**
 * Issue #14's lead list through the gateway of the real all-in-one with the sample data: {@code pql scores
 * --pql-only --owner X} used to list closed and converted trials with no status, persona or expected
 * value. Now the PQL list of one owner (any case) is their open trials by expected value, paged with a
 * total, and each row's persona, odds and expected value are the forecast's for that trial.
 */
class LeadListEndToEndTest {

    private static final int ACCOUNTS = 400;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path directory;
    static RunningAllInOne allInOne;

    @BeforeAll
    static void start() throws Exception {
        allInOne = new RunningAllInOne(new SuiteModules(), directory, Map.of("sampleData.accounts", Integer.toString(ACCOUNTS)))
                .awaitScored(ACCOUNTS);
    }

    @AfterAll
    static void stop() throws Exception {
        if (allInOne != null) {
            allInOne.close();
        }
    }

    private static ScoringServiceGrpc.ScoringServiceBlockingStub scoring() {
        return allInOne.stub(ScoringServiceGrpc::newBlockingStub);
    }

    private static ForecastServiceGrpc.ForecastServiceBlockingStub forecasts() {
        return allInOne.stub(ForecastServiceGrpc::newBlockingStub);
    }

    /** Every page of the request, as one list. */
    private static List<AccountScore> everyPage(ListAccountScoresRequest request, long[] total) {
        List<AccountScore> all = new ArrayList<>();
        ListAccountScoresResponse page = scoring().listAccountScores(request);
        all.addAll(page.getScoresList());
        total[0] = page.getTotalSize();
        while (!page.getNextPageToken().isEmpty()) {
            page = scoring().listAccountScores(request.toBuilder().setPageToken(page.getNextPageToken()).build());
            all.addAll(page.getScoresList());
        }
        return all;
    }

    @Test
    void anOwnersPqlListIsTheirOpenTrialsByExpectedValuePagedWithATotalAndAgreesWithTheForecast() {
        ListAccountScoresResponse everyPql = scoring().listAccountScores(ListAccountScoresRequest.newBuilder()
                .setFilter(AccountScoreFilter.newBuilder().setPqlOnly(true)).setPageSize(1000).build());
        assertThat(everyPql.getScoresList()).as("the sample's PQLs include closed trials")
                .anySatisfy(score -> assertThat(score.getLead().getStatus()).isNotEqualTo(LeadStatus.LEAD_STATUS_OPEN));
        String owner = everyPql.getScoresList().stream()
                .filter(score -> score.getLead().getStatus() == LeadStatus.LEAD_STATUS_OPEN)
                .findFirst().orElseThrow().getProfile().getOwner();
        var asOf = everyPql.getAsOf();

        long[] total = {0};
        List<AccountScore> leads = everyPage(ListAccountScoresRequest.newBuilder()
                .setFilter(AccountScoreFilter.newBuilder().setPqlOnly(true).addOwners(owner.toUpperCase(Locale.ROOT))
                        .addStatuses(LeadStatus.LEAD_STATUS_OPEN))
                .setOrderBy(AccountOrder.ACCOUNT_ORDER_EXPECTED_VALUE_DESC).setPageSize(3).setAsOf(asOf).build(), total);

        assertThat(leads).isNotEmpty().hasSize((int) total[0]);
        assertThat(leads).allSatisfy(score -> {
            assertThat(score.getProfile().getOwner()).isEqualToIgnoringCase(owner);
            assertThat(score.getLead().getStatus()).isEqualTo(LeadStatus.LEAD_STATUS_OPEN);
            assertThat(score.hasOutcome()).isFalse();
            assertThat(score.getPql().getIsPql()).isTrue();
        });
        List<Long> values = leads.stream().filter(score -> score.getLead().hasExpectedValue())
                .map(score -> score.getLead().getExpectedValue().getAmountMicros()).toList();
        assertThat(values).isNotEmpty().isSortedAccordingTo(Comparator.reverseOrder());

        Map<String, ForecastLine> lines = new HashMap<>();
        Iterator<ForecastLine> stream = forecasts().streamForecastLines(StreamForecastLinesRequest.newBuilder()
                .setAsOf(asOf).build());
        stream.forEachRemaining(line -> lines.put(line.getAccountId(), line));
        for (AccountScore lead : leads) {
            ForecastLine line = lines.get(lead.getAccountId());
            if (line == null) {
                continue; // not pipeline for the forecast (e.g. freemium, or no deal size)
            }
            assertThat(lead.getLead().getPersona()).as(lead.getAccountId()).isEqualTo(line.getClassification().getPersona());
            assertThat(lead.getLead().getOdds()).isEqualTo(line.getClassification().getOdds());
            assertThat(lead.getLead().getExpectedValue().getAmountMicros()).isEqualTo(line.getExpectedRevenue().getAmountMicros());
        }
        assertThat(leads).as("at least one lead is in the forecast").anySatisfy(lead ->
                assertThat(lines).containsKey(lead.getAccountId()));
    }

    @Test
    void classifyAccountAnswersScoringsPersonaNowAndJustBeforeATrialClosed() {
        List<AccountScore> scores = scoring().listAccountScores(ListAccountScoresRequest.newBuilder().setPageSize(1000).build())
                .getScoresList();
        List<AccountScore> closed = scores.stream().filter(score -> score.hasOutcome()
                && score.getOutcome().getPersona() != pql.v1.Persona.PERSONA_UNSPECIFIED).limit(5).toList();
        List<AccountScore> open = scores.stream().filter(score -> !score.hasOutcome()
                && score.getLead().getPersona() != pql.v1.Persona.PERSONA_UNSPECIFIED).limit(5).toList();
        assertThat(closed).as("the sample has closed trials with levels before close").isNotEmpty();
        assertThat(open).isNotEmpty();

        for (AccountScore score : closed) {
            pql.v1.PersonaClassification classification = forecasts().classifyAccount(pql.v1.ClassifyAccountRequest
                    .newBuilder().setAccountId(score.getAccountId()).setAsOf(score.getAsOf()).build());
            assertThat(classification.getPersona()).as(score.getAccountId()).isEqualTo(score.getOutcome().getPersona());
            assertThat(classification.getApproximate()).isEqualTo(score.getOutcome().getPersonaApproximate());
        }
        for (AccountScore score : open) {
            pql.v1.PersonaClassification classification = forecasts().classifyAccount(pql.v1.ClassifyAccountRequest
                    .newBuilder().setAccountId(score.getAccountId()).setAsOf(score.getAsOf()).build());
            assertThat(classification.getPersona()).as(score.getAccountId()).isEqualTo(score.getLead().getPersona());
            assertThat(classification.getApproximate()).isEqualTo(score.getLead().getPersonaApproximate());
            assertThat(classification.getOdds()).isEqualTo(score.getLead().getOdds());
        }
    }

    @Test
    void overHttpTheLeadListTakesTheShortFormsAndABadStatusIs400() throws Exception {
        String owner = scoring().listAccountScores(ListAccountScoresRequest.newBuilder().setPageSize(1).build())
                .getScores(0).getProfile().getOwner();
        HttpResponse<String> leads = allInOne.get("/api/v1/scores?pql_only=true&status=open&order_by=expected_value&owner="
                + URLEncoder.encode(owner.toUpperCase(Locale.ROOT), StandardCharsets.UTF_8) + "&page_size=1000", allInOne.localKey());
        HttpResponse<String> bad = allInOne.get("/api/v1/scores?status=won", allInOne.localKey());

        assertThat(leads.statusCode()).as(leads.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(leads.body());
        assertThat(body.get("scores")).isNotEmpty().allSatisfy(score -> {
            assertThat(score.get("lead").get("status").asText()).isEqualTo("LEAD_STATUS_OPEN");
            assertThat(score.get("profile").get("owner").asText()).isEqualToIgnoringCase(owner);
        });
        assertThat(body.get("totalSize").asLong()).isEqualTo(body.get("scores").size());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).get("fieldViolations").get(0).get("field").asText()).isEqualTo("status");
    }
}
