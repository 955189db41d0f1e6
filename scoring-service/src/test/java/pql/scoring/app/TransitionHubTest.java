package pql.scoring.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import pql.scoring.domain.CommunicationLevel;
import pql.scoring.domain.Level;
import pql.scoring.domain.PqlKind;
import pql.scoring.domain.TransitionKind;
import pql.scoring.domain.score.PqlTransition;

class TransitionHubTest {

    private static PqlTransition transition(String account, TransitionKind kind, long position) {
        return new PqlTransition(account, kind, 1, 0, position, 0, PqlKind.CRITERIA_MET.bit(), Level.HIGH, Level.HIGH,
                CommunicationLevel.LOW, Level.HIGH, Level.HIGH, CommunicationLevel.LOW, null, null, 1, 1, null, false);
    }

    @Test
    void aSlowWatcherIsCutOffInsteadOfBlockingTheProjection() {
        TransitionHub hub = new TransitionHub(16);
        TransitionHub.Subscription slow = hub.subscribe(null, () -> { });
        TransitionHub.Subscription oneAccount = hub.subscribe("a-1", () -> { });
        for (int i = 0; i < 100; i++) {
            hub.onTransition(transition("a-" + (i % 3), i % 2 == 0 ? TransitionKind.BECAME_PQL
                    : TransitionKind.LEVELS_CHANGED, i));
        }
        assertThat(slow.overflowed()).isTrue();
        assertThat(slow.poll()).isNull();
        assertThat(oneAccount.overflowed()).isTrue();

        TransitionHub.Subscription keepsUp = hub.subscribe("a-2", () -> { });
        hub.onTransition(transition("a-2", TransitionKind.BECAME_PQL, 200));
        hub.onTransition(transition("a-1", TransitionKind.BECAME_PQL, 201));
        assertThat(keepsUp.drain(10)).extracting(PqlTransition::logPosition).containsExactly(200L);
        assertThat(keepsUp.overflowed()).isFalse();
    }
}
