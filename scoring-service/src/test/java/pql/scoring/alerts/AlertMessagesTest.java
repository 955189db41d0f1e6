package pql.scoring.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import pql.scoring.domain.OpportunitySize;
import pql.scoring.domain.Persona;
import pql.scoring.domain.PqlKind;
import pql.scoring.domain.TransitionKind;

class AlertMessagesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theSignatureIsTheHexHmacSha256OfTheBody() {
        // RFC 4231, test case 2
        assertThat(Webhook.signature("Jefe", "what do ya want for nothing?"))
                .isEqualTo("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @Test
    void aLimitReachedMessageHasOneHeadlineTheLimitWithItsUsageAndAnEncodedLink() throws Exception {
        var transition = Transitions.transition("acme/eu 1", TransitionKind.KINDS_CHANGED, 0, PqlKind.CRITERIA_MET.bit(),
                PqlKind.CRITERIA_MET.bit() | PqlKind.LIMIT_REACHED.bit(), null);
        var details = new AccountDetails("Acme <EU>", null, OpportunitySize.LARGE, null, null, Persona.FIZZLER, 0.1,
                List.of(), 0.5, 2, 4, 40.0, null, null, "seats", 12, 10);

        JsonNode body = JSON.readTree(new AlertMessages("https://pql.example.com/").slack(transition, details));

        assertThat(body.get("text").asText()).isEqualTo("Acme <EU> (acme/eu 1) is a PQL, now also limit reached"
                + " · LARGE deal · Fizzler (10% odds)");
        String blocks = body.get("blocks").toString();
        assertThat(blocks).contains("*Limit reached:* seats (usage 12 of 10)", "Acme &lt;EU&gt;",
                "https://pql.example.com/dashboard/#/accounts/acme%2Feu%201", "checklist 2/4 steps");
        assertThat(blocks).as("the headline is said once, not repeated in the blocks")
                .doesNotContain(body.get("text").asText());
    }

    @Test
    void withoutADashboardBaseUrlThereIsNoLink() {
        assertThat(new AlertMessages("").accountLink("a-1")).isNull();
        assertThat(new AlertMessages("").slack(Transitions.becamePql("a-1", 0, PqlKind.HAND_RAISER),
                AccountDetails.unknown())).doesNotContain("/dashboard/").contains("Deal size*\\nunknown");
    }

    @Test
    void personasFollowTheSeedTableAndFit() {
        assertThat(pql.scoring.domain.PersonaRule.of(pql.scoring.domain.Level.HIGH, pql.scoring.domain.Level.HIGH,
                pql.scoring.domain.CommunicationLevel.ACTIVE, null)).isEqualTo(Persona.GOLDEN_LEAD);
        assertThat(pql.scoring.domain.PersonaRule.of(pql.scoring.domain.Level.LOW, pql.scoring.domain.Level.LOW,
                pql.scoring.domain.CommunicationLevel.ACTIVE, pql.scoring.domain.Fit.POOR))
                .isEqualTo(Persona.INCOMPATIBLE_IGNORAMUS);
        assertThat(pql.scoring.domain.PersonaRule.of(pql.scoring.domain.Level.LOW, pql.scoring.domain.Level.LOW,
                pql.scoring.domain.CommunicationLevel.ACTIVE, null)).isEqualTo(Persona.POSITIVE_PROCRASTINATOR);
        assertThat(pql.scoring.domain.PersonaRule.of(pql.scoring.domain.Level.MEDIUM, pql.scoring.domain.Level.LOW,
                pql.scoring.domain.CommunicationLevel.LOW, null)).as("nearest, ties to the lower odds")
                .isEqualTo(Persona.HEARTBREAKER);
    }
}
