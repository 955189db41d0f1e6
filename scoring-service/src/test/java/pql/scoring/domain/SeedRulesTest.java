package pql.scoring.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import pql.scoring.domain.definition.DefinitionPresets;
import pql.scoring.domain.definition.ScoringDefinition;
import pql.scoring.domain.definition.ScoringDefinition.ActionWeight;
import pql.scoring.domain.definition.ScoringDefinition.BehaviouralTrigger;
import pql.scoring.domain.definition.ScoringDefinition.EngagementRule;
import pql.scoring.domain.definition.ScoringDefinition.PqlRule;
import pql.scoring.domain.score.AccountScore;

/**
 * Given events, when evaluated, then the score: one test per rule of the seeds (000: thresholds per
 * opportunity size; 001: activation checklist, engagement weights, no logins; 002: metrics inputs;
 * 003: PQL kinds and behavioural triggers; 004: levels, communication, champions).
 */
class SeedRulesTest {

    // --- seed 000: activation thresholds of an intermediately complex product ---

    @Test
    void intermediateSmallOpportunityQualifiesAt75PercentActivation() {
        Scenario scenario = Scenario.intermediate().profile(OpportunitySize.SMALL).completeSteps("u1", 4);
        assertThat(scenario.score().pql().isPql()).as("4 of 6 steps = 67% < 75%").isFalse();
        assertThat(scenario.score().pql().explanations().get(0).rule()).isEqualTo("pql.not_qualified");

        scenario.completeSteps("u1", 5);
        AccountScore score = scenario.score();
        assertThat(score.activation().rate()).isCloseTo(5 / 6.0, within(1e-12));
        assertThat(score.pql().kinds()).containsExactly(PqlKind.CRITERIA_MET);
        assertThat(score.pql().explanations().get(0).text()).isEqualTo(
                "activation 83% >= 75% threshold for SMALL");
    }

    @Test
    void intermediateMidOpportunityQualifiesAt50PercentActivation() {
        Scenario scenario = Scenario.intermediate().profile(OpportunitySize.MID).completeSteps("u1", 2);
        assertThat(scenario.score().pql().isPql()).as("2 of 6 = 33%").isFalse();
        scenario.completeSteps("u1", 3);
        assertThat(scenario.score().pql().kinds()).containsExactly(PqlKind.CRITERIA_MET);
        assertThat(scenario.score().pql().explanations().get(0).factors())
                .extracting(f -> f.name() + "=" + f.value())
                .contains("activation_rate=0.5", "threshold=0.5");
    }

    @Test
    void intermediateLargeOpportunityQualifiesAt25PercentActivation() {
        Scenario scenario = Scenario.intermediate().profile(OpportunitySize.LARGE).completeSteps("u1", 1);
        assertThat(scenario.score().pql().isPql()).as("1 of 6 = 17% < 25%").isFalse();
        scenario.completeSteps("u1", 2);
        assertThat(scenario.score().pql().isPql()).as("2 of 6 = 33% >= 25%").isTrue();
    }

    @Test
    void opportunitySizeIsDerivedFromTheDealSizeBands() {
        Scenario scenario = Scenario.intermediate().dealSize(60_000).completeSteps("u1", 2);
        AccountScore score = scenario.score();
        assertThat(score.profile().opportunitySize()).isEqualTo(OpportunitySize.LARGE);
        assertThat(score.profile().opportunitySizeDerived()).isTrue();
        assertThat(score.pql().isPql()).isTrue();

        Scenario mid = Scenario.intermediate().dealSize(10_000).completeSteps("u1", 2);
        assertThat(mid.score().profile().opportunitySize()).as("10,000 is the first MID deal")
                .isEqualTo(OpportunitySize.MID);
        assertThat(mid.score().pql().isPql()).isFalse();
    }

    @Test
    void anUnknownOpportunitySizeIsHeldToTheSmallThreshold() {
        Scenario scenario = Scenario.intermediate().completeSteps("u1", 4);
        AccountScore score = scenario.score();
        assertThat(score.profile().opportunitySize()).isNull();
        assertThat(score.pql().isPql()).isFalse();
        assertThat(score.pql().explanations().get(0).text()).contains("unknown opportunity size");
    }

