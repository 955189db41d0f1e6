package pql.scoring.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import pql.scoring.domain.score.AccountState;

/**
 * A timer wheel of accounts keyed by the second of their next possible time-driven change (decay
 * crossing a cutoff, a window letting go): a tick takes only the accounts due, never scans them all.
 * An account is added when its next possible change moves earlier than the timer it has; an entry that
 * turns out early (new events moved the change later) just looks again and re-arms.
 */
final class StatusTimers {

    private final ConcurrentSkipListMap<Long, Queue<AccountState>> bySecond = new ConcurrentSkipListMap<>();

    /** Arms the account's timer if it needs an earlier one than it has. */
    void arm(AccountState state) {
        long due = state.scheduleStatusTimer();
        if (due != Long.MAX_VALUE) {
            long second = Math.floorDiv(due, 1000L) + (Math.floorMod(due, 1000L) == 0 ? 0 : 1);
            bySecond.computeIfAbsent(second, s -> new ConcurrentLinkedQueue<>()).add(state);
        }
    }

    /** Takes every account whose timer is due at or before {@code nowMillis}. */
    List<AccountState> takeDue(long nowMillis) {
        List<AccountState> due = new ArrayList<>();
        long second = Math.floorDiv(nowMillis, 1000L);
        Map.Entry<Long, Queue<AccountState>> first;
        while ((first = bySecond.firstEntry()) != null && first.getKey() <= second) {
            Queue<AccountState> states = bySecond.remove(first.getKey());
            if (states != null) {
                due.addAll(states);
            }
        }
        return due;
    }

    /** Accounts with a timer armed (an account re-armed earlier also has a stale later entry: counted once). */
    int pending() {
        java.util.Set<AccountState> armed = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Queue<AccountState> states : bySecond.values()) {
            armed.addAll(states);
        }
        return armed.size();
    }

    void clear() {
        bySecond.clear();
    }
}
