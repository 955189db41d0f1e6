package pql.allinone.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pql.eventstore.embedded.EmbeddedStoreOptions;
import pql.eventstore.embedded.RocksDbEventStore;
import pql.scoring.domain.ProductComplexity;
import pql.scoring.domain.TransitionKind;
import pql.scoring.domain.definition.CompiledDefinition;
import pql.scoring.domain.definition.DefinitionPresets;
import pql.scoring.domain.definition.DefinitionValidator;
import pql.scoring.domain.definition.ScoringDefinition;
import pql.scoring.domain.discovery.ConversionDiscovery;
import pql.scoring.domain.discovery.DefinitionDraft;
import pql.scoring.domain.discovery.DiscoveryReport;
import pql.scoring.domain.discovery.DiscoverySettings;
import pql.scoring.domain.discovery.RuleFinding;
import pql.scoring.domain.discovery.RuleVerdict;
import pql.scoring.domain.event.AccountEvent;
import pql.scoring.domain.score.AccountState;
import pql.scoring.domain.score.PqlTransition;
import pql.scoring.store.StoreTrialHistories;
import pql.scoring.wire.EnvelopeDecoder;
import pql.v1.Event;
import pql.v1.OutcomeKind;

/**
 * Discovery against the sample's planted truth (PlantedSignal): over the default sample stored as
 * ingest stores it, it finds each planted predictor at its threshold and none of the noise actions
 * at the default false-discovery rate; and a draft discovered on the earlier closes calls the later
 * ones better (F1 of precision and recall) than the INTERMEDIATE preset the sample was made for.
 */
class PlantedSignalDiscoveryTest {

    private static final Instant ANCHOR = Instant.parse("2025-06-30T12:00:00Z");
    /** Closed trials close 10-62 days before the anchor: discover on the earlier half, judge on the later. */
    private static final Instant SPLIT = ANCHOR.minus(Duration.ofDays(36));
    private static final Instant BEGINNING = ANCHOR.minus(Duration.ofDays(365));
    private static final DiscoverySettings SETTINGS = DiscoverySettings.defaults(DiscoverySettings.DEFAULT_FDR);

    @TempDir
    static Path directory;
    static RocksDbEventStore store;
    static List<Event> events;

    @BeforeAll
    static void storeTheSample() {
        events = SampleDataGenerator.generate(SampleDataGenerator.DEFAULT_ACCOUNTS, SampleDataGenerator.DEFAULT_SEED, ANCHOR);
        store = RocksDbEventStore.open(EmbeddedStoreOptions.defaults(directory.resolve("events")));
        SampleEnvelopes.appendAll(store, events);
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @Test
    void discoveryFindsEveryPlantedPredictorAtItsThresholdAndNoneOfTheNoise() {
        double[] seconds = new double[2];
        DiscoveryReport report = null;
        for (int run = 0; run < 2; run++) {
            long started = System.nanoTime();
            report = ConversionDiscovery.discover(new StoreTrialHistories(store).closedBetween(
                    BEGINNING.toEpochMilli(), ANCHOR.toEpochMilli()), SETTINGS);
            seconds[run] = (System.nanoTime() - started) / 1e9;
        }
        System.out.printf("suggest over the default sample (%d events, %d closed trials): %.2f s cold, %.2f s warm%n",
                events.size(), report.trials(), seconds[0], seconds[1]);

        assertThat(seconds[1]).as("read the log and discover, under 5 s once the JVM is warm").isLessThan(5);
        Map<String, RuleFinding> best = new HashMap<>();
        report.predictors().forEach(finding -> best.put(finding.rule().action(), finding));
        for (PlantedSignal.Predictor planted : PlantedSignal.PREDICTORS) {
            assertThat(best).as(planted.action()).containsKey(planted.action());
            assertThat(best.get(planted.action()).rule().describe()).as("the planted threshold ranks first")
                    .isEqualTo(new pql.scoring.domain.discovery.CandidateRule(planted.action(), planted.minCount(), planted.withinDays()).describe());
        }
        List<String> noise = new ArrayList<>(PlantedSignal.NOISE_ACTIONS);
        noise.add(PlantedSignal.LOGIN);
        assertThat(report.rules()).filteredOn(finding -> noise.contains(finding.rule().action()))
                .noneMatch(finding -> finding.verdict() == RuleVerdict.PREDICTIVE);
        assertThat(report.weightZeroActions()).containsAll(noise);
    }

    /**
     * Held-out check with our own minimal precision/recall count (not BacktestDefinition): each later
     * trial's events before its close are replayed through scoring's AccountState under each
     * definition; a trial counts as called when it became a PQL before its outcome.
     */
    @Test
    void theDraftDiscoveredOnEarlierTrialsCallsTheLaterOnesBetterThanThePreset() {
        DiscoveryReport earlier = ConversionDiscovery.discover(new StoreTrialHistories(store).closedBetween(
                BEGINNING.toEpochMilli(), SPLIT.toEpochMilli()), SETTINGS);
        ScoringDefinition preset = DefinitionPresets.forComplexity(ProductComplexity.INTERMEDIATE);
        ScoringDefinition draft = DefinitionValidator.validate(DefinitionDraft.from(preset, earlier, SETTINGS, "earlier").definition())
                .definition();

        double presetF1 = heldOutF1(new CompiledDefinition(1, preset));
        double draftF1 = heldOutF1(new CompiledDefinition(2, draft));
        System.out.printf("held-out F1: preset %.3f, suggested %.3f%n", presetF1, draftF1);

        assertThat(draftF1).isGreaterThan(presetF1);
    }

    /** F1 of "became a PQL before closing" against "converted" over trials closed in [SPLIT, ANCHOR). */
    private static double heldOutF1(CompiledDefinition definition) {
        Map<String, List<Event>> byAccount = new HashMap<>();
        events.forEach(event -> byAccount.computeIfAbsent(event.getAccountId(), a -> new ArrayList<>()).add(event));
        long called = 0;
        long convertedCalled = 0;
        long converted = 0;
        for (Map.Entry<String, List<Event>> account : byAccount.entrySet()) {
            Event close = account.getValue().stream().filter(Event::hasOutcome)
                    .filter(e -> e.getOutcome().getKind() != OutcomeKind.OUTCOME_KIND_CHURNED).findFirst().orElse(null);
            if (close == null || close.getOccurredAt().getSeconds() < SPLIT.getEpochSecond()) {
                continue;
            }
            AccountState state = new AccountState(definition, account.getKey(), 0);
            boolean pql = false;
            long position = 0;
            for (Event event : account.getValue()) {
                if (event == close) {
                    break;
                }
                PqlTransition transition = state.apply(decode(event), event.getOccurredAt().getSeconds() * 1000, ++position);
                pql |= transition != null && transition.kind() == TransitionKind.BECAME_PQL;
            }
            boolean won = close.getOutcome().getKind() == OutcomeKind.OUTCOME_KIND_CONVERTED;
            called += pql ? 1 : 0;
            converted += won ? 1 : 0;
            convertedCalled += pql && won ? 1 : 0;
        }
        double precision = (double) convertedCalled / called;
        double recall = (double) convertedCalled / converted;
        return 2 * precision * recall / (precision + recall);
    }

    private static AccountEvent decode(Event event) {
        try {
            return EnvelopeDecoder.decode(SampleEnvelopes.envelope(event));
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }
}
