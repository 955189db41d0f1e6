package pql.scoring.domain.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import pql.scoring.domain.OpportunitySize;
import pql.scoring.domain.OutcomeKind;
import pql.scoring.domain.PercentileCohort;
import pql.scoring.domain.ProductComplexity;
import pql.scoring.domain.Scenario;
import pql.scoring.domain.Sentiment;
import pql.scoring.domain.definition.CompiledDefinition;
import pql.scoring.domain.definition.DefinitionPresets;
import pql.scoring.domain.definition.ScoringDefinition;
import pql.scoring.domain.definition.ScoringDefinition.ActivationStep;
import pql.scoring.domain.definition.ScoringDefinition.EngagementRule;
import pql.scoring.domain.event.AccountEvent;

/**
 * The snapshot codec on its own: a state with several users, sliding windows, an engagement ledger
 * and transitions behind it decodes to a state that encodes to the same bytes, scores the same and
 * evolves the same; a snapshot that does not fit the definition is refused.
 */
class AccountStateCodecTest {

    private static final long DAY = CompiledDefinition.DAY_MILLIS;

    @Test
    void aDecodedStateWithWindowsEncodesScoresAndEvolvesLikeTheOriginal() throws IOException {
        // the preset: 30-day engagement window, invoice trigger within 14 days, 14-day communication window
        assertDecodesToTheSameState(busyAccount(Scenario.intermediate()));
    }

    @Test
    void aDecodedStateWithAnAllTimeLedgerEncodesScoresAndEvolvesLikeTheOriginal() throws IOException {
        assertDecodesToTheSameState(busyAccount(new Scenario(withoutEngagementWindow())));
    }

    @Test
    void aSnapshotOfAnotherFormatIsRefused() throws IOException {
        byte[] bytes = encode(busyAccount(Scenario.intermediate()).state());
        bytes[0] = 3;

        assertThatThrownBy(() -> decode(bytes, Scenario.intermediate().definition()))
                .isInstanceOf(IOException.class).hasMessageContaining("unsupported account snapshot format 3");
    }

    @Test
    void aSnapshotOfTheFirstFormatStillReadsWithTheStatusOfTheNewestEvent() throws IOException {
        AccountState original = busyAccount(Scenario.intermediate()).state();
        byte[] current = encode(original);
        byte[] first = java.util.Arrays.copyOf(current, current.length - Long.BYTES); // format 1 ends before it
        first[0] = 1;

        AccountState decoded = decode(first, Scenario.intermediate().definition());

        long dayLater = original.newestEventAt() + 86_400_000L;
        assertThat(decoded.summaryAt(PercentileCohort.PLAN, dayLater))
                .isEqualTo(original.summaryAt(PercentileCohort.PLAN, dayLater));
    }

    @Test
    void aSnapshotOfADefinitionWithOtherStepsIsRefused() throws IOException {
        byte[] bytes = encode(busyAccount(Scenario.intermediate()).state());
        ScoringDefinition preset = preset();
        CompiledDefinition otherSteps = new CompiledDefinition(1,
                variant(preset.steps().subList(0, preset.steps().size() - 1), preset.engagement()));

        assertThatThrownBy(() -> decode(bytes, otherSteps))
                .isInstanceOf(IOException.class).hasMessageContaining("steps, the definition");
    }

    /**
     * A profile with a deal size and a trial, users with steps and e-mails, both triggers, communication,
     * a limit, a raised hand, and every outcome.
     */
    private static Scenario busyAccount(Scenario scenario) {
        long trialStart = Scenario.START.toEpochMilli();
        scenario.profile(OpportunitySize.LARGE).dealSize(40_000)
                .apply(new AccountEvent.Profiled(null, null, null, null, null, null, trialStart,
                        trialStart + 14 * DAY, null))
                .completeSteps("u1", 3)
                .identify("u2", "u2@acme.io").action("u2", "report_created", 4).action("u3", "dashboard_shared", 2)
                .action("", "message_sent", 30).inbound(Sentiment.POSITIVE).outbound(true, Sentiment.NEUTRAL)
                .after(Duration.ofDays(3)).action("u2", "invoice_submitted", 6)
                .after(Duration.ofDays(5)).action("u3", "invoice_submitted", 5).action("u1", "login", 9)
                .limitReached("seats", 10, 10).handRaised("u3")
                .after(Duration.ofDays(20)).action("u2", "report_created", 1).outcome(OutcomeKind.CONVERTED, true)
                .after(Duration.ofDays(2)).outcome(OutcomeKind.LOST, false).outcome(OutcomeKind.CHURNED, true);
        assertThat(scenario.transitions()).as("the history changed the status").isNotEmpty();
        return scenario;
    }