    @Test
    void simplerProductsQualifyLaterAndComplexOnesEarlier() {
        for (OpportunitySize size : OpportunitySize.values()) {
            double simple = DefinitionPresets.pqlRule(ProductComplexity.SIMPLE).thresholdFor(size);
            double intermediate = DefinitionPresets.pqlRule(ProductComplexity.INTERMEDIATE).thresholdFor(size);
            double complex = DefinitionPresets.pqlRule(ProductComplexity.COMPLEX).thresholdFor(size);
            assertThat(simple).isGreaterThan(intermediate);
            assertThat(intermediate).isGreaterThan(complex);
        }
        Scenario simple = Scenario.of(ProductComplexity.SIMPLE).profile(OpportunitySize.MID).completeSteps("u1", 3);
        Scenario complex = Scenario.of(ProductComplexity.COMPLEX).profile(OpportunitySize.MID).completeSteps("u1", 2);
        assertThat(simple.score().pql().isPql()).as("SIMPLE MID needs 75%").isFalse();
        assertThat(complex.score().pql().isPql()).as("COMPLEX MID needs 25%").isTrue();
    }

    // --- seed 001: the activation checklist, account level, by any users together ---

    @Test
    void aStepIsDoneWhenTheAccountsUsersTogetherReachItsMinCount() {
        Scenario scenario = Scenario.intermediate()
                .at("2026-01-05T10:00:00Z").action("u1", "report_created")
                .at("2026-01-05T11:00:00Z").action("u2", "report_created")
                .at("2026-01-06T09:30:00Z").action("u3", "report_created");
        AccountScore.StepState reports = scenario.score().activation().steps().stream()
                .filter(s -> s.key().equals("reports_created")).findFirst().orElseThrow();
        assertThat(reports.done()).isTrue();
        assertThat(reports.count()).isEqualTo(3);
        assertThat(reports.doneAt()).isEqualTo(Instant.parse("2026-01-06T09:30:00Z").toEpochMilli());
        assertThat(reports.doneByUserId()).isEqualTo("u3");
        assertThat(scenario.score().activation().rate()).isCloseTo(1 / 6.0, within(1e-12));
        assertThat(scenario.score().champions()).as("no user reached the step alone")
                .allSatisfy(c -> assertThat(c.activationRate()).isZero());
    }

    @Test
    void activationLevelUsesTheDefinitionsCutoffs() {
        assertThat(Scenario.intermediate().completeSteps("u1", 2).score().activation().level()).isEqualTo(Level.LOW);
        assertThat(Scenario.intermediate().completeSteps("u1", 3).score().activation().level()).isEqualTo(Level.MEDIUM);
        AccountScore high = Scenario.intermediate().completeSteps("u1", 5).score();
        assertThat(high.activation().level()).isEqualTo(Level.HIGH);
        assertThat(high.activation().explanation().text()).isEqualTo(
                "5 of 6 checklist steps done (83%) -> HIGH (HIGH >= 80%, MEDIUM >= 50%)");
    }

    // --- seed 001: engagement: weights, excluded logins, window and half-life on event time ---

    @Test
    void loginsAndLastActiveNeverCountAsEngagement() {
        Scenario scenario = Scenario.intermediate()
                .action("u1", "login", 50).action("u1", "last_active", 10).action("u1", "session_start", 3);
        AccountScore score = scenario.score();
        assertThat(score.engagement().score()).isZero();
        assertThat(score.engagement().topActions()).isEmpty();
        assertThat(score.activity().dau()).as("logins still make the user active").isEqualTo(1);
    }

    @Test
    void engagementWeighsActionsByImportance() {
        ScoringDefinition noDecay = withEngagement(new EngagementRule(
                List.of(new ActionWeight("report_created", 3), new ActionWeight("message_sent", 0.1)), 1.0,
                List.of("login"), 0, 0, PercentileCohort.OPPORTUNITY_SIZE));
        AccountScore score = new Scenario(noDecay)
                .action("u1", "report_created", 2).action("u1", "message_sent", 20).action("u1", "custom_thing", 4)
                .score();
        assertThat(score.engagement().score()).isCloseTo(2 * 3 + 20 * 0.1 + 4 * 1.0, within(1e-9));
        assertThat(score.engagement().topActions()).extracting(AccountScore.ActionEngagement::action)
                .containsExactly("report_created", "custom_thing", "message_sent");
    }

