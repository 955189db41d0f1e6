package pql.scoring.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.MethodSource;
import pql.scoring.domain.Direction;
import pql.scoring.domain.Fit;
import pql.scoring.domain.PercentileCohort;
import pql.scoring.domain.Plan;
import pql.scoring.domain.ProductComplexity;
import pql.scoring.domain.Sentiment;
import pql.scoring.domain.definition.CompiledDefinition;
import pql.scoring.domain.definition.DefinitionBounds;
import pql.scoring.domain.definition.DefinitionPresets;
import pql.scoring.domain.definition.DefinitionValidator;
import pql.scoring.domain.definition.ScoringDefinition;
import pql.scoring.domain.definition.ValidationReport;
import pql.scoring.domain.definition.Violation;
import pql.scoring.domain.event.AccountEvent;
import pql.scoring.domain.score.AccountScore;
import pql.scoring.domain.score.AccountState;
import pql.scoring.domain.score.CohortPercentiles;
import pql.scoring.domain.score.ScoreEvaluator;

/**
 * Coverage-guided fuzzing of PublishDefinition's checks with structured definitions (Jazzer's
 * protobuf mutator: NaN, infinities, huge and negative numbers, unknown enum numbers, long lists).
 * Any pql.v1.ScoringDefinition is refused with violations naming their fields, or accepted; an
 * accepted one is within {@link DefinitionBounds}, is stored in a form that validates to itself
 * again (the log re-validates it on every start), and scores an account driven to the extremes
 * ingest allows (quantities of 10^9, money of 10^12 units, years of events) with every number of
 * the score finite.
 *
 * <p>Regression inputs: the presets below and
 * src/test/resources/pql/scoring/wire/DefinitionFuzzTestInputs/definitions/.
 */
class DefinitionFuzzTest {

    private static final Instant START = Instant.parse("2026-01-05T09:00:00Z");

    static Stream<pql.v1.ScoringDefinition> presets() {
        return Arrays.stream(ProductComplexity.values())
                .map(complexity -> DefinitionProtos.toProto(DefinitionPresets.forComplexity(complexity)));
    }

    @MethodSource("presets")
    @FuzzTest(maxDuration = "30s")
    void definitions(@NotNull pql.v1.ScoringDefinition proto) {
        List<Violation> wireProblems = new ArrayList<>();
        ScoringDefinition draft = DefinitionProtos.toDraft(proto, wireProblems);
        ValidationReport report = DefinitionValidator.validate(draft);
        for (Violation violation : concat(wireProblems, report.errors(), report.warnings())) {
            assertThat(violation.field()).as("the path of %s", violation).isNotNull();
            assertThat(violation.message()).as("the message of %s", violation).isNotBlank();
        }
        if (!wireProblems.isEmpty() || !report.isValid()) {
            assertThat(report.isValid() ? wireProblems : report.errors()).isNotEmpty();
            return;
        }
        ScoringDefinition accepted = report.definition();
        assertThat(DefinitionBounds.clamp(accepted)).as("an accepted definition is within the bounds").isEqualTo(accepted);

        List<Violation> storedProblems = new ArrayList<>();
        ValidationReport reloaded = DefinitionValidator.validate(DefinitionProtos.toDraft(DefinitionProtos.toProto(accepted),
                storedProblems));
        assertThat(storedProblems).isEmpty();
        assertThat(reloaded.errors()).as("the stored form validates again").isEmpty();
        assertThat(reloaded.definition()).isEqualTo(accepted);

        scoreAtTheExtremes(accepted);
    }

    private static void scoreAtTheExtremes(ScoringDefinition definition) {
        CompiledDefinition compiled = new CompiledDefinition(1, definition);
        AccountState state = new AccountState(compiled, "acme", "acme".hashCode());
        List<AccountEvent> events = new ArrayList<>();
        events.add(new AccountEvent.Profiled("Acme", 1_000_000_000_000_000_000L, "USD", null, "owner", Plan.TRIAL,
                START.toEpochMilli(), START.plus(Duration.ofDays(14)).toEpochMilli(), Fit.GOOD));
        for (String action : actionsOf(definition)) {
            events.add(new AccountEvent.ActionPerformed("u1", action, AccountEvent.MAX_QUANTITY));
            events.add(new AccountEvent.ActionPerformed("u2", action, Double.MIN_VALUE));
            events.add(new AccountEvent.ActionPerformed("u1", action, AccountEvent.MAX_QUANTITY));
        }
        events.add(new AccountEvent.Communicated("u1", Direction.INBOUND, false, Sentiment.POSITIVE));
        events.add(new AccountEvent.Communicated(null, Direction.OUTBOUND, true, Sentiment.NEGATIVE));
        events.add(new AccountEvent.SalesAssistanceRequested("u1"));
        events.add(new AccountEvent.PlanLimitReached("seats", "u1", 1e15, 1e15));
        events.add(new AccountEvent.UserIdentified("u1", "u1@example.com"));

        long at = START.toEpochMilli();
        long position = 0;
        for (AccountEvent event : events) {
            while (state.advanceStatusTo(at - 1) != null) {
                // time-driven transitions, as the projection runs them before each event
            }
            state.apply(event, at, ++position);
            at += Duration.ofHours(7).toMillis();
        }
        assertFinite(ScoreEvaluator.evaluate(state, CohortPercentiles.EMPTY::ofMember, true), "score");
        long years = at + Duration.ofDays(3650).toMillis();
        assertFinite(ScoreEvaluator.evaluate(state, years, CohortPercentiles.EMPTY::ofOutsider, true), "score ten years on");
        for (PercentileCohort cohort : PercentileCohort.values()) {
            assertFinite(state.summaryAt(cohort, at), "summary by " + cohort);
        }
    }

    /** Every action the definition names, and one it does not (the default weight). */
    private static Set<String> actionsOf(ScoringDefinition definition) {
        Set<String> actions = new LinkedHashSet<>();
        definition.steps().forEach(step -> actions.add(step.action()));
        definition.engagement().weights().forEach(weight -> actions.add(weight.action()));
        actions.addAll(definition.engagement().excludedActions());
        definition.pql().triggers().forEach(trigger -> actions.add(trigger.action()));
        actions.add("some_other_action");
        return actions;
    }

    /** Every double in a record, its nested records, lists and maps is finite. */
    private static void assertFinite(Object value, String path) {
        if (value instanceof Double number) {
            assertThat(number).as(path).isFinite();
        } else if (value instanceof Float number) {
            assertThat(number).as(path).isFinite();
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                assertFinite(list.get(i), path + "[" + i + "]");
            }
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((key, entry) -> assertFinite(entry, path + "[" + key + "]"));
        } else if (value != null && value.getClass().isRecord()) {
            for (RecordComponent component : value.getClass().getRecordComponents()) {
                try {
                    assertFinite(component.getAccessor().invoke(value), path + "." + component.getName());
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
            }
        }
    }

    @SafeVarargs
    private static List<Violation> concat(List<Violation>... lists) {
        return Stream.of(lists).flatMap(List::stream).toList();
    }
}