    private static void assertDecodesToTheSameState(Scenario scenario) throws IOException {
        AccountState original = scenario.state();
        byte[] bytes = encode(original);

        AccountState decoded = decode(bytes, scenario.definition());

        assertThat(encode(decoded)).as("every field survives").isEqualTo(bytes);
        assertThat(decoded.accountId()).isEqualTo(original.accountId());
        assertThat(decoded.streamHash()).isEqualTo(original.streamHash());
        assertThat(decoded.engagementEntryCount()).isEqualTo(original.engagementEntryCount());
        long dayLater = original.newestEventAt() + 86_400_000L;
        assertThat(decoded.summaryAt(PercentileCohort.PLAN, dayLater))
                .isEqualTo(original.summaryAt(PercentileCohort.PLAN, dayLater));
        assertThat(evaluate(decoded, original.newest)).isEqualTo(evaluate(original, original.newest));
        long later = original.newest + 12 * DAY;
        assertThat(evaluate(decoded, later)).as("windows slide alike").isEqualTo(evaluate(original, later));

        long at = original.newest + 40 * DAY;
        long position = original.logPosition();
        List<AccountEvent> more = List.of(new AccountEvent.ActionPerformed("u4", "invoice_submitted", 11),
                new AccountEvent.ActionPerformed("u1", "dashboard_shared", 3),
                new AccountEvent.Profiled("Acme Corp", 2_000_000_000L, "EUR", null, "bob@sales", null, null, null, null));
        List<PqlTransition> originalTransitions = new ArrayList<>();
        List<PqlTransition> decodedTransitions = new ArrayList<>();
        for (AccountEvent event : more) {
            at += DAY;
            position++;
            originalTransitions.add(original.apply(event, at, position));
            decodedTransitions.add(decoded.apply(event, at, position));
        }
        assertThat(decodedTransitions).isEqualTo(originalTransitions);
        assertThat(evaluate(decoded, at)).isEqualTo(evaluate(original, at));
        assertThat(encode(decoded)).isEqualTo(encode(original));
    }

    private static AccountScore evaluate(AccountState state, long asOf) {
        return ScoreEvaluator.evaluate(state, asOf, CohortPercentiles.EMPTY::ofOutsider, true);
    }

    private static byte[] encode(AccountState state) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        synchronized (state) {
            AccountStateCodec.write(state, new DataOutputStream(bytes));
        }
        return bytes.toByteArray();
    }

    private static AccountState decode(byte[] bytes, CompiledDefinition definition) throws IOException {
        return AccountStateCodec.read(new DataInputStream(new ByteArrayInputStream(bytes)), definition);
    }

    private static ScoringDefinition withoutEngagementWindow() {
        EngagementRule windowed = preset().engagement();
        return variant(preset().steps(), new EngagementRule(windowed.weights(), windowed.defaultWeight(),
                windowed.excludedActions(), 0, windowed.halfLifeDays(), windowed.cohort()));
    }

    private static ScoringDefinition preset() {
        return DefinitionPresets.forComplexity(ProductComplexity.INTERMEDIATE);
    }

    private static ScoringDefinition variant(List<ActivationStep> steps, EngagementRule engagement) {
        ScoringDefinition preset = preset();
        return new ScoringDefinition(preset.name(), preset.description(), preset.productComplexity(), steps,
                engagement, preset.communication(), preset.levels(), preset.pql(), preset.opportunityBands(),
                preset.personaOdds());
    }
}
