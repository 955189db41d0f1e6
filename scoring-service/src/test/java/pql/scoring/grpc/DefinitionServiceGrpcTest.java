package pql.scoring.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.common.grpc.GrpcErrors;
import pql.scoring.testing.Await;
import pql.scoring.testing.SampleHistory;
import pql.v1.AccountScore;
import pql.v1.ActivationStep;
import pql.v1.DefinitionStatus;
import pql.v1.DefinitionVersion;
import pql.v1.DiffRescoreRequest;
import pql.v1.DiffRescoreResponse;
import pql.v1.DiscardRescoreRequest;
import pql.v1.GetAccountScoreRequest;
import pql.v1.GetDefinitionPresetRequest;
import pql.v1.GetDefinitionRequest;
import pql.v1.GetRescoreRequest;
import pql.v1.ListDefinitionsRequest;
import pql.v1.ListDefinitionsResponse;
import pql.v1.Persona;
import pql.v1.PersonaOdds;
import pql.v1.ProductComplexity;
import pql.v1.PromoteDefinitionRequest;
import pql.v1.PublishDefinitionRequest;
import pql.v1.PublishDefinitionResponse;
import pql.v1.RescoreStatus;
import pql.v1.ScoringDefinition;
import pql.v1.StartRescoreRequest;
import pql.v1.StreamAccountScoresRequest;

class DefinitionServiceGrpcTest {

    @TempDir
    Path directory;

    private ScoringServerFixture fixture;
    private final SampleHistory history = SampleHistory.generate(11, 30, 50);

    @BeforeEach
    void start() throws Exception {
        fixture = new ScoringServerFixture(directory);
        fixture.append(history, 0, history.size());
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    private ScoringDefinition preset(ProductComplexity complexity) {
        return fixture.definitions.getDefinitionPreset(GetDefinitionPresetRequest.newBuilder()
                .setProductComplexity(complexity).build());
    }

    @Test
    void theIntermediatePresetIsVersionOneAndActiveOnFirstStart() {
        DefinitionVersion active = fixture.definitions.getDefinition(GetDefinitionRequest.getDefaultInstance());
        assertThat(active.getVersion()).isEqualTo(1);
        assertThat(active.getStatus()).isEqualTo(DefinitionStatus.DEFINITION_STATUS_ACTIVE);
        assertThat(active.getPublishedBy()).isEqualTo("system");
        assertThat(active.getDefinition().getPql().getSmallThreshold()).isEqualTo(0.75);
        assertThat(active.getDefinition().getPql().getMidThreshold()).isEqualTo(0.50);
        assertThat(active.getDefinition().getPql().getLargeThreshold()).isEqualTo(0.25);
        assertThat(active.getDefinition()).isEqualTo(preset(ProductComplexity.PRODUCT_COMPLEXITY_INTERMEDIATE));
    }

    @Test
    void publishingValidatesFieldByFieldAndReportsWarnings() {
        ScoringDefinition broken = preset(ProductComplexity.PRODUCT_COMPLEXITY_INTERMEDIATE).toBuilder()
                .setName("")
                .setActivation(pql.v1.ActivationChecklist.newBuilder()
                        .addSteps(ActivationStep.newBuilder().setKey("a").setAction("x").setMinCount(0))
                        .addSteps(ActivationStep.newBuilder().setKey("a").setAction("y").setMinCount(1)))
                .setPql(preset(ProductComplexity.PRODUCT_COMPLEXITY_INTERMEDIATE).getPql().toBuilder()
                        .setMidThreshold(1.5))
                .addPersonaOdds(PersonaOdds.newBuilder().setPersona(Persona.PERSONA_FIZZLER).setOdds(0.2))
                .build();
        assertThatThrownBy(() -> fixture.definitions.publishDefinition(PublishDefinitionRequest.newBuilder()
                .setDefinition(broken).build())).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(GrpcErrors.fieldViolations(e)).extracting(v -> v.getField()).contains(
                            "definition.name", "definition.activation.steps[0].min_count",
                            "definition.activation.steps[1].key", "definition.pql.mid_threshold",
                            "definition.persona_odds[7].persona");
                });
        ScoringDefinition unknownEnum = preset(ProductComplexity.PRODUCT_COMPLEXITY_INTERMEDIATE).toBuilder()
                .setProductComplexityValue(9).build();
        assertThatThrownBy(() -> fixture.definitions.publishDefinition(PublishDefinitionRequest.newBuilder()
                .setDefinition(unknownEnum).build())).isInstanceOfSatisfying(StatusRuntimeException.class, e ->
                        assertThat(GrpcErrors.fieldViolations(e)).extracting(v -> v.getField())
                                .contains("definition.product_complexity"));

