package pql.allinone.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import pql.v1.Event;
import pql.v1.OpportunitySize;
import pql.v1.OutcomeKind;

class SampleDataGeneratorTest {

    private static final Instant ANCHOR = Instant.parse("2025-06-30T12:00:00Z");

    @Test
    void theSameSeedAndAnchorGiveTheSameEvents() {
        assertThat(SampleDataGenerator.generate(60, 7, ANCHOR)).isEqualTo(SampleDataGenerator.generate(60, 7, ANCHOR));
        assertThat(SampleDataGenerator.generate(60, 8, ANCHOR)).isNotEqualTo(SampleDataGenerator.generate(60, 7, ANCHOR));
    }

    @Test
    void theDefaultSampleIsAbout200kEventsAllBeforeTheAnchorWithUniqueIds() {
        List<Event> events = SampleDataGenerator.generate(SampleDataGenerator.DEFAULT_ACCOUNTS, SampleDataGenerator.DEFAULT_SEED, ANCHOR);

        assertThat(events.size()).isBetween(150_000, 260_000);
        assertThat(events).allSatisfy(event -> assertThat(event.getOccurredAt().getSeconds()).isLessThanOrEqualTo(ANCHOR.getEpochSecond()));
        Set<String> ids = new HashSet<>();
        for (Event event : events) {
            assertThat(ids.add(event.getAccountId() + "/" + event.getEventId())).isTrue();
            assertThat(event.getKindCase()).isNotEqualTo(Event.KindCase.KIND_NOT_SET);
        }
        assertThat(events.stream().map(Event::getAccountId).distinct().count()).isEqualTo(SampleDataGenerator.DEFAULT_ACCOUNTS);
        for (int i = 1; i < events.size(); i++) {
            assertThat(events.get(i).getOccurredAt().getSeconds()).isGreaterThanOrEqualTo(events.get(i - 1).getOccurredAt().getSeconds());
        }
    }

    @Test
    void everyKindOfFactOccurs() {
        List<Event> events = SampleDataGenerator.generate(300, 1, ANCHOR);
        Map<Event.KindCase, Long> kinds = events.stream().collect(Collectors.groupingBy(Event::getKindCase, Collectors.counting()));
        assertThat(kinds.keySet()).contains(Event.KindCase.ACCOUNT_PROFILED, Event.KindCase.USER_IDENTIFIED,
                Event.KindCase.PRODUCT_ACTION, Event.KindCase.COMMUNICATION, Event.KindCase.SALES_ASSISTANCE_REQUESTED,
                Event.KindCase.PLAN_LIMIT_REACHED, Event.KindCase.OUTCOME);
        Set<OutcomeKind> outcomes = events.stream().filter(Event::hasOutcome).map(e -> e.getOutcome().getKind()).collect(Collectors.toSet());
        assertThat(outcomes).containsExactlyInAnyOrder(OutcomeKind.OUTCOME_KIND_CONVERTED, OutcomeKind.OUTCOME_KIND_LOST,
                OutcomeKind.OUTCOME_KIND_CHURNED);
        assertThat(events.stream().filter(Event::hasOutcome).filter(e -> e.getOutcome().getKind() == OutcomeKind.OUTCOME_KIND_CONVERTED)
                .map(e -> e.getOutcome().getSalesTouched()).collect(Collectors.toSet())).containsExactlyInAnyOrder(true, false);
        Set<OpportunitySize> sizes = events.stream().filter(Event::hasAccountProfiled)
                .map(e -> e.getAccountProfiled().getOpportunitySize()).collect(Collectors.toSet());
        assertThat(sizes).contains(OpportunitySize.OPPORTUNITY_SIZE_SMALL, OpportunitySize.OPPORTUNITY_SIZE_MID,
                OpportunitySize.OPPORTUNITY_SIZE_LARGE, OpportunitySize.OPPORTUNITY_SIZE_UNSPECIFIED);
    }

    @Test
    void eachPersonaGetsTheActivationItWasMadeFor() {
        List<Event> events = SampleDataGenerator.generate(400, 3, ANCHOR);
        Map<String, String> personaOf = new HashMap<>();
        Map<String, Map<String, Double>> actions = new HashMap<>();
        for (Event event : events) {
            if (event.hasAccountProfiled() && event.getAccountProfiled().containsTraits("sample_persona")) {
                personaOf.put(event.getAccountId(), event.getAccountProfiled().getTraitsOrThrow("sample_persona"));
            }
            if (event.hasProductAction()) {
                double quantity = event.getProductAction().hasQuantity() ? event.getProductAction().getQuantity() : 1;
                actions.computeIfAbsent(event.getAccountId(), a -> new HashMap<>())
                        .merge(event.getProductAction().getAction(), quantity, Double::sum);
            }
        }
        assertThat(Set.copyOf(personaOf.values())).hasSize(Archetype.values().length);
        personaOf.forEach((account, persona) -> {
            Archetype archetype = Archetype.valueOf(persona.toUpperCase());
            Map<String, Double> done = actions.getOrDefault(account, Map.of());
            long steps = PresetModel.CHECKLIST.stream().filter(step -> done.getOrDefault(step.action(), 0.0) >= step.minCount()).count();
            assertThat(steps).as(account + " " + persona).isBetween((long) archetype.minSteps, (long) archetype.maxSteps);
        });
    }

    @Test
    void jsonLinesRoundTrip() throws Exception {
        List<Event> events = SampleDataGenerator.generate(5, 1, ANCHOR);
        StringWriter out = new StringWriter();
        SampleJsonLines.write(events, out);
        String[] lines = out.toString().split("\n");
        assertThat(lines).hasSize(events.size());
        for (int i = 0; i < lines.length; i++) {
            assertThat(SampleJsonLines.parse(lines[i])).isEqualTo(events.get(i));
        }
    }
}
