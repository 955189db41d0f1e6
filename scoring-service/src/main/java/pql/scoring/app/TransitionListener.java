package pql.scoring.app;

import pql.scoring.domain.score.PqlTransition;

/** Receives live PQL transitions of the serving projection. Must not block: it runs on projection threads. */
@FunctionalInterface
public interface TransitionListener {

    void onTransition(PqlTransition transition);
}