    @Test
    void halfLifeHalvesAContributionEveryHalfLifeOfEventTime() {
        ScoringDefinition decaying = withEngagement(new EngagementRule(List.of(new ActionWeight("report_created", 10)),
                0, List.of(), 0, 7, PercentileCohort.ALL));
        Scenario scenario = new Scenario(decaying).at("2026-01-01T00:00:00Z").action("u1", "report_created");
        assertThat(scenario.score().engagement().score()).isEqualTo(10.0);
        assertThat(scenario.scoreAsOf("2026-01-08T00:00:00Z").engagement().score()).isCloseTo(5.0, within(1e-12));
        assertThat(scenario.scoreAsOf("2026-01-15T00:00:00Z").engagement().score()).isCloseTo(2.5, within(1e-12));

        scenario.at("2026-01-08T00:00:00Z").action("u2", "report_created");
        assertThat(scenario.score().engagement().score()).as("5 decayed + 10 fresh").isCloseTo(15.0, within(1e-9));
    }

    @Test
    void onlyEventsInsideTheWindowCount() {
        ScoringDefinition windowed = withEngagement(new EngagementRule(List.of(new ActionWeight("report_created", 1)),
                0, List.of(), 30, 0, PercentileCohort.ALL));
        Scenario scenario = new Scenario(windowed)
                .at("2026-01-01T10:00:00Z").action("u1", "report_created", 5)
                .at("2026-01-20T10:00:00Z").action("u1", "report_created", 2);
        assertThat(scenario.score().engagement().score()).isEqualTo(7.0);
        scenario.at("2026-02-05T10:00:00Z").action("u1", "report_created", 1);
        assertThat(scenario.score().engagement().score()).as("Jan 1st left the 30-day window").isEqualTo(3.0);
        assertThat(scenario.scoreAsOf("2026-02-25T10:00:00Z").engagement().score()).isEqualTo(1.0);
        assertThat(scenario.state().engagementEntryCount()).isEqualTo(2);
    }

    @Test
    void engagementLevelUsesTheDefinitionsCutoffs() {
        ScoringDefinition plain = withEngagement(new EngagementRule(List.of(new ActionWeight("report_created", 10)),
                0, List.of(), 0, 0, PercentileCohort.ALL));
        assertThat(new Scenario(plain).action("u1", "report_created", 2).score().engagement().level())
                .isEqualTo(Level.LOW);
        assertThat(new Scenario(plain).action("u1", "report_created", 3).score().engagement().level())
                .isEqualTo(Level.MEDIUM);
        assertThat(new Scenario(plain).action("u1", "report_created", 10).score().engagement().level())
                .isEqualTo(Level.HIGH);
    }

    // --- seed 003: PQL kinds and behavioural triggers ---

    @Test
    void sending2000MessagesIsABehaviouralTrigger() {
        Scenario scenario = Scenario.intermediate().profile(OpportunitySize.SMALL).action("u1", "message_sent", 1999);
        assertThat(scenario.score().pql().isPql()).isFalse();
        scenario.action("u2", "message_sent", 1);
        AccountScore score = scenario.score();
        assertThat(score.pql().kinds()).containsExactly(PqlKind.CRITERIA_MET);
        assertThat(score.pql().triggersHit()).containsExactly("message_sent >= 2000");
        assertThat(score.pql().explanations().get(0).rule()).isEqualTo("pql.criteria.trigger");
        assertThat(score.pql().explanations().get(0).text()).isEqualTo(
                "behavioural trigger hit: message_sent >= 2000 (2000)");
    }

    @Test
    void aTriggerWithinDaysLapsesButTheQualificationStaysUntilTheTrialCloses() {
        Scenario scenario = Scenario.intermediate().profile(OpportunitySize.SMALL)
                .at("2026-01-01T09:00:00Z").action("u1", "invoice_submitted", 6)
                .at("2026-01-10T09:00:00Z").action("u1", "invoice_submitted", 4);
        assertThat(scenario.score().pql().triggersHit()).containsExactly("invoice_submitted >= 10 within 14 days");
        long qualifiedAt = scenario.score().pql().qualifiedAt();

        scenario.at("2026-01-20T09:00:00Z").action("u1", "report_created");
        AccountScore later = scenario.score();
        assertThat(later.pql().kinds()).as("the six of Jan 1st left the 14 days").isEmpty();
        assertThat(later.pql().isPql()).as("qualification is the hand-off to sales: it stays").isTrue();
        assertThat(later.pql().qualifiedAt()).isEqualTo(qualifiedAt);

        scenario.at("2026-01-25T09:00:00Z").outcome(OutcomeKind.LOST, true);
        assertThat(scenario.score().pql().isPql()).as("until the trial closes").isFalse();
        assertThat(scenario.transitions()).extracting(t -> t.kind()).containsSubsequence(
                TransitionKind.BECAME_PQL, TransitionKind.KINDS_CHANGED, TransitionKind.NO_LONGER_PQL);
    }

