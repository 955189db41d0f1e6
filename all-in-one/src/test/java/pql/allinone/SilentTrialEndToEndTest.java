package pql.allinone;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.allinone.support.RunningAllInOne;
import pql.gateway.support.RunningGateway;
import pql.v1.AccountProfiled;
import pql.v1.AccountScore;
import pql.v1.ClassifyAccountRequest;
import pql.v1.Event;
import pql.v1.Forecast;
import pql.v1.ForecastLine;
import pql.v1.ForecastServiceGrpc;
import pql.v1.GetAccountScoreRequest;
import pql.v1.GetForecastRequest;
import pql.v1.IngestBatchRequest;
import pql.v1.IngestBatchResponse;
import pql.v1.IngestServiceGrpc;
import pql.v1.Level;
import pql.v1.ListAccountScoresRequest;
import pql.v1.Money;
import pql.v1.OpportunitySize;
import pql.v1.Persona;
import pql.v1.Plan;
import pql.v1.ProductAction;
import pql.v1.ScoringServiceGrpc;
import pql.v1.StreamForecastLinesRequest;

/**
 * Issue #11's Fizzler, through the gateway of the real all-in-one: a trial whose engagement tailed off
 * weeks ago ("engagement tails off, and they're gone", seed 004) used to be shown as a Silent Success at
 * 75% in every current view, because each account was evaluated as of its own newest event. Every
 * current view now evaluates at the clock of the request.
 *
 * <p>Given two $20,000 MID trials that completed the whole checklist and created 40 reports (120
 * engagement points, HIGH >= 100 in a 30-day window): "faded-co" did it all 40 days ago and nothing
 * since, "active-co" an hour ago.
 */
class SilentTrialEndToEndTest {

    @TempDir
    static Path directory;
    static RunningAllInOne allInOne;
    static Instant fadedLastEvent;

    private static final List<String> CHECKLIST = List.of("workspace_created", "data_connected", "teammate_invited",
            "teammate_invited", "report_created", "report_created", "report_created", "dashboard_shared",
            "integration_enabled");

