package pql.scoring.domain;

import java.util.List;

/**
 * Why a score, level or PQL kind came out as it did: the rule that matched, one human sentence,
 * and the numbers behind it.
 */
public record Explanation(String rule, String text, List<Factor> factors) {

    public Explanation {
        factors = List.copyOf(factors);
    }

    /** One named number behind a decision, e.g. {@code activation_rate = 0.6 (ratio)}. */
    public record Factor(String name, double value, String detail) {
    }

    public static Factor factor(String name, double value, String detail) {
        return new Factor(name, value, detail);
    }
}
