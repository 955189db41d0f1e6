package pql.scoring.domain.score;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import pql.scoring.domain.OpportunitySize;
import pql.scoring.domain.OutcomeKind;
import pql.scoring.domain.Scenario;
import pql.scoring.domain.Sentiment;
import pql.scoring.domain.definition.CompiledDefinition;

class AccountStateSnapshotTest {

    @Test
    void aRestoredStateScoresAndEvolvesExactlyLikeTheOriginal() throws Exception {
        Scenario scenario = Scenario.intermediate().profile(OpportunitySize.MID).completeSteps("u1", 2)
                .identify("u2", "u2@acme.io").action("u2", "report_created", 5).inbound(Sentiment.NEGATIVE)
                .outbound(true, Sentiment.POSITIVE).after(Duration.ofDays(2)).action("u3", "invoice_submitted", 4)
                .limitReached("seats", 5, 5).handRaised("u2").outcome(OutcomeKind.CONVERTED, false);

        // a fresh definition object: ids are assigned anew, names carry the meaning
        CompiledDefinition reloaded = new CompiledDefinition(1, scenario.definition().definition());
        reloaded.actionId("something_else_first");
        AccountState restored = roundTrip(scenario.state(), reloaded);

        assertThat(ScoreEvaluator.evaluate(restored, CohortPercentiles.EMPTY::ofMember, true))
                .isEqualTo(scenario.score());

        var more = new pql.scoring.domain.event.AccountEvent.ActionPerformed("u1", "dashboard_shared", 2);
        long at = scenario.now().toEpochMilli();
        scenario.apply(more);
        restored.apply(more, at, 99);
        assertThat(ScoreEvaluator.evaluate(restored, CohortPercentiles.EMPTY::ofMember, true).engagement())
                .isEqualTo(scenario.score().engagement());
    }

    private static AccountState roundTrip(AccountState state, CompiledDefinition definition) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        state.writeTo(new DataOutputStream(bytes));
        return AccountState.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), definition);
    }
}
