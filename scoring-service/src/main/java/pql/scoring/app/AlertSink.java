package pql.scoring.app;

import pql.scoring.domain.score.PqlTransition;

/** Where live transitions are announced (the Slack-compatible webhook). Must never block. */
@FunctionalInterface
public interface AlertSink {

    void offer(PqlTransition transition);

    AlertSink NONE = transition -> { };
}
