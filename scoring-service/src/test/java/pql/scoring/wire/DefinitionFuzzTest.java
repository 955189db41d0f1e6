package pql.scoring.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
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
import org.junit.jupiter.params.provider.Arguments;
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
 * With {@code fields} empty the fuzzed definition is judged as it is; otherwise its complexity's
 * preset gets {@code values} in the number fields {@code fields} pick (the n-th singular double,
 * int or long, depth first, modulo their count): a whole mutated definition is rarely valid, and
 * this keeps much of the search on accepted definitions, where scoring must stay finite.
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

    static Stream<Arguments> presets() {
        return Arrays.stream(ProductComplexity.values())
                .map(complexity -> DefinitionProtos.toProto(DefinitionPresets.forComplexity(complexity)))
                .flatMap(preset -> Stream.of(Arguments.of(preset, List.of(), List.of()),
                        Arguments.of(preset, List.of(0, 3, 7), List.of(1e6, 1e12, 1e15))));
    }

    @MethodSource("presets")
    @FuzzTest(maxDuration = "30s")
    void definitions(@NotNull pql.v1.ScoringDefinition fuzzed, @NotNull List<@NotNull Integer> fields,
            @NotNull List<@NotNull Double> values) {
        pql.v1.ScoringDefinition proto = fields.isEmpty() || values.isEmpty() ? fuzzed
                : presetWith(fuzzed.getProductComplexity(), fields, values);
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

    /** The preset of {@code complexity} (INTERMEDIATE when unknown) with {@code values} in the number fields picked. */
    private static pql.v1.ScoringDefinition presetWith(pql.v1.ProductComplexity complexity, List<Integer> fields,
            List<Double> values) {
        ProductComplexity domain = switch (complexity) {
            case PRODUCT_COMPLEXITY_SIMPLE -> ProductComplexity.SIMPLE;
            case PRODUCT_COMPLEXITY_COMPLEX -> ProductComplexity.COMPLEX;
            default -> ProductComplexity.INTERMEDIATE;
        };
        pql.v1.ScoringDefinition.Builder preset = DefinitionProtos.toProto(DefinitionPresets.forComplexity(domain)).toBuilder();
        List<Map.Entry<Message.Builder, FieldDescriptor>> numberFields = new ArrayList<>();
        numberFields(preset, numberFields);
        for (int i = 0; i < Math.min(fields.size(), values.size()); i++) {
            Map.Entry<Message.Builder, FieldDescriptor> target = numberFields.get(Math.floorMod(fields.get(i), numberFields.size()));
            double value = values.get(i);
            FieldDescriptor field = target.getValue();
            switch (field.getJavaType()) {
                case DOUBLE -> target.getKey().setField(field, value);
                case INT -> target.getKey().setField(field, (int) value);
                default -> target.getKey().setField(field, (long) value);
            }
        }
        return preset.build();
    }

    /** The singular double, int and long fields of {@code builder} and its messages, depth first. */
    private static void numberFields(Message.Builder builder, List<Map.Entry<Message.Builder, FieldDescriptor>> found) {
        for (FieldDescriptor field : builder.getDescriptorForType().getFields()) {
            if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                if (field.isRepeated()) {
                    for (int i = 0; i < builder.getRepeatedFieldCount(field); i++) {
                        numberFields(builder.getRepeatedFieldBuilder(field, i), found);
                    }
                } else if (builder.hasField(field)) {
                    numberFields(builder.getFieldBuilder(field), found);
                }
            } else if (!field.isRepeated() && (field.getJavaType() == FieldDescriptor.JavaType.DOUBLE
                    || field.getJavaType() == FieldDescriptor.JavaType.INT
                    || field.getJavaType() == FieldDescriptor.JavaType.LONG)) {
                found.add(Map.entry(builder, field));
            }
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