    @Test
    void aHandRaiserIsAPql() {
        AccountScore score = Scenario.intermediate().profile(OpportunitySize.SMALL).handRaised("u7").score();
        assertThat(score.pql().kinds()).containsExactly(PqlKind.HAND_RAISER);
        assertThat(score.pql().explanations().get(0).text()).startsWith("sales assistance requested by u7 on ");
    }

    @Test
    void reachingAPlanLimitIsAPql() {
        AccountScore score = Scenario.intermediate().limitReached("seats", 10, 10).score();
        assertThat(score.pql().kinds()).containsExactly(PqlKind.LIMIT_REACHED);
        assertThat(score.pql().explanations().get(0).factors()).extracting(f -> f.name() + "=" + f.value())
                .containsExactly("usage=10.0", "limit=10.0");
    }

    @Test
    void aTouchlessPurchaseIsAPqlButASalesAssistedOneIsNot() {
        assertThat(Scenario.intermediate().action("u1", "report_created").outcome(OutcomeKind.CONVERTED, false)
                .score().pql().kinds()).containsExactly(PqlKind.TOUCHLESS_PURCHASE);
        assertThat(Scenario.intermediate().action("u1", "report_created").outcome(OutcomeKind.CONVERTED, true)
                .score().pql().isPql()).isFalse();
    }

    @Test
    void everyKindThatAppliesIsKept() {
        Scenario scenario = Scenario.intermediate().profile(OpportunitySize.LARGE).completeSteps("u1", 2)
                .handRaised("u1").limitReached("projects", 3, 3).outcome(OutcomeKind.CONVERTED, false);
        assertThat(scenario.score().pql().kinds()).containsExactly(PqlKind.CRITERIA_MET, PqlKind.HAND_RAISER,
                PqlKind.LIMIT_REACHED, PqlKind.TOUCHLESS_PURCHASE);
        assertThat(scenario.score().pql().explanations()).hasSize(4);
        assertThat(scenario.transitions()).extracting(t -> t.kind()).containsExactly(TransitionKind.BECAME_PQL,
                TransitionKind.KINDS_CHANGED, TransitionKind.KINDS_CHANGED, TransitionKind.KINDS_CHANGED);
    }

    @Test
    void qualifiedAtIsTheEventTimeOfTheFirstQualificationAndTimeToPqlCountsFromFirstSeen() {
        Scenario scenario = Scenario.intermediate().at("2026-01-01T08:00:00Z").profile(OpportunitySize.MID)
                .at("2026-01-03T08:00:00Z").completeSteps("u1", 3);
        AccountScore score = scenario.score();
        long thirdStep = Instant.parse("2026-01-03T08:02:00Z").toEpochMilli();
        assertThat(score.pql().qualifiedAt()).isEqualTo(thirdStep);
        assertThat(score.pql().timeToPqlMillis()).isEqualTo(Duration.ofDays(2).plusMinutes(2).toMillis());
        assertThat(score.profile().firstSeenAt()).isEqualTo(Instant.parse("2026-01-01T08:00:00Z").toEpochMilli());
    }

    @Test
    void aLostTrialIsNoLongerAPql() {
        Scenario scenario = Scenario.intermediate().handRaised("u1").outcome(OutcomeKind.LOST, true);
        assertThat(scenario.score().pql().isPql()).isFalse();
        assertThat(scenario.score().pql().explanations().get(0).rule()).isEqualTo("pql.closed");
        assertThat(scenario.transitions().get(scenario.transitions().size() - 1).kind())
                .isEqualTo(TransitionKind.NO_LONGER_PQL);
    }

    // --- seed 004: communication, levels, champions, activity, outcomes ---

    @Test
    void communicationIsActiveWhenInboundPlusResponsesReachTheThreshold() {
        Scenario scenario = Scenario.intermediate().inbound(Sentiment.POSITIVE).outbound(false, null)
                .outbound(true, Sentiment.NEGATIVE);
        AccountScore.Communication low = scenario.score().communication();
        assertThat(low.level()).isEqualTo(CommunicationLevel.LOW);
        assertThat(low.inbound()).isEqualTo(1);
        assertThat(low.responses()).isEqualTo(1);
        assertThat(low.outbound()).isEqualTo(2);

        scenario.inbound(Sentiment.NEUTRAL);
        AccountScore.Communication active = scenario.score().communication();
        assertThat(active.level()).isEqualTo(CommunicationLevel.ACTIVE);
        assertThat(List.of(active.positive(), active.neutral(), active.negative())).containsExactly(1, 1, 1);
        assertThat(active.explanation().text()).startsWith("2 inbound + 1 responses in the last 14 days >= 3 -> ACTIVE");
    }

