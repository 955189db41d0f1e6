package pql.forecast.domain;

import java.util.List;

/** Why a persona came out as it did: the rule that matched, one sentence, and the numbers behind it. */
public record Explanation(String rule, String text, List<Factor> factors) {

    public Explanation {
        factors = List.copyOf(factors);
    }

    /** One named number, e.g. {@code activation_rate 0.83 "ratio, level HIGH"}. */
    public record Factor(String name, double value, String detail) {
    }
}
