package pql.forecast.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pql.forecast.app.DefinitionOdds;
import pql.forecast.domain.Odds;
import pql.forecast.domain.Persona;
import pql.forecast.support.ScoringServiceFixture;
import pql.forecast.support.SeedOdds;

/**
 * Where a version's persona odds come from: the definition scoring-service returns, and seed 004's
 * defaults from scoring-service's preset only for personas a definition leaves out.
 */
class ScoringClientOddsTest {

    private ScoringServiceFixture scoring;
    private ManagedChannel channel;
    private ScoringClient client;

    @BeforeEach
    void start() throws Exception {
        scoring = ScoringServiceFixture.inProcess();
        channel = InProcessChannelBuilder.forName(scoring.name()).directExecutor().build();
        client = new ScoringClient(channel, 10, 10);
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow();
        scoring.close();
    }

    @Test
    void aDefinitionWithEveryPersonasOddsIsTakenAsItIsWithoutAskingForThePreset() {
        Map<pql.v1.Persona, Double> all = new EnumMap<>(pql.v1.Persona.class);
        for (Persona persona : Persona.values()) {
            all.put(pql.v1.Persona.valueOf("PERSONA_" + persona.name()), 0.5);
        }
        scoring.publish(1, all);

        DefinitionOdds odds = client.definition(1);

        for (Persona persona : Persona.values()) {
            assertThat(odds.odds().of(persona)).isEqualTo(Odds.of("0.5"));
            assertThat(odds.oddsSource(persona)).isEqualTo("definition v1");
        }
        assertThat(scoring.presetRequests()).isZero();
    }

    @Test
    void personasADefinitionLeavesOutTakeTheSeedOddsFromScoringsPresetAskedOnce() {
        scoring.publish(1, Map.of(pql.v1.Persona.PERSONA_FIZZLER, 0.2)).publish(2, Map.of());

        DefinitionOdds first = client.definition(1);
        DefinitionOdds second = client.definition(2);

        assertThat(first.odds()).isEqualTo(SeedOdds.withOverrides(Map.of(Persona.FIZZLER, Odds.of("0.2"))));
        assertThat(first.oddsSource(Persona.FIZZLER)).isEqualTo("definition v1");
        assertThat(first.oddsSource(Persona.GOLDEN_LEAD)).isEqualTo("seed 004 default");
        assertThat(second.odds()).isEqualTo(SeedOdds.seed());
        assertThat(scoring.presetRequests()).isEqualTo(1);
    }
}
