package pql.scoring.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import pql.eventstore.StoredEvent;
import pql.eventstore.StreamIds;
import pql.scoring.domain.ProductComplexity;
import pql.scoring.domain.definition.CompiledDefinition;
import pql.scoring.domain.definition.DefinitionPresets;
import pql.scoring.domain.score.CohortPercentiles;
import pql.scoring.testing.SampleHistory;
import pql.v1.EventEnvelope;

/**
 * A single score read under a stream of events (issue #13, finding 7): it takes the engagement
 * percentiles already built within the refresh period instead of rebuilding every account's
 * summary under the projection's lock after each event, which under an ingest flood made reads
 * wait for seconds. Lists and exports keep the exact view of their instant.
 */
class ScoreReadPercentilesTest {

    private static final long AT = SampleHistory.AFTER_ALL_MILLIS;
    private static final long ONE_SECOND = TimeUnit.SECONDS.toNanos(1);

    private final CompiledDefinition definition =
            new CompiledDefinition(1, DefinitionPresets.forComplexity(ProductComplexity.INTERMEDIATE));
    private final List<EventEnvelope> history = SampleHistory.generate(7, 30, 20).events();
    private final ScoringProjection projection = new ScoringProjection(definition);
    private long position;

    private void apply(EventEnvelope envelope) {
        projection.apply(new StoredEvent(StreamIds.forAccount(envelope.getAccountId()), 0, ++position, envelope));
    }

    @Test
    void givenAViewOfThisSecondAndAnEventSince_whenAScoreIsReadWhileAViewIsBeingBuilt_thenItAnswersWithoutWaiting()
            throws Exception {
        history.subList(0, history.size() - 1).forEach(this::apply);
        ProjectionView built = projection.viewAt(AT);
        apply(history.get(history.size() - 1));

        CompletableFuture<CohortPercentiles> read;
        CompletableFuture<ProjectionView> list;
        synchronized (projection) { // another reader is rebuilding the view: it holds the projection's lock
            read = CompletableFuture.supplyAsync(() -> projection.percentilesAt(AT, ONE_SECOND));
            list = CompletableFuture.supplyAsync(() -> projection.viewAt(AT));
            assertThat(read.get(30, TimeUnit.SECONDS)).isSameAs(built.percentiles());
            Thread.sleep(100);
            assertThat(list).as("an exact view waits for the build").isNotDone();
        }
        assertThat(list.get(30, TimeUnit.SECONDS).changes()).as("and holds the event").isGreaterThan(built.changes());
    }

    @Test
    void givenAViewOfThePreviousSecond_whenAScoreIsReadWithinTheRefresh_thenThatViewServes() {
        history.forEach(this::apply);
        ProjectionView built = projection.viewAt(AT - 1_000);

        assertThat(projection.percentilesAt(AT, ONE_SECOND)).isSameAs(built.percentiles());
    }

    @Test
    void givenARebuildLateUnderLoad_whenAScoreIsReadWithinTheMaxAge_thenTheOlderViewServesWithoutWaiting()
            throws Exception {
        history.subList(0, history.size() - 1).forEach(this::apply);
        ProjectionView fiveSecondsBefore = projection.viewAt(AT - 5_000);
        apply(history.get(history.size() - 1));

        synchronized (projection) { // the background rebuild is running late
            CompletableFuture<CohortPercentiles> read =
                    CompletableFuture.supplyAsync(() -> projection.percentilesAt(AT, TimeUnit.SECONDS.toNanos(10)));
            assertThat(read.get(30, TimeUnit.SECONDS)).isSameAs(fiveSecondsBefore.percentiles());
        }
        assertThat(projection.percentilesAt(AT + 6_000, TimeUnit.SECONDS.toNanos(10)))
                .as("an instant further than the max age from the view gets its own")
                .isNotSameAs(fiveSecondsBefore.percentiles());
    }

    @Test
    void givenNoAgeAllowedOrAnOlderInstant_whenAScoreIsRead_thenTheViewOfItsInstantIsBuilt() {
        history.subList(0, history.size() - 1).forEach(this::apply);
        ProjectionView built = projection.viewAt(AT);
        apply(history.get(history.size() - 1));

        assertThat(projection.percentilesAt(AT, 0)).isNotSameAs(built.percentiles());
        ProjectionView twoSecondsOld = projection.viewAt(AT - 2_000);
        assertThat(projection.percentilesAt(AT, ONE_SECOND)).isNotSameAs(twoSecondsOld.percentiles());
        // an as_of read in the past never takes a newer view
        projection.viewAt(AT);
        assertThat(projection.percentilesAt(AT - 5_000, ONE_SECOND)).isSameAs(projection.viewAt(AT - 5_000).percentiles());
    }
}
