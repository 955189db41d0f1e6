package pql.common.api;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * "Did you mean ...?" for a name a person mistyped (a query parameter, a definition field): the
 * closest known name by edit distance, comparing both in snake case, so {@code pqlOnly},
 * {@code pql-only} and {@code pql_onyl} all find {@code pql_only}.
 */
public final class NameSuggestions {

    private NameSuggestions() {
    }

    /** The known name closest to {@code wanted}, if one is close enough to be a likely typo. */
    public static Optional<String> closest(String wanted, Collection<String> known) {
        String normalized = snake(wanted);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String name : known) {
            int distance = Math.min(distance(normalized, name), distance(normalized, snake(name)));
            if (distance < bestDistance) {
                bestDistance = distance;
                best = name;
            }
        }
        return best != null && bestDistance <= Math.max(2, best.length() / 3) ? Optional.of(best) : Optional.empty();
    }

    /** {@code pqlOnly} and {@code pql-only} as {@code pql_only}. */
    static String snake(String name) {
        return name.trim().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT).replace('-', '_');
    }

    /** Levenshtein distance, bounded inputs (names). */
    static int distance(String a, String b) {
        if (a.length() > 200 || b.length() > 200) {
            return Integer.MAX_VALUE / 2;
        }
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
