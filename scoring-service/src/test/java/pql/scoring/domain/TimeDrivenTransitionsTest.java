package pql.scoring.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import pql.scoring.domain.score.AccountState;
import pql.scoring.domain.score.PqlTransition;

/**
 * Decay crossing a level, a window letting go of what it counted, a behavioural trigger lapsing: each
 * changes an account without any event, and the transition carries the exact instant it happened.
 *
 * <p>Given the intermediate preset: engagement HIGH >= 100, MEDIUM >= 30 points, 30-day window, 14-day
 * half-life; trigger "invoice_submitted >= 10 within 14 days".
 */
class TimeDrivenTransitionsTest {

    private static final long MS = 1;

    /** A SMALL trial that completed the checklist and created 40 reports on 2026-01-05, then went quiet. */
    private static Scenario engagedThenQuiet() {
        Scenario scenario = Scenario.intermediate().profile(OpportunitySize.SMALL).completeSteps("u1", 6);
        for (int i = 0; i < 40; i++) {
            scenario.action("u1", "report_created");
        }
        return scenario;
    }

    private static List<PqlTransition> timeDriven(Scenario scenario) {
        return scenario.transitions().stream().filter(PqlTransition::timeDriven).toList();
    }

    private static Level engagementAt(Scenario scenario, long instant) {
        return scenario.scoreAsOf(Instant.ofEpochMilli(instant).toString()).engagement().level();
    }

    @Test
    void decayTakesEngagementDownLevelByLevelAtTheExactMillisecondItCrossesEachCutoff() {
        Scenario scenario = engagedThenQuiet();
        assertThat(scenario.score().engagement().level()).isEqualTo(Level.HIGH);

        scenario.passTimeTo("2026-03-01T00:00:00Z");

        List<PqlTransition> changes = timeDriven(scenario);
        assertThat(changes).extracting(t -> t.engagementBefore() + "->" + t.engagementLevel())
                .containsExactly("HIGH->MEDIUM", "MEDIUM->LOW");
        assertThat(changes).allSatisfy(t -> assertThat(t.kind()).isEqualTo(TransitionKind.LEVELS_CHANGED));
        for (PqlTransition change : changes) {
            assertThat(engagementAt(scenario, change.at() - MS)).isEqualTo(change.engagementBefore());
            assertThat(engagementAt(scenario, change.at())).isEqualTo(change.engagementLevel());
        }
        assertThat(changes.get(0).explanation().text()).contains("no event: time passed");
    }

    @Test
    void aLapsingTriggerChangesTheKindsWithoutAnEventAndTheAccountStaysAPql() {
        Scenario scenario = Scenario.intermediate().profile(OpportunitySize.SMALL)
                .at("2026-01-05T09:00:00Z").action("u1", "invoice_submitted", 10);
        assertThat(scenario.score().pql().kinds()).containsExactly(PqlKind.CRITERIA_MET);

        scenario.passTimeTo("2026-02-01T00:00:00Z");

        List<PqlTransition> changes = timeDriven(scenario);
        assertThat(changes).hasSize(1);
        PqlTransition lapse = changes.get(0);
        assertThat(lapse.kind()).isEqualTo(TransitionKind.KINDS_CHANGED);
        assertThat(lapse.kindsAfter()).isEmpty();
        // the 09:00 hour counts while asOf < 10:00 + 14 days
        assertThat(Instant.ofEpochMilli(lapse.at())).isEqualTo(Instant.parse("2026-01-19T10:00:00Z"));
        assertThat(scenario.scoreAsOf("2026-02-01T00:00:00Z").pql().isPql()).isTrue();
    }

    @Test
    void aReplayGivesTheSameTransitionsAtTheSameInstantsAsTheClockDidLive() {
        Scenario live = engagedThenQuiet();
        live.passTimeTo("2026-01-20T00:00:00Z"); // the live clock ticked while the account was quiet
        live.at("2026-02-10T00:00:00Z").action("u1", "report_created");
        live.passTimeTo("2026-04-01T00:00:00Z");

        Scenario replayed = engagedThenQuiet(); // no tick in between: the next event brings the changes first
        replayed.at("2026-02-10T00:00:00Z").action("u1", "report_created");
        replayed.passTimeTo("2026-04-01T00:00:00Z");

        assertThat(replayed.transitions()).isEqualTo(live.transitions());
        assertThat(timeDriven(live)).isNotEmpty();
    }

    @Test
    void aRestoredStateRemembersTheTimeDrivenChangeAndDoesNotRepeatIt() throws IOException {
        Scenario scenario = engagedThenQuiet();
        scenario.passTimeTo("2026-01-25T00:00:00Z");
        List<PqlTransition> before = new ArrayList<>(timeDriven(scenario));
        assertThat(before).isNotEmpty();

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        scenario.state().writeTo(new DataOutputStream(bytes));
        AccountState restored = AccountState.readFrom(
                new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), scenario.definition());

        long until = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
        List<PqlTransition> fromRestored = new ArrayList<>();
        PqlTransition next;
        while ((next = restored.advanceStatusTo(until)) != null) {
            fromRestored.add(next);
        }
        scenario.passTimeTo("2026-03-01T00:00:00Z");
        List<PqlTransition> fromOriginal = timeDriven(scenario).subList(before.size(), timeDriven(scenario).size());
        assertThat(fromRestored).isEqualTo(fromOriginal).isNotEmpty();
    }
}
