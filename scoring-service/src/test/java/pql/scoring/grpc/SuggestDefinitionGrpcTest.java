package pql.scoring.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.common.grpc.GrpcErrors;
import pql.eventstore.AppendRequest;
import pql.eventstore.ExpectedVersion;
import pql.eventstore.StreamIds;
import pql.scoring.testing.SampleHistory;
import pql.v1.EventEnvelope;
import pql.v1.Outcome;
import pql.v1.OutcomeKind;
import pql.v1.ProductAction;
import pql.v1.RuleVerdict;
import pql.v1.SuggestDefinitionRequest;
import pql.v1.SuggestDefinitionResponse;

/** DefinitionService.SuggestDefinition in process over a stored history with one planted predictor. */
class SuggestDefinitionGrpcTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path directory;

    private ScoringServerFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = new ScoringServerFixture(directory);
        appendTrials(300, new Random(5));
        fixture.awaitCaughtUp();
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    @Test
    void givenTrialsWhereAnApiKeyPredictsConversion_whenSuggesting_thenItIsPredictiveAndTheNoiseWeighsZero() {
        SuggestDefinitionResponse response = fixture.definitions.suggestDefinition(request(START, START.plus(Duration.ofDays(120))));

        assertThat(response.getTrialsClosed()).isEqualTo(300);
        assertThat(response.getFalseDiscoveryRate()).isEqualTo(0.05);
        assertThat(response.getBasedOnVersion()).isEqualTo(1);
        assertThat(response.getPredictorsList()).extracting(r -> r.getAction()).containsExactly("api_key_created");
        var best = response.getPredictors(0);
        assertThat(best.getVerdict()).isEqualTo(RuleVerdict.RULE_VERDICT_PREDICTIVE);
        assertThat(best.getTrialsMet() + best.getTrialsNotMet()).isEqualTo(300);
        assertThat(best.getRateMetLow()).isLessThan(best.getRateMet()).isGreaterThan(best.getRateNotMet());
        assertThat(best.getLift()).isCloseTo(best.getRateMet() / best.getRateNotMet(), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(response.getWeightZeroActionsList()).contains("help_article_viewed");
        assertThat(response.getDraft().getActivation().getStepsList()).extracting(s -> s.getAction()).containsExactly("api_key_created");
        assertThat(response.getNotesList()).extracting(n -> n.getList()).contains("activation.steps", "engagement.weights");
        assertThat(response.getRulesList()).anySatisfy(r -> assertThat(r.getVerdict()).isEqualTo(RuleVerdict.RULE_VERDICT_NOT_ENOUGH_DATA));
    }

    @Test
    void givenAPeriodBeforeEveryClose_whenSuggesting_thenNoTrialAndNothingSuggested() {
        SuggestDefinitionResponse response = fixture.definitions.suggestDefinition(request(START.minus(Duration.ofDays(400)), START));

        assertThat(response.getTrialsClosed()).isZero();
        assertThat(response.getPredictorsList()).isEmpty();
        assertThat(response.getDraft().getActivation().getStepsCount()).as("the active checklist is kept").isEqualTo(6);
    }

    @Test
    void badInputsAreInvalidArgumentsNamingTheField() {
        assertThat(violation(SuggestDefinitionRequest.getDefaultInstance())).containsExactly("from", "to");
        assertThat(violation(request(START, START))).containsExactly("to");
        assertThat(violation(request(START.plusSeconds(60), START))).containsExactly("to");
        assertThat(violation(request(START, START.plusSeconds(60)).toBuilder().setFalseDiscoveryRate(1.5).build()))
                .containsExactly("false_discovery_rate");
        assertThat(violation(request(START, START.plusSeconds(60)).toBuilder().setFalseDiscoveryRate(-0.1).build()))
                .containsExactly("false_discovery_rate");
        assertThat(violation(request(START, START.plusSeconds(60)).toBuilder()
                .setFrom(com.google.protobuf.Timestamp.newBuilder().setSeconds(Long.MAX_VALUE)).build())).contains("from");
    }

    private List<String> violation(SuggestDefinitionRequest request) {
        try {
            fixture.definitions.suggestDefinition(request);
            return List.of("(no error)");
        } catch (StatusRuntimeException e) {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            return GrpcErrors.fieldViolations(e).stream().map(v -> v.getField()).toList();
        }
    }

    private static SuggestDefinitionRequest request(Instant from, Instant to) {
        return SuggestDefinitionRequest.newBuilder().setFrom(SampleHistory.ts(from)).setTo(SampleHistory.ts(to)).build();
    }

    /** Trials of 30 days: 60% of converting ones and 10% of lost ones created an API key; everyone reads help articles. */
    private void appendTrials(int count, Random random) {
        List<AppendRequest> requests = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String account = "acct-" + i;
            Instant trialStart = START.plus(Duration.ofHours(7L * i));
            boolean converted = random.nextDouble() < 0.35;
            List<EventEnvelope> events = new ArrayList<>();
            if (random.nextDouble() < (converted ? 0.6 : 0.1)) {
                events.add(action(account, events.size(), trialStart.plus(Duration.ofDays(3)), "api_key_created"));
            }
            for (int h = random.nextInt(4); h > 0; h--) {
                events.add(action(account, events.size(), trialStart.plus(Duration.ofDays(1 + random.nextInt(25))), "help_article_viewed"));
            }
            Instant closed = trialStart.plus(Duration.ofDays(30));
            // An action after the close must not count.
            events.add(action(account, events.size() + 1, closed.plus(Duration.ofDays(2)), "api_key_created"));
            events.add(SampleHistory.envelope(account, events.size() + 1, closed, Outcome.newBuilder()
                    .setKind(converted ? OutcomeKind.OUTCOME_KIND_CONVERTED : OutcomeKind.OUTCOME_KIND_LOST).build()));
            requests.add(new AppendRequest(StreamIds.forAccount(account), ExpectedVersion.ANY, events));
        }
        fixture.store.append(requests);
    }

    private static EventEnvelope action(String account, int sequence, Instant at, String action) {
        return SampleHistory.envelope(account, sequence, at, ProductAction.newBuilder().setUserId("u-" + account).setAction(action).build());
    }
}
