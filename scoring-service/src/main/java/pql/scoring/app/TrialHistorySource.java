package pql.scoring.app;

import java.util.List;
import pql.scoring.domain.discovery.TrialHistory;

/** Where discovery reads closed trials from: the whole event history (see store.StoreTrialHistories). */
public interface TrialHistorySource {

    /** Trials whose first CONVERTED or LOST outcome (event time) is in [fromMillis, toMillis), with their actions before it. */
    List<TrialHistory> closedBetween(long fromMillis, long toMillis);
}
