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

    @Test
    void thePlantedPredictorsSeparateConvertedFromLostTrialsAndTheNoiseDoesNot() {
        List<Event> events = SampleDataGenerator.generate(SampleDataGenerator.DEFAULT_ACCOUNTS, SampleDataGenerator.DEFAULT_SEED, ANCHOR);
        Map<String, List<Event>> actionsOf = new HashMap<>();
        Map<String, Boolean> convertedOf = new HashMap<>();
        for (Event event : events) {
            if (event.hasProductAction()) {
                actionsOf.computeIfAbsent(event.getAccountId(), a -> new java.util.ArrayList<>()).add(event);
            } else if (event.hasOutcome() && event.getOutcome().getKind() != OutcomeKind.OUTCOME_KIND_CHURNED) {
                convertedOf.put(event.getAccountId(), event.getOutcome().getKind() == OutcomeKind.OUTCOME_KIND_CONVERTED);
            }
        }
        for (PlantedSignal.Predictor predictor : PlantedSignal.PREDICTORS) {
            double[] shares = metShares(convertedOf, actionsOf, predictor.action(), predictor.minCount(), predictor.withinDays());
            assertThat(shares[0]).as(predictor + " among converted").isCloseTo(predictor.shareOfConverted(), org.assertj.core.data.Offset.offset(0.07));
            assertThat(shares[1]).as(predictor + " among lost").isCloseTo(predictor.shareOfLost(), org.assertj.core.data.Offset.offset(0.05));
        }
        // Near misses never make the burst: three in any 7 days is the planted rule; three ever, or two in 7 days, is weaker.
        double[] ever = metShares(convertedOf, actionsOf, PlantedSignal.WORKFLOW_BURST.action(), 3, 0);
        assertThat(ever[1]).isGreaterThan(PlantedSignal.WORKFLOW_BURST.shareOfLost() + 0.1);
        double[] twoInAWeek = metShares(convertedOf, actionsOf, PlantedSignal.WORKFLOW_BURST.action(), 2, 7);
        assertThat(twoInAWeek[1]).isGreaterThan(PlantedSignal.WORKFLOW_BURST.shareOfLost() + 0.1);
        // Noise: converted and lost trials do it alike, within 3.3 standard errors (a chance of 1 in 1,000 of a false alarm).
        for (String noise : PlantedSignal.NOISE_ACTIONS) {
            assertAlike(noise, metShares(convertedOf, actionsOf, noise, 1, 0));
        }
        assertAlike("15 logins", metShares(convertedOf, actionsOf, PlantedSignal.LOGIN, 15, 0));
        assertAlike("30 logins", metShares(convertedOf, actionsOf, PlantedSignal.LOGIN, 30, 0));
    }

    @Test
    void theTruthFileNamesThePlantedPredictorsAndTheNoise() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempDirectory("sample").resolve("sample.jsonl");
        SampleJsonLines.writeFile(file, 3, 1, ANCHOR);
        var truth = new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.resolveSibling("sample.truth.json").toFile());
        assertThat(truth.get("planted_predictors")).hasSize(PlantedSignal.PREDICTORS.size());
        assertThat(truth.get("planted_predictors").get(1).get("action").asText()).isEqualTo("workflow_automated");
        assertThat(truth.get("planted_predictors").get(1).get("within_days").asInt()).isEqualTo(7);
        assertThat(truth.get("noise_actions").toString()).contains("login", "help_article_viewed");
    }

    /** Shares of converted and of lost trials that did {@code minCount} of the action within {@code withinDays} (0: ever) before closing. */
    private static double[] metShares(Map<String, Boolean> convertedOf, Map<String, List<Event>> actionsOf, String action, int minCount,
            int withinDays) {
        int[] met = new int[2];
        int[] all = new int[2];
        convertedOf.forEach((account, converted) -> {
            List<Long> times = actionsOf.getOrDefault(account, List.of()).stream()
                    .filter(e -> e.getProductAction().getAction().equals(action)).map(e -> e.getOccurredAt().getSeconds()).sorted().toList();
            long window = withinDays == 0 ? Long.MAX_VALUE : withinDays * 86_400L;
            boolean done = false;
            for (int i = 0; i + minCount - 1 < times.size() && !done; i++) {
                done = times.get(i + minCount - 1) - times.get(i) < window;
            }
            int side = converted ? 0 : 1;
            all[side]++;
            met[side] += done ? 1 : 0;
        });
        return new double[] {(double) met[0] / all[0], (double) met[1] / all[1], all[0], all[1]};
    }

    private static void assertAlike(String what, double[] shares) {
        double pooled = (shares[0] * shares[2] + shares[1] * shares[3]) / (shares[2] + shares[3]);
        double standardError = Math.sqrt(pooled * (1 - pooled) * (1 / shares[2] + 1 / shares[3]));
        assertThat(Math.abs(shares[0] - shares[1])).as(what + ": converted " + shares[0] + " vs lost " + shares[1])
                .isLessThan(3.3 * standardError);
    }
}
