package pql.scoring.app;

import pql.scoring.domain.score.PqlTransition;

/**
 * Where alerts are made: every transition of the serving projection, replayed history included, on
 * the projection's threads. It may write to disk (the alert journal) but must never wait on a network.
 */
@FunctionalInterface
public interface AlertSink {

    void offer(PqlTransition transition);

    AlertSink NONE = transition -> { };
}