    @BeforeAll
    static void start() throws Exception {
        allInOne = new RunningAllInOne(new SuiteModules(), directory, Map.of("sampleData.loadOnFirstStart", "false"));
        Instant now = Instant.now();
        fadedLastEvent = ingestTrial("faded-co", now.minus(Duration.ofDays(40)));
        ingestTrial("active-co", now.minus(Duration.ofHours(1)));
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (scoring().listAccountScores(ListAccountScoresRequest.newBuilder().build()).getTotalSize() < 2
                || scoring().getAccountScore(GetAccountScoreRequest.newBuilder().setAccountId("active-co").build())
                        .getEventsApplied() < 1 + CHECKLIST.size() + 40) {
            assertThat(System.nanoTime()).as("both trials scored within 60 s").isLessThan(giveUp);
            Thread.sleep(100);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (allInOne != null) {
            allInOne.close();
        }
    }

    /** Profile, checklist and 40 reports, a second apart from {@code start}; returns the last event's time. */
    private static Instant ingestTrial(String accountId, Instant start) {
        List<Event> events = new ArrayList<>();
        Instant at = start;
        events.add(event(accountId, 0, at, Event.newBuilder().setAccountProfiled(AccountProfiled.newBuilder()
                .setName(accountId).setPlan(Plan.PLAN_TRIAL).setOpportunitySize(OpportunitySize.OPPORTUNITY_SIZE_MID)
                .setDealSize(Money.newBuilder().setAmountMicros(20_000_000_000L).setCurrency("USD"))
                .setTrialStart(timestamp(start)).setTrialEnd(timestamp(Instant.now().plus(Duration.ofDays(20)))))));
        List<String> actions = new ArrayList<>(CHECKLIST);
        for (int i = 0; i < 40; i++) {
            actions.add("report_created");
        }
        for (String action : actions) {
            at = at.plusSeconds(1);
            events.add(event(accountId, events.size(), at, Event.newBuilder().setProductAction(
                    ProductAction.newBuilder().setUserId("u1").setAction(action))));
        }
        IngestBatchResponse response = IngestServiceGrpc.newBlockingStub(allInOne.channel())
                .withCallCredentials(RunningGateway.bearer(allInOne.localKey())).withDeadlineAfter(30, TimeUnit.SECONDS)
                .ingestBatch(IngestBatchRequest.newBuilder().addAllEvents(events).build());
        assertThat(response.getAccepted()).isEqualTo(events.size());
        return at;
    }

    private static Event event(String accountId, int sequence, Instant at, Event.Builder kind) {
        return kind.setEventId(accountId + "-" + sequence).setAccountId(accountId).setOccurredAt(timestamp(at)).build();
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    private static ScoringServiceGrpc.ScoringServiceBlockingStub scoring() {
        return ScoringServiceGrpc.newBlockingStub(allInOne.channel())
                .withCallCredentials(RunningGateway.bearer(allInOne.localKey())).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private static ForecastServiceGrpc.ForecastServiceBlockingStub forecasts() {
        return ForecastServiceGrpc.newBlockingStub(allInOne.channel())
                .withCallCredentials(RunningGateway.bearer(allInOne.localKey())).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private static Persona personaOf(String accountId, Instant asOf) {
        ClassifyAccountRequest.Builder request = ClassifyAccountRequest.newBuilder().setAccountId(accountId);
        if (asOf != null) {
            request.setAsOf(timestamp(asOf));
        }
        return forecasts().classifyAccount(request.build()).getPersona();
    }

    @Test
    void aTrialThatFadedWeeksAgoIsAFizzlerNowThoughItWasASilentSuccessAtItsLastEvent() {
        assertThat(personaOf("faded-co", fadedLastEvent)).isEqualTo(Persona.PERSONA_SILENT_SUCCESS);
        assertThat(personaOf("faded-co", null)).isEqualTo(Persona.PERSONA_FIZZLER);
        assertThat(personaOf("active-co", null)).isEqualTo(Persona.PERSONA_SILENT_SUCCESS);

        AccountScore faded = scoring().getAccountScore(GetAccountScoreRequest.newBuilder().setAccountId("faded-co").build());
        assertThat(faded.getEngagement().getLevel()).isEqualTo(Level.LEVEL_LOW);
        assertThat(Instant.ofEpochSecond(faded.getAsOf().getSeconds())).as("evaluated now, not at its last event")
                .isAfter(Instant.now().minusSeconds(60));
    }

    @Test
    void theForecastAndItsLinesPriceTheFadedTrialAtFizzlerOddsAndStateOneInstant() throws StatusRuntimeException {
        Instant before = Instant.now().minusSeconds(1);

        Forecast forecast = forecasts().getForecast(GetForecastRequest.getDefaultInstance());

        assertThat(forecast.getOpenTrials()).isEqualTo(2);
        // 20,000 x 0.10 (Fizzler) + 20,000 x 0.75 (Silent Success); it was 2 x 15,000 before
        assertThat(forecast.getExpectedRevenue().getAmountMicros()).isEqualTo(17_000_000_000L);
        Instant asOf = Instant.ofEpochSecond(forecast.getAsOf().getSeconds(), forecast.getAsOf().getNanos());
        assertThat(asOf).isAfter(before).isBefore(Instant.now().plusSeconds(1));

        Iterator<ForecastLine> lines = forecasts().streamForecastLines(StreamForecastLinesRequest.getDefaultInstance());
        List<String> personas = new ArrayList<>();
        lines.forEachRemaining(line -> personas.add(line.getAccountId() + "=" + line.getClassification().getPersona()));
        assertThat(personas).containsExactlyInAnyOrder("faded-co=PERSONA_FIZZLER", "active-co=PERSONA_SILENT_SUCCESS");
    }
}
