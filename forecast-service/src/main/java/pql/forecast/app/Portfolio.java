package pql.forecast.app;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import pql.forecast.domain.AccountSnapshot;

/**
 * Every account's score under one definition version at one evaluation instant, sorted by account id
 * (exports and comparisons walk it in that order). Immutable: a refresh builds a new one.
 *
 * @param headPosition scoring's log position the scores are complete up to (for a known_at load: the position
 *     that knowledge includes); 0 for an as-of load
 * @param asOfMillis the instant every account was evaluated at (scoring's), epoch ms
 */
public record Portfolio(int version, List<AccountSnapshot> accounts, long headPosition, long asOfMillis) {

    private static final Comparator<AccountSnapshot> BY_ID = Comparator.comparing(AccountSnapshot::accountId);

    public Portfolio {
        accounts = List.copyOf(accounts);
    }

    public static Portfolio of(int version, Collection<AccountSnapshot> accounts, long headPosition, long asOfMillis) {
        AccountSnapshot[] sorted = dedupedById(accounts);
        return new Portfolio(version, Arrays.asList(sorted), headPosition, asOfMillis);
    }

    /**
     * This portfolio with changed accounts replaced or added, in one merge pass: O(n + k log k)
     * for k changes, so a refresh of a few accounts in 100k costs a copy, not a sort. The changed
     * accounts must have been evaluated at this portfolio's instant.
     */
    public Portfolio merge(Collection<AccountSnapshot> changed, long newHead) {
        if (changed.isEmpty()) {
            return newHead == headPosition ? this : new Portfolio(version, accounts, newHead, asOfMillis);
        }
        AccountSnapshot[] updates = dedupedById(changed);
        List<AccountSnapshot> merged = new ArrayList<>(accounts.size() + updates.length);
        int i = 0;
        int j = 0;
        while (i < accounts.size() || j < updates.length) {
            if (j == updates.length) {
                merged.add(accounts.get(i++));
            } else if (i == accounts.size()) {
                merged.add(updates[j++]);
            } else {
                int order = accounts.get(i).accountId().compareTo(updates[j].accountId());
                if (order < 0) {
                    merged.add(accounts.get(i++));
                } else if (order > 0) {
                    merged.add(updates[j++]);
                } else {
                    merged.add(newer(accounts.get(i++), updates[j++]));
                }
            }
        }
        return new Portfolio(version, merged, newHead, asOfMillis);
    }

    /** The score with the higher log position; the later one on a tie. */
    private static AccountSnapshot newer(AccountSnapshot earlier, AccountSnapshot later) {
        return later.logPosition() >= earlier.logPosition() ? later : earlier;
    }

    /** Sorted by id; an account that came twice (it changed while streaming) keeps its newer score. */
    private static AccountSnapshot[] dedupedById(Collection<AccountSnapshot> accounts) {
        Map<String, AccountSnapshot> latest = new HashMap<>(accounts.size() * 2);
        for (AccountSnapshot account : accounts) {
            latest.merge(account.accountId(), account, Portfolio::newer);
        }
        AccountSnapshot[] sorted = latest.values().toArray(new AccountSnapshot[0]);
        Arrays.sort(sorted, BY_ID);
        return sorted;
    }
}
