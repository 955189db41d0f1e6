package pql.scoring.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.eventstore.ExpectedVersion;
import pql.eventstore.StreamIds;
import pql.eventstore.embedded.EmbeddedStoreOptions;
import pql.eventstore.embedded.RocksDbEventStore;
import pql.scoring.domain.ProductComplexity;
import pql.scoring.domain.definition.DefinitionPresets;
import pql.scoring.domain.definition.ScoringDefinition;
import pql.scoring.domain.definition.ScoringDefinition.ActionWeight;
import pql.scoring.domain.definition.ScoringDefinition.EngagementRule;
import pql.scoring.store.StoreDefinitionLog;
import pql.scoring.testing.SampleHistory;
import pql.v1.ProductAction;

/**
 * Issue #13, finding 2, for definitions: a weight of 1e300 was a valid definition, and a product
 * action of an allowed quantity (10^9) under it is worth 1e309 points, Infinity. Publishing such a
 * weight is refused now (DefinitionValidatorTest); one published before stays in the log and is
 * served with its weight at the bound (10^6), so engagement stays finite.
 *
 * <p>Given version 1 = the intermediate preset with report_created weighing 1e300 instead of 3,
 * written to the definitions stream as an older version would have, and "big" creating 10^9
 * reports an hour before the clock.
 */
class StoredDefinitionBoundsTest {

    @TempDir
    Path directory;

    private ScoringUseCases scoring;

    @BeforeEach
    void given() {
        ScoringDefinition preset = DefinitionPresets.forComplexity(ProductComplexity.INTERMEDIATE);
        List<ActionWeight> weights = new ArrayList<>();
        for (ActionWeight weight : preset.engagement().weights()) {
            weights.add(weight.action().equals("report_created") ? new ActionWeight("report_created", 1e300) : weight);
        }
        EngagementRule engagement = preset.engagement();
        ScoringDefinition huge = new ScoringDefinition(preset.name(), preset.description(), preset.productComplexity(),
                preset.steps(), new EngagementRule(weights, engagement.defaultWeight(), engagement.excludedActions(),
                        engagement.windowDays(), engagement.halfLifeDays(), engagement.cohort()),
                preset.communication(), preset.levels(), preset.pql(), preset.opportunityBands(), preset.personaOdds());
        long at = ScoringUseCases.NOW.minus(Duration.ofDays(2)).toEpochMilli();
        try (RocksDbEventStore store = RocksDbEventStore.open(EmbeddedStoreOptions.defaults(directory.resolve("events")))) {
            assertThat(new StoreDefinitionLog(store).append(-1, List.of(
                    new DefinitionLog.Published(0, at, 1, huge, "an older version"),
                    new DefinitionLog.Activated(0, at, 1, "an older version")))).isTrue();
        }
        scoring = new ScoringUseCases(directory);
        Instant anHourAgo = ScoringUseCases.NOW.minus(Duration.ofHours(1));
        scoring.store.append(StreamIds.forAccount("big"), ExpectedVersion.ANY, List.of(SampleHistory.envelope("big", 0,
                anHourAgo, ProductAction.newBuilder().setUserId("u1").setAction("report_created").setQuantity(1e9).build())));
        scoring.projections.start();
    }

    @AfterEach
    void close() {
        scoring.close();
    }

    @Test
    void theStoredDefinitionIsServedWithItsWeightAtTheBoundAndEngagementIsFinite() {
        assertThat(scoring.registry.active().definition().engagement().weights())
                .contains(new ActionWeight("report_created", 1e6));

        double engagement = scoring.queries.accountScore("big", null, 0, false).engagement().score();

        assertThat(engagement).isFinite();
        // 10^9 reports x 10^6 points, an hour into a 14-day half-life
        assertThat(engagement).isCloseTo(1e15 * Math.pow(2, -1.0 / (14 * 24)), org.assertj.core.data.Offset.offset(1e6));
    }
}