    @Test
    void communicationOutsideTheWindowNoLongerCounts() {
        Scenario scenario = Scenario.intermediate().at("2026-01-01T10:00:00Z").inbound(Sentiment.POSITIVE)
                .inbound(Sentiment.POSITIVE).inbound(Sentiment.POSITIVE);
        assertThat(scenario.score().communication().level()).isEqualTo(CommunicationLevel.ACTIVE);
        scenario.at("2026-01-16T10:00:00Z").action("u1", "report_created");
        assertThat(scenario.score().communication().level()).isEqualTo(CommunicationLevel.LOW);
        assertThat(scenario.score().communication().positive()).isZero();
    }

    @Test
    void championsAreTheMostEngagedUsers() {
        Scenario scenario = Scenario.intermediate()
                .identify("ann", "ann@acme.io")
                .action("ann", "dashboard_shared", 3).action("bob", "report_created", 1)
                .action("cid", "report_created", 4).action("dan", "login", 40);
        List<AccountScore.Champion> champions = scenario.score().champions();
        assertThat(champions).extracting(AccountScore.Champion::userId).containsExactly("ann", "cid", "bob");
        assertThat(champions.get(0).email()).isEqualTo("ann@acme.io");
        assertThat(champions.get(1).activationRate()).as("cid did 'reports_created' alone").isCloseTo(1 / 6.0,
                within(1e-12));
    }

    @Test
    void dailyWeeklyAndMonthlyActiveUsersCountFromTheEvaluationInstant() {
        Scenario scenario = Scenario.intermediate()
                .at("2026-01-01T10:00:00Z").action("old", "login")
                .at("2026-01-25T10:00:00Z").action("week", "login")
                .at("2026-01-30T09:00:00Z").action("today", "report_created");
        AccountScore.Activity activity = scenario.score().activity();
        assertThat(List.of(activity.dau(), activity.wau(), activity.mau(), activity.users()))
                .containsExactly(1, 2, 3, 3);
    }

    @Test
    void anOutcomeKeepsTheLevelsTheAccountHadJustBefore() {
        AccountScore score = Scenario.intermediate().completeSteps("u1", 5).inbound(null).inbound(null).inbound(null)
                .outcome(OutcomeKind.CONVERTED, true).score();
        assertThat(score.outcome().kind()).isEqualTo(OutcomeKind.CONVERTED);
        assertThat(score.outcome().activationLevel()).isEqualTo(Level.HIGH);
        assertThat(score.outcome().communicationLevel()).isEqualTo(CommunicationLevel.ACTIVE);
        assertThat(score.outcome().salesTouched()).isTrue();
    }

    @Test
    void levelChangesAreTransitionsToo() {
        Scenario scenario = Scenario.intermediate().profile(OpportunitySize.SMALL).completeSteps("u1", 3);
        assertThat(scenario.transitions()).extracting(t -> t.kind() + ":" + t.activationLevel())
                .contains("LEVELS_CHANGED:MEDIUM");
    }

    // --- determinism ---

    @Test
    void replayingTheSameEventsGivesAnIdenticalScore() {
        Scenario scenario = Scenario.intermediate().profile(OpportunitySize.MID).completeSteps("u1", 3)
                .after(Duration.ofDays(3)).action("u2", "report_created", 7).inbound(Sentiment.POSITIVE)
                .after(Duration.ofDays(20)).action("u3", "message_sent", 100).handRaised("u2");
        var replayed = pql.scoring.domain.score.ScoreEvaluator.evaluate(scenario.replay(),
                pql.scoring.domain.score.CohortPercentiles.EMPTY::ofMember, true);
        assertThat(replayed).isEqualTo(scenario.score());
    }

    private static ScoringDefinition withEngagement(EngagementRule engagement) {
        ScoringDefinition preset = DefinitionPresets.forComplexity(ProductComplexity.INTERMEDIATE);
        return new ScoringDefinition(preset.name(), preset.description(), preset.productComplexity(), preset.steps(),
                engagement, preset.communication(), preset.levels(),
                new PqlRule(0.75, 0.5, 0.25, List.of(new BehaviouralTrigger("message_sent", 2000, 0))),
                preset.opportunityBands(), preset.personaOdds());
    }
}