        ScoringDefinition fourSteps = preset(ProductComplexity.PRODUCT_COMPLEXITY_SIMPLE).toBuilder()
                .setActivation(pql.v1.ActivationChecklist.newBuilder().addAllSteps(
                        preset(ProductComplexity.PRODUCT_COMPLEXITY_SIMPLE).getActivation().getStepsList().subList(0, 4)))
                .build();
        PublishDefinitionResponse checked = fixture.definitions.publishDefinition(PublishDefinitionRequest.newBuilder()
                .setDefinition(fourSteps).setValidateOnly(true).build());
        assertThat(checked.getVersion()).isZero();
        assertThat(checked.getWarningsList()).extracting(w -> w.getField()).containsExactly("activation.steps");
        assertThat(fixture.definitions.listDefinitions(ListDefinitionsRequest.getDefaultInstance())
                .getDefinitionsCount()).as("validate_only stores nothing").isEqualTo(1);
    }

    @Test
    void sectionsLeftOutAreFilledFromThePresetOfTheComplexity() {
        ScoringDefinition minimal = ScoringDefinition.newBuilder().setName("complex, default rules")
                .setProductComplexity(ProductComplexity.PRODUCT_COMPLEXITY_COMPLEX)
                .setActivation(preset(ProductComplexity.PRODUCT_COMPLEXITY_COMPLEX).getActivation()).build();
        PublishDefinitionResponse published = fixture.definitions.publishDefinition(PublishDefinitionRequest
                .newBuilder().setDefinition(minimal).build());
        assertThat(published.getVersion()).isEqualTo(2);
        assertThat(published.getDefinition().getPql().getMidThreshold()).isEqualTo(0.25);
        assertThat(published.getDefinition().getPersonaOddsCount()).isEqualTo(7);
        DefinitionVersion stored = fixture.definitions.getDefinition(GetDefinitionRequest.newBuilder().setVersion(2).build());
        assertThat(stored.getPublishedBy()).isEqualTo("platform-team");
        assertThat(stored.getStatus()).isEqualTo(DefinitionStatus.DEFINITION_STATUS_PUBLISHED);
    }

    @Test
    void listingPagesNewestFirst() {
        for (int i = 0; i < 4; i++) {
            fixture.definitions.publishDefinition(PublishDefinitionRequest.newBuilder().setDefinition(
                    preset(ProductComplexity.PRODUCT_COMPLEXITY_SIMPLE).toBuilder().setName("v" + (i + 2))).build());
        }
        List<Integer> versions = new ArrayList<>();
        String token = "";
        do {
            ListDefinitionsResponse page = fixture.definitions.listDefinitions(ListDefinitionsRequest.newBuilder()
                    .setPageSize(2).setPageToken(token).build());
            page.getDefinitionsList().forEach(d -> versions.add(d.getVersion()));
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        assertThat(versions).containsExactly(5, 4, 3, 2, 1);
    }

    /** Accounts of MID size with 2 of 6 steps (33%): a PQL for a complex product (25%), not an intermediate one (50%). */
    private void appendQuietMidAccounts(int count) {
        for (int a = 0; a < count; a++) {
            String account = "quiet-" + a;
            var events = List.of(
                    SampleHistory.envelope(account, 0, SampleHistory.START, pql.v1.AccountProfiled.newBuilder()
                            .setName("Quiet " + a).setOpportunitySize(pql.v1.OpportunitySize.OPPORTUNITY_SIZE_MID).build()),
                    SampleHistory.envelope(account, 1, SampleHistory.START.plusSeconds(60), pql.v1.ProductAction
                            .newBuilder().setUserId("u").setAction("workspace_created").build()),
                    SampleHistory.envelope(account, 2, SampleHistory.START.plusSeconds(120), pql.v1.ProductAction
                            .newBuilder().setUserId("u").setAction("data_connected").build()));
            fixture.store.append(pql.eventstore.StreamIds.forAccount(account), pql.eventstore.ExpectedVersion.ANY, events);
        }
        fixture.awaitCaughtUp();
    }

    @Test
    void rescoreLifecyclePublishReplayDiffPromote() {
        appendQuietMidAccounts(5);
        // v2: a complex product qualifies earlier, so more accounts become PQLs
        int v2 = fixture.definitions.publishDefinition(PublishDefinitionRequest.newBuilder().setDefinition(
                preset(ProductComplexity.PRODUCT_COMPLEXITY_COMPLEX).toBuilder().setName("complex")).build()).getVersion();
        assertThat(code(() -> fixture.definitions.promoteDefinition(PromoteDefinitionRequest.newBuilder()
                .setVersion(v2).build()))).as("no rescore yet").isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(code(() -> fixture.definitions.startRescore(StartRescoreRequest.newBuilder().setVersion(1).build())))
                .as("v1 is active").isEqualTo(Status.Code.FAILED_PRECONDITION);

        RescoreStatus started = fixture.definitions.startRescore(StartRescoreRequest.newBuilder().setVersion(v2).build());
        assertThat(started.getEventsTotal()).isEqualTo(fixture.store.headPosition());
        assertThat(code(() -> fixture.definitions.startRescore(StartRescoreRequest.newBuilder().setVersion(v2).build())))
                .isEqualTo(Status.Code.FAILED_PRECONDITION);
        Await.until("rescore READY", () -> fixture.definitions.getRescore(GetRescoreRequest.newBuilder().setVersion(v2)
                .build()).getStatus() == DefinitionStatus.DEFINITION_STATUS_READY);
        RescoreStatus ready = fixture.definitions.getRescore(GetRescoreRequest.newBuilder().setVersion(v2).build());
        assertThat(ready.getEventsDone()).isEqualTo(ready.getEventsTotal());
        assertThat(ready.getEtaSeconds()).isZero();
        assertThat(ready.getEventsPerSecond()).isPositive();
        assertThat(ready.hasCaughtUpAt()).isTrue();

        Map<String, Boolean> before = pqlStatus(0);
        DiffRescoreResponse diff = fixture.definitions.diffRescore(DiffRescoreRequest.newBuilder().setVersion(v2)
                .setPageSize(1000).build());
        assertThat(diff.getBaselineVersion()).isEqualTo(1);
        assertThat(diff.getCandidateVersion()).isEqualTo(v2);
        assertThat(diff.getAccountsCompared()).isEqualTo(35);
        assertThat(diff.getPqlGained()).isGreaterThanOrEqualTo(5);
        assertThat(diff.getPqlLost()).isZero();
        assertThat(diff.getChangesList()).hasSize((int) diff.getAccountsChanged());
        diff.getChangesList().stream().filter(c -> !c.getPqlBefore() && c.getPqlAfter())
                .forEach(c -> assertThat(before.get(c.getAccountId())).isFalse());
        DiffRescoreResponse firstPage = fixture.definitions.diffRescore(DiffRescoreRequest.newBuilder().setVersion(v2)
                .setPageSize(2).build());
        DiffRescoreResponse secondPage = fixture.definitions.diffRescore(DiffRescoreRequest.newBuilder().setVersion(v2)
                .setPageSize(2).setPageToken(firstPage.getNextPageToken()).build());
        assertThat(secondPage.getChanges(0).getAccountId()).isEqualTo(diff.getChanges(2).getAccountId());

        DefinitionVersion promoted = fixture.definitions.promoteDefinition(PromoteDefinitionRequest.newBuilder()
                .setVersion(v2).build());
        assertThat(promoted.getStatus()).isEqualTo(DefinitionStatus.DEFINITION_STATUS_ACTIVE);
        assertThat(fixture.definitions.getDefinition(GetDefinitionRequest.newBuilder().setVersion(1).build())
                .getStatus()).isEqualTo(DefinitionStatus.DEFINITION_STATUS_RETIRED);
        Map<String, Boolean> after = pqlStatus(0);
        assertThat(after.values().stream().filter(b -> b).count())
                .isEqualTo(before.values().stream().filter(b -> b).count() + diff.getPqlGained());
        AccountScore score = fixture.scoring.getAccountScore(GetAccountScoreRequest.newBuilder()
                .setAccountId(diff.getChanges(0).getAccountId()).build());
        assertThat(score.getDefinitionVersion()).isEqualTo(v2);

        assertThat(after).containsEntry("quiet-0", true);

        // the promoted version keeps following live events
        fixture.store.append(pql.eventstore.StreamIds.forAccount("late-1"), pql.eventstore.ExpectedVersion.ANY,
                List.of(SampleHistory.envelope("late-1", 0, SampleHistory.START, pql.v1.PlanLimitReached.newBuilder()
                        .setLimit("seats").build())));
        Await.until("late account scored by v2", () -> pqlStatus(0).containsKey("late-1"));
        assertThat(fixture.scoring.getAccountScore(GetAccountScoreRequest.newBuilder().setAccountId("late-1").build())
                .getDefinitionVersion()).isEqualTo(v2);
    }

    @Test
    void aDiscardedRescoreCanBeStartedAgain() {
        int v2 = fixture.definitions.publishDefinition(PublishDefinitionRequest.newBuilder().setDefinition(
                preset(ProductComplexity.PRODUCT_COMPLEXITY_SIMPLE)).build()).getVersion();
        fixture.definitions.startRescore(StartRescoreRequest.newBuilder().setVersion(v2).build());
        RescoreStatus discarded = fixture.definitions.discardRescore(DiscardRescoreRequest.newBuilder()
                .setVersion(v2).build());
        assertThat(discarded.getStatus()).isEqualTo(DefinitionStatus.DEFINITION_STATUS_PUBLISHED);
        assertThat(code(() -> fixture.definitions.discardRescore(DiscardRescoreRequest.newBuilder().setVersion(v2)
                .build()))).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(code(() -> fixture.definitions.diffRescore(DiffRescoreRequest.newBuilder().setVersion(v2).build())))
                .isEqualTo(Status.Code.FAILED_PRECONDITION);
        fixture.definitions.startRescore(StartRescoreRequest.newBuilder().setVersion(v2).build());
        Await.until("READY again", () -> fixture.definitions.getRescore(GetRescoreRequest.newBuilder().setVersion(v2)
                .build()).getStatus() == DefinitionStatus.DEFINITION_STATUS_READY);
    }

    @Test
    void badRequestsGetPreciseStatuses() {
        assertThat(code(() -> fixture.definitions.getDefinition(GetDefinitionRequest.newBuilder().setVersion(7).build())))
                .isEqualTo(Status.Code.NOT_FOUND);
        assertThat(field(() -> fixture.definitions.getDefinition(GetDefinitionRequest.newBuilder().setVersion(-2)
                .build()))).isEqualTo("version");
        assertThat(field(() -> fixture.definitions.getDefinitionPreset(GetDefinitionPresetRequest.getDefaultInstance())))
                .isEqualTo("product_complexity");
        assertThat(field(() -> fixture.definitions.publishDefinition(PublishDefinitionRequest.getDefaultInstance())))
                .isEqualTo("definition");
        assertThat(field(() -> fixture.definitions.listDefinitions(ListDefinitionsRequest.newBuilder().setPageSize(501)
                .build()))).isEqualTo("page_size");
        assertThat(field(() -> fixture.definitions.listDefinitions(ListDefinitionsRequest.newBuilder()
                .setPageToken("zzz").build()))).isEqualTo("page_token");
        assertThat(field(() -> fixture.definitions.startRescore(StartRescoreRequest.getDefaultInstance())))
                .isEqualTo("version");
        assertThat(code(() -> fixture.definitions.startRescore(StartRescoreRequest.newBuilder().setVersion(42).build())))
                .isEqualTo(Status.Code.NOT_FOUND);
        assertThat(code(() -> fixture.definitions.getRescore(GetRescoreRequest.newBuilder().setVersion(42).build())))
                .isEqualTo(Status.Code.NOT_FOUND);
        assertThat(field(() -> fixture.definitions.diffRescore(DiffRescoreRequest.newBuilder().setVersion(1)
                .setPageSize(5000).build()))).isEqualTo("page_size");
    }

    private Map<String, Boolean> pqlStatus(int version) {
        Map<String, Boolean> status = new TreeMap<>();
        fixture.scoring.streamAccountScores(StreamAccountScoresRequest.newBuilder().setDefinitionVersion(version).build())
                .forEachRemaining(chunk -> chunk.getScoresList().forEach(s -> status.put(s.getAccountId(),
                        s.getPql().getIsPql())));
        return status;
    }

    private static Status.Code code(Runnable call) {
        try {
            call.run();
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }

    private static String field(Runnable call) {
        try {
            call.run();
            return "(no error)";
        } catch (StatusRuntimeException e) {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            return GrpcErrors.fieldViolations(e).get(0).getField();
        }
    }
}
